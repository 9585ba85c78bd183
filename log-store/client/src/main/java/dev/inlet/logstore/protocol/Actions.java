/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * The Flight actions of the hot store ({@code DoAction}). Each request body and each result body
 * is one JSON document.
 */
public final class Actions
{
    /** Offsets of buckets: {@link OffsetsRequest} → {@link OffsetsResult}. */
    public static final String OFFSETS = "offsets";
    /** Partitions of a table: {@link TableRequest} → {@link PartitionsResult}. */
    public static final String LIST_PARTITIONS = "list-partitions";
    /** Drops a partition's hot data: {@link PartitionRequest} → empty result. */
    public static final String DROP_PARTITION = "drop-partition";
    /** A table's definition as the server serves it: {@link TableRequest} → {@link TableResult}. */
    public static final String DESCRIBE_TABLE = "describe-table";

    /**
     * Point or prefix lookups in a primary-key table's key-value state, batched: a binary body, see
     * {@link LookupMessages}. Not JSON: keys and rows travel as Arrow record batches.
     */
    public static final String LOOKUP = "lookup";
    /** The port of the binary lookup protocol ({@link LookupFrames}); body {@code {"v":1}}, result {@link LookupPortResult}. */
    public static final String LOOKUP_PORT = "lookup-port";

    private Actions() {}

    /** Which offset to look up for each bucket. */
    public enum OffsetSpec
    {
        /** The first offset still in the hot store. */
        EARLIEST,
        /** The next offset to be assigned (the high-water mark). */
        LATEST,
        /** The first offset whose commit timestamp is at or after {@code timestamp}. */
        TIMESTAMP,
        /** The first offset not yet in the lake, as the catalog records it. */
        TIERED,
    }

    /**
     * @param buckets the buckets, or null for all
     * @param timestamp for {@link OffsetSpec#TIMESTAMP}: ms since the epoch
     */
    public record OffsetsRequest(
            @JsonProperty("v") int v,
            @JsonProperty("table") String table,
            @JsonProperty("partition") String partition,
            @JsonProperty("buckets") List<Integer> buckets,
            @JsonProperty("spec") OffsetSpec spec,
            @JsonProperty("timestamp") long timestamp) {}

    public record LookupPortRequest(@JsonProperty("v") int v) {}

    /**
     * @param port the lookup port on the Flight endpoint's host; 0 if the server has it off (use the Flight lookup stream)
     * @param tls whether the port speaks TLS (as the Flight endpoint does); absent from servers before TLS on the port, which read false
     */
    public record LookupPortResult(@JsonProperty("v") int v, @JsonProperty("port") int port, @JsonProperty("tls") boolean tls) {}

    public record BucketOffset(@JsonProperty("bucket") int bucket, @JsonProperty("offset") long offset) {}

    public record OffsetsResult(@JsonProperty("v") int v, @JsonProperty("offsets") List<BucketOffset> offsets) {}

    public record TableRequest(@JsonProperty("v") int v, @JsonProperty("table") String table) {}

    /**
     * @param descriptor the table's descriptor in the catalog's stored JSON form
     *     ({@code dev.inlet.catalog.store.DescriptorCodec})
     */
    public record TableResult(@JsonProperty("v") int v, @JsonProperty("table") String table, @JsonProperty("tableId") long tableId,
            @JsonProperty("schemaId") int schemaId, @JsonProperty("descriptor") String descriptor) {}

    public record PartitionRequest(@JsonProperty("v") int v, @JsonProperty("table") String table, @JsonProperty("partition") String partition) {}

    public record PartitionInfo(@JsonProperty("name") String name, @JsonProperty("buckets") int buckets) {}

    public record PartitionsResult(@JsonProperty("v") int v, @JsonProperty("partitions") List<PartitionInfo> partitions) {}
}
