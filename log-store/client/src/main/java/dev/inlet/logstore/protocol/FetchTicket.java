/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Objects;

/**
 * The ticket of a {@code DoGet}: which rows of one bucket to read.
 *
 * <pre>{@code {"v":1, "table":"shop.orders", "partition":"", "bucket":0, "offset":0,
 *  "endOffset":-1, "maxBytes":1048576, "columns":["order_id","amount"], "waitMs":0}}</pre>
 *
 * @param v protocol version, 1
 * @param table {@code database.table}
 * @param partition partition name ({@code dt=2026-11-01}); empty for an unpartitioned table
 * @param bucket the bucket
 * @param offset first offset to return; the stream starts exactly there
 * @param endOffset stop before this offset; -1 reads to the end of the log as it is when the read
 *     starts
 * @param maxBytes stop once this many payload bytes were sent (at least one batch is always sent)
 * @param columns the columns to return, in table order; null returns every column
 * @param waitMs when no data is at {@code offset} yet, wait up to this long for it (long poll)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FetchTicket(
        @JsonProperty("v") int v,
        @JsonProperty("table") String table,
        @JsonProperty("partition") String partition,
        @JsonProperty("bucket") int bucket,
        @JsonProperty("offset") long offset,
        @JsonProperty("endOffset") long endOffset,
        @JsonProperty("maxBytes") long maxBytes,
        @JsonProperty("columns") List<String> columns,
        @JsonProperty("waitMs") long waitMs)
{
    public static final int VERSION = 1;
    public static final long NO_END = -1;
    public static final long DEFAULT_MAX_BYTES = 8L << 20;

    public FetchTicket
    {
        ProtocolJson.checkVersion(v, VERSION, "ticket");
        Objects.requireNonNull(table, "ticket has no table");
        partition = partition == null ? "" : partition;
        if (bucket < 0) {
            throw new IllegalArgumentException("ticket bucket must not be negative: " + bucket);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("ticket offset must not be negative: " + offset);
        }
        if (endOffset < NO_END) {
            throw new IllegalArgumentException("ticket endOffset must be -1 or an offset: " + endOffset);
        }
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("ticket maxBytes must be positive: " + maxBytes);
        }
        if (waitMs < 0) {
            throw new IllegalArgumentException("ticket waitMs must not be negative: " + waitMs);
        }
        columns = columns == null ? null : List.copyOf(columns);
    }

    public static FetchTicket of(String table, String partition, int bucket, long offset)
    {
        return new FetchTicket(VERSION, table, partition, bucket, offset, NO_END, DEFAULT_MAX_BYTES, null, 0);
    }

    public FetchTicket withEndOffset(long newEndOffset)
    {
        return new FetchTicket(v, table, partition, bucket, offset, newEndOffset, maxBytes, columns, waitMs);
    }

    public FetchTicket withMaxBytes(long newMaxBytes)
    {
        return new FetchTicket(v, table, partition, bucket, offset, endOffset, newMaxBytes, columns, waitMs);
    }

    public FetchTicket withColumns(List<String> newColumns)
    {
        return new FetchTicket(v, table, partition, bucket, offset, endOffset, maxBytes, newColumns, waitMs);
    }

    public FetchTicket withWaitMs(long newWaitMs)
    {
        return new FetchTicket(v, table, partition, bucket, offset, endOffset, maxBytes, columns, newWaitMs);
    }

    public byte[] toBytes()
    {
        return ProtocolJson.write(this);
    }

    public static FetchTicket fromBytes(byte[] bytes)
    {
        return ProtocolJson.read(bytes, FetchTicket.class, "ticket");
    }
}
