/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union.lake;

import dev.inlet.catalog.lake.LakeCheckpoint;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One snapshot of a lake table, as its format records it.
 *
 * @param committedMillis when it was committed (epoch ms)
 * @param operation the format's word for it (Paimon's commit kind, Iceberg's operation)
 * @param checkpoint the tiering checkpoint it carries, if tiering committed it
 */
public record LakeSnapshot(long snapshotId, long committedMillis, String operation, Optional<LakeCheckpoint> checkpoint)
{
    public LakeSnapshot
    {
        requireNonNull(operation, "operation is null");
        requireNonNull(checkpoint, "checkpoint is null");
    }
}
