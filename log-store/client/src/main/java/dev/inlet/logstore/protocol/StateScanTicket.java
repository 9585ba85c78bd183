/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Objects;

/**
 * The {@code DoGet} ticket of a scan of a primary-key table bucket's current state (its key-value
 * store) rather than its log. The stream holds the rows of one consistent view, in key order, with
 * the requested columns; every batch's {@link BatchMetadata} has {@code baseOffset} and
 * {@code logEndOffset} set to the log offset the view includes, so that reading the log from there
 * continues it exactly.
 *
 * <pre>{@code {"v":1, "stateScan":true, "table":"shop.users", "partition":"", "bucket":0, "columns":null}}</pre>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StateScanTicket(
        @JsonProperty("v") int v,
        @JsonProperty("stateScan") boolean stateScan,
        @JsonProperty("table") String table,
        @JsonProperty("partition") String partition,
        @JsonProperty("bucket") int bucket,
        @JsonProperty("columns") List<String> columns)
{
    public static final int VERSION = 1;
    public static final String MARKER = "stateScan";

    public StateScanTicket
    {
        ProtocolJson.checkVersion(v, VERSION, "state scan ticket");
        Objects.requireNonNull(table, "state scan ticket has no table");
        partition = partition == null ? "" : partition;
        if (bucket < 0) {
            throw new IllegalArgumentException("state scan ticket bucket must not be negative: " + bucket);
        }
        columns = columns == null ? null : List.copyOf(columns);
    }

    public static StateScanTicket of(String table, String partition, int bucket, List<String> columns)
    {
        return new StateScanTicket(VERSION, true, table, partition, bucket, columns);
    }

    public byte[] toBytes()
    {
        return ProtocolJson.write(this);
    }

    /** Whether a ticket's bytes are a state scan (else a {@link FetchTicket}). */
    public static boolean isStateScan(byte[] ticket)
    {
        try {
            return ProtocolJson.MAPPER.readTree(ticket).path(MARKER).asBoolean(false);
        }
        catch (java.io.IOException e) {
            return false; // malformed: FetchTicket's parser reports it
        }
    }

    public static StateScanTicket fromBytes(byte[] bytes)
    {
        return ProtocolJson.read(bytes, StateScanTicket.class, "state scan ticket");
    }
}
