/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union.read;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.model.TableInfo;
import dev.inlet.union.filter.Filter;
import dev.inlet.union.lake.LakeBatchReader;
import dev.inlet.union.lake.LakeSource;
import dev.inlet.union.plan.LakeTask;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.List;

/**
 * Reads lake tasks one after the other. A failure while the plan's snapshot no longer exists
 * (expired since planning, its files deleted) is reported as a stale plan, to plan again, never as
 * a partial answer.
 */
final class LakeTasks
        implements BatchSource
{
    private final LakeSource source;
    private final TableInfo table;
    private final long snapshotId;
    private final List<LakeTask> tasks;
    private final List<String> columns;
    private final Filter filter;
    private final BufferAllocator allocator;
    private final int batchRows;
    private final ReadStats stats;
    private int next;
    private LakeBatchReader current;

    LakeTasks(LakeSource source, TableInfo table, long snapshotId, List<LakeTask> tasks, List<String> columns, Filter filter, BufferAllocator allocator, int batchRows, ReadStats stats)
    {
        this.source = source;
        this.table = table;
        this.snapshotId = snapshotId;
        this.tasks = List.copyOf(tasks);
        this.columns = columns;
        this.filter = filter;
        this.allocator = allocator;
        this.batchRows = batchRows;
        this.stats = stats;
    }

    @Override
    public VectorSchemaRoot next()
    {
        try {
            while (true) {
                if (current == null) {
                    if (next == tasks.size()) {
                        return null;
                    }
                    current = source.open(table, snapshotId, tasks.get(next++), columns, filter, allocator, batchRows);
                    stats.lakeTasks.increment();
                    stats.lakeFiles.add(current.filesRead());
                    if (current.columnar()) {
                        stats.lakeColumnarFiles.add(current.filesRead());
                    }
                }
                VectorSchemaRoot batch = current.next();
                if (batch != null) {
                    stats.lakeRows.add(batch.getRowCount());
                    return batch;
                }
                current.close();
                current = null;
            }
        }
        catch (RuntimeException e) {
            if (!source.snapshotExists(table, snapshotId)) {
                throw new InletException(InletErrorCode.SCAN_PLAN_STALE, "Lake snapshot " + snapshotId + " of table " + table.path()
                        + " expired while the scan read it; plan the scan again", e);
            }
            throw e;
        }
    }

    @Override
    public void close()
    {
        if (current != null) {
            current.close();
            current = null;
        }
    }
}
