/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union.plan;

import static java.util.Objects.requireNonNull;

/**
 * A piece of a lake snapshot's scan, as the lake format planned it (a Paimon split, an Iceberg
 * file scan task), in serialized form so that another machine can read it.
 *
 * @param partition the Inlet partition name of its rows ({@code ""} if unpartitioned)
 * @param bucket the bucket of its rows, or -1 if the lake does not keep buckets apart
 * @param payload the format's own serialized task
 * @param rows rows in its files (before deletes and merges)
 * @param bytes bytes of its files
 * @param files how many data files it reads
 */
public record LakeTask(String partition, int bucket, String payload, long rows, long bytes, int files)
{
    public LakeTask
    {
        requireNonNull(partition, "partition is null");
        requireNonNull(payload, "payload is null");
    }
}
