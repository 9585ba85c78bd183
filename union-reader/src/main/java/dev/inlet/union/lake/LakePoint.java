/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union.lake;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.lake.LakeCheckpoint;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The lake snapshot a union read may read, and the tiering checkpoint that says which hot offsets
 * it holds. The snapshot may be newer than the checkpoint's own snapshot: maintenance snapshots
 * (compactions, delete-file rewrites) after a tiering snapshot hold the same rows.
 */
public record LakePoint(long snapshotId, long snapshotMillis, LakeCheckpoint checkpoint)
{
    public LakePoint
    {
        requireNonNull(checkpoint, "checkpoint is null");
    }

    /**
     * Chooses what to read, given the table's current snapshot and its newest tiering checkpoints
     * (newest first, at most two, from different rounds). A checkpoint committed by a process that
     * had lost its lease is skipped, as tiering itself rolls it back (see
     * {@link LakeCheckpoint#committedAfterLosingLease}); if maintenance already built on it, the
     * table needs an operator and the read fails rather than return rows twice.
     */
    public static Optional<LakePoint> choose(String lakeTable, long currentSnapshot, java.util.function.LongUnaryOperator commitMillis, List<LakeCheckpoint> newestFirst)
    {
        if (newestFirst.isEmpty()) {
            return Optional.empty();
        }
        LakeCheckpoint newest = newestFirst.getFirst();
        if (newestFirst.size() > 1 && newest.committedAfterLosingLease(newestFirst.get(1))) {
            LakeCheckpoint previous = newestFirst.get(1);
            if (currentSnapshot != newest.snapshotId()) {
                throw new InletException(InletErrorCode.LAKE_TABLE_MISMATCH, "Lake table " + lakeTable + ": snapshot " + newest.snapshotId() + " was committed under lease epoch "
                        + newest.epoch() + " after epoch " + previous.epoch() + ", and later snapshots build on it; roll the table back to snapshot " + previous.snapshotId());
            }
            return Optional.of(new LakePoint(previous.snapshotId(), commitMillis.applyAsLong(previous.snapshotId()), previous));
        }
        return Optional.of(new LakePoint(currentSnapshot, commitMillis.applyAsLong(currentSnapshot), newest));
    }
}
