/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union.lake;

import dev.inlet.catalog.model.TableInfo;
import dev.inlet.union.filter.Filter;
import dev.inlet.union.plan.LakeTask;
import org.apache.arrow.memory.BufferAllocator;

import java.util.List;
import java.util.Optional;

/**
 * The lake side of a union read for one lake format: which snapshot to read, how its scan splits
 * into tasks, and how a task's rows become Arrow batches. Readers use the format's own library
 * (Paimon's merge-on-read reader, Iceberg's delete filter), so a primary-key table's lake rows are
 * already one per key.
 */
public interface LakeSource
{
    /** The snapshot a union read may read now; empty if tiering has not committed to the table yet. */
    Optional<LakePoint> readablePoint(TableInfo table);

    /**
     * The tasks of a scan of {@code snapshotId}: the files the filter cannot exclude by their
     * partition or column statistics.
     */
    List<LakeTask> plan(TableInfo table, long snapshotId, Filter filter);

    /**
     * The column statistics of the files of {@code snapshotId} that the filter cannot exclude, from
     * the lake's metadata (no data file is read).
     */
    LakeStatistics statistics(TableInfo table, long snapshotId, Filter filter);

    /**
     * Opens a task for reading {@code columns} (Arrow types as {@code ArrowSchemas} gives them).
     * Rows the filter rejects may still come back (file-level pruning is not row filtering).
     */
    LakeBatchReader open(TableInfo table, long snapshotId, LakeTask task, List<String> columns, Filter filter, BufferAllocator allocator, int batchRows);

    /** Every snapshot the lake table still has, oldest first. */
    List<LakeSnapshot> snapshots(TableInfo table);

    /** Whether the snapshot can still be read (it has not been expired). */
    boolean snapshotExists(TableInfo table, long snapshotId);
}
