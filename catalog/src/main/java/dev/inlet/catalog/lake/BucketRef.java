/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.lake;

import static java.util.Objects.requireNonNull;

/** One bucket of one partition of a table ({@code ""} for an unpartitioned table). */
public record BucketRef(String partition, int bucket)
{
    public BucketRef
    {
        requireNonNull(partition, "partition is null");
        if (bucket < 0) {
            throw new IllegalArgumentException("bucket must not be negative: " + bucket);
        }
    }

    @Override
    public String toString()
    {
        return partition.isEmpty() ? "bucket " + bucket : "partition " + partition + " bucket " + bucket;
    }
}
