/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union.lake.iceberg;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.lake.LakeCheckpoint;
import dev.inlet.catalog.lake.iceberg.IcebergLakeBridge;
import dev.inlet.catalog.lake.iceberg.IcebergSchemas;
import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TableInfo;
import dev.inlet.logstore.protocol.PartitionNames;
import dev.inlet.union.filter.ColumnPredicate;
import dev.inlet.union.filter.Filter;
import dev.inlet.union.lake.LakeBatchReader;
import dev.inlet.union.lake.LakePoint;
import dev.inlet.union.lake.LakeSnapshot;
import dev.inlet.union.lake.LakeSource;
import dev.inlet.union.lake.LakeStatistics;
import dev.inlet.union.plan.LakeTask;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.ScanTaskParser;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableScan;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.SnapshotUtil;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * Union-read side of Iceberg lake tables: plans with Iceberg's scan at a snapshot id (partition
 * and column-statistics pruning by the filter) and reads each file scan task with Iceberg's
 * generic reader and delete filter, so equality deletes from tiering are applied. An instance serves
 * one plan, or the splits of one plan.
 */
public final class IcebergLakeSource
        implements LakeSource
{
    private final IcebergLakeBridge bridge;
    private final Map<Long, Table> loaded = new ConcurrentHashMap<>();

    public IcebergLakeSource(IcebergLakeBridge bridge)
    {
        this.bridge = requireNonNull(bridge, "bridge is null");
    }

    /**
     * The table as loaded once by this source (a source serves one plan, or the splits of one plan): loading
     * parses the table's whole metadata file, which grows with every snapshot. The bridge keeps
     * tables read before, so a source of an unchanged table costs one catalog query.
     */
    private Table table(TableInfo table)
    {
        return loaded.computeIfAbsent(table.tableId(), id -> bridge.readTable(table.path()));
    }

    @Override
    public Optional<LakePoint> readablePoint(TableInfo info)
    {
        Table table = table(info);
        Snapshot current = table.currentSnapshot();
        if (current == null) {
            return Optional.empty();
        }
        List<LakeCheckpoint> checkpoints = new ArrayList<>(2);
        for (Snapshot s : SnapshotUtil.ancestorsOf(current.snapshotId(), table::snapshot)) {
            if (s.summary() == null || !s.summary().containsKey(LakeCheckpoint.OFFSETS_PROPERTY)) {
                continue;
            }
            LakeCheckpoint checkpoint = LakeCheckpoint.fromProperties(table.name(), info.tableId(), s.snapshotId(), s.summary());
            if (checkpoints.isEmpty() || checkpoint.round() < checkpoints.getFirst().round()) {
                checkpoints.add(checkpoint);
                if (checkpoints.size() == 2) {
                    break;
                }
            }
        }
        return LakePoint.choose(table.name(), current.snapshotId(), id -> table.snapshot(id).timestampMillis(), checkpoints);
    }

    @Override
    public List<LakeSnapshot> snapshots(TableInfo info)
    {
        Table table = table(info);
        List<LakeSnapshot> result = new ArrayList<>();
        for (Snapshot s : table.snapshots()) {
            Optional<LakeCheckpoint> checkpoint = s.summary() != null && s.summary().containsKey(LakeCheckpoint.OFFSETS_PROPERTY)
                    ? Optional.of(LakeCheckpoint.fromProperties(table.name(), info.tableId(), s.snapshotId(), s.summary()))
                    : Optional.empty();
            result.add(new LakeSnapshot(s.snapshotId(), s.timestampMillis(), s.operation() == null ? "unknown" : s.operation(), checkpoint));
        }
        result.sort(java.util.Comparator.comparingLong(LakeSnapshot::committedMillis).thenComparingLong(LakeSnapshot::snapshotId));
        return result;
    }

    @Override
    public boolean snapshotExists(TableInfo table, long snapshotId)
    {
        // asked after a failure: look at the table as it is now
        Table now = bridge.loadTable(table.path());
        loaded.put(table.tableId(), now);
        return now.snapshot(snapshotId) != null;
    }

    @Override
    public List<LakeTask> plan(TableInfo info, long snapshotId, Filter filter)
    {
        Table table = table(info);
        if (table.snapshot(snapshotId) == null) {
            throw new InletException(InletErrorCode.SCAN_PLAN_STALE, "Snapshot " + snapshotId + " of Iceberg table " + table.name() + " has expired; plan the scan again");
        }
        TableScan scan = table.newScan().useSnapshot(snapshotId).filter(expression(info.descriptor(), filter));
        List<LakeTask> tasks = new ArrayList<>();
        try (CloseableIterable<FileScanTask> files = scan.planFiles()) {
            for (FileScanTask task : files) {
                DataFile file = task.file();
                PartitionSpec spec = table.specs().get(file.specId());
                tasks.add(new LakeTask(partitionName(info.descriptor(), spec, file), bucket(info.descriptor(), spec, file), ScanTaskParser.toJson(task), file.recordCount(),
                        file.fileSizeInBytes(), 1));
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return tasks;
    }

    @Override
    public LakeStatistics statistics(TableInfo info, long snapshotId, Filter filter)
    {
        Table table = table(info);
        if (table.snapshot(snapshotId) == null) {
            throw new InletException(InletErrorCode.SCAN_PLAN_STALE, "Snapshot " + snapshotId + " of Iceberg table " + table.name() + " has expired; plan the scan again");
        }
        List<Column> columns = info.descriptor().columns();
        LakeStatistics.Builder stats = new LakeStatistics.Builder(info.descriptor().columnNames());
        TableScan scan = table.newScan().useSnapshot(snapshotId).filter(expression(info.descriptor(), filter)).includeColumnStats();
        try (CloseableIterable<FileScanTask> files = scan.planFiles()) {
            for (FileScanTask task : files) {
                DataFile file = task.file();
                stats.rows(file.recordCount());
                for (Column c : columns) {
                    Types.NestedField field = table.schema().findField(c.name());
                    if (field == null) {
                        stats.column(c.name(), file.recordCount(), null, null, null);
                        continue;
                    }
                    Long nulls = file.nullValueCounts() == null ? null : file.nullValueCounts().get(field.fieldId());
                    stats.column(c.name(), file.recordCount(), nulls, IcebergValues.bound(c, field, file.lowerBounds()), IcebergValues.bound(c, field, file.upperBounds()));
                }
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return stats.build();
    }

    @Override
    public LakeBatchReader open(TableInfo info, long snapshotId, LakeTask task, List<String> columns, Filter filter, BufferAllocator allocator, int batchRows)
    {
        Table table = table(info);
        FileScanTask scanTask = (FileScanTask) ScanTaskParser.fromJson(task.payload(), true);
        List<Column> types = columns.stream().map(c -> info.descriptor().column(c).orElseThrow()).toList();
        return ParquetArrowReader.open(table, scanTask, types, allocator, batchRows)
                .orElseGet(() -> new IcebergBatchReader(table, scanTask, types, allocator, batchRows));
    }

    /** The filter as an Iceberg expression, for partition and file pruning. */
    static Expression expression(TableDescriptor descriptor, Filter filter)
    {
        Expression expression = Expressions.alwaysTrue();
        for (ColumnPredicate p : filter.conjuncts()) {
            Column column = descriptor.column(p.column()).orElseThrow();
            List<Object> literals = p.values().stream().map(v -> IcebergValues.literal(column.type(), v)).toList();
            String name = p.column();
            Expression term = switch (p.op()) {
                case IN -> literals.size() == 1 ? Expressions.equal(name, literals.getFirst()) : Expressions.in(name, literals);
                case LT -> Expressions.lessThan(name, literals.getFirst());
                case LE -> Expressions.lessThanOrEqual(name, literals.getFirst());
                case GT -> Expressions.greaterThan(name, literals.getFirst());
                case GE -> Expressions.greaterThanOrEqual(name, literals.getFirst());
                case IS_NULL -> Expressions.isNull(name);
                case NOT_NULL -> Expressions.notNull(name);
            };
            expression = Expressions.and(expression, term);
        }
        return expression;
    }

    private static String partitionName(TableDescriptor descriptor, PartitionSpec spec, DataFile file)
    {
        List<String> keys = descriptor.partitionKeys();
        Object[] values = new Object[keys.size()];
        List<PartitionField> fields = spec.fields();
        for (int i = 0; i < fields.size(); i++) {
            PartitionField field = fields.get(i);
            if (!field.transform().isIdentity()) {
                continue;
            }
            String source = spec.schema().findColumnName(field.sourceId());
            int key = keys.indexOf(source);
            if (key >= 0) {
                values[key] = IcebergValues.fromInternal(descriptor.column(source).orElseThrow().type(), file.partition().get(i, Object.class));
            }
        }
        return PartitionNames.name(descriptor, values);
    }

    /** The bucket of a file's rows, if the spec keeps buckets apart (a one-column bucket key), else -1. */
    private static int bucket(TableDescriptor descriptor, PartitionSpec spec, DataFile file)
    {
        List<String> bucketKey = descriptor.effectiveBucketKey();
        if (bucketKey.size() != 1) {
            return -1;
        }
        List<PartitionField> fields = spec.fields();
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).name().equals(bucketKey.getFirst() + IcebergSchemas.BUCKET_FIELD_SUFFIX)) {
                Integer bucket = file.partition().get(i, Integer.class);
                return bucket == null ? -1 : bucket;
            }
        }
        return -1;
    }
}
