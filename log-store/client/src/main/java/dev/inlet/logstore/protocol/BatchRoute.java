/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The {@code app_metadata} of each batch of a {@code DoPut}: the bucket (and partition) all its
 * rows belong to, and the writer's sequence number for that bucket.
 *
 * <pre>{@code {"v":1, "partition":"", "bucket":3, "sequence":17}}</pre>
 *
 * @param v protocol version, 1
 * @param partition partition name; empty for an unpartitioned table
 * @param bucket the bucket every row of the batch belongs to (the server checks)
 * @param sequence the writer's sequence for this partition and bucket: 0, 1, 2, ...; -1 without a
 *     writer id
 */
public record BatchRoute(
        @JsonProperty("v") int v,
        @JsonProperty("partition") String partition,
        @JsonProperty("bucket") int bucket,
        @JsonProperty("sequence") int sequence)
{
    public static final int VERSION = 1;

    public BatchRoute
    {
        ProtocolJson.checkVersion(v, VERSION, "batch route");
        partition = partition == null ? "" : partition;
        if (bucket < 0) {
            throw new IllegalArgumentException("batch route bucket must not be negative: " + bucket);
        }
    }

    public byte[] toBytes()
    {
        return ProtocolJson.write(this);
    }

    public static BatchRoute fromBytes(byte[] bytes)
    {
        return ProtocolJson.read(bytes, BatchRoute.class, "batch route");
    }
}
