/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.model;

import java.time.Instant;
import java.util.Objects;

/**
 * How far one bucket of a table has been tiered: the lake snapshot {@code lakeSnapshotId} holds
 * exactly the bucket's offsets {@code [0, offset)}.
 *
 * @param partition the partition's name ({@code dt=2026-11-01}), or the empty string for an
 *     unpartitioned table
 * @param bucket the bucket within the partition
 * @param lakeSnapshotId the lake snapshot that holds the offsets
 * @param offset the first offset not yet in the lake
 * @param updatedAt when this was recorded
 */
public record TieredOffset(String partition, int bucket, long lakeSnapshotId, long offset, Instant updatedAt)
{
    public TieredOffset
    {
        Objects.requireNonNull(partition, "partition is null");
        Objects.requireNonNull(updatedAt, "updatedAt is null");
        if (bucket < 0) {
            throw new IllegalArgumentException("bucket must not be negative: " + bucket);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative: " + offset + " (bucket " + bucket + ")");
        }
    }
}
