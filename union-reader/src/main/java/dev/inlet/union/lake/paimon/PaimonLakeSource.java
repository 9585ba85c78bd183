/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union.lake.paimon;

import dev.inlet.catalog.lake.LakeCheckpoint;
import dev.inlet.catalog.lake.paimon.PaimonLakeBridge;
import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TableInfo;
import dev.inlet.catalog.model.TypeRoot;
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
import org.apache.paimon.CoreOptions;
import org.apache.paimon.Snapshot;
import org.apache.paimon.data.BinaryRow;
import org.apache.paimon.io.DataFileMeta;
import org.apache.paimon.io.DataInputViewStreamWrapper;
import org.apache.paimon.io.DataOutputViewStreamWrapper;
import org.apache.paimon.predicate.Predicate;
import org.apache.paimon.predicate.PredicateBuilder;
import org.apache.paimon.stats.SimpleStats;
import org.apache.paimon.table.FileStoreTable;
import org.apache.paimon.table.source.DataSplit;
import org.apache.paimon.table.source.ReadBuilder;
import org.apache.paimon.table.source.Split;
import org.apache.paimon.types.RowType;
import org.apache.paimon.utils.SnapshotManager;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * Union-read side of Paimon lake tables: plans with Paimon's scan at a snapshot id (partition and
 * file statistics pruning by the filter) and reads each {@link DataSplit} with Paimon's reader,
 * which merges a primary-key bucket's files into one row per key. An instance serves one plan, or
 * the splits of one plan.
 */
public final class PaimonLakeSource
        implements LakeSource
{
    // how far back from the newest snapshot to look for tiering checkpoints (tiering commits one
    // snapshot per round, plus Paimon's compactions of that round)
    private static final int LOOK_BACK = 200;

    private final PaimonLakeBridge bridge;
    private final Map<Long, FileStoreTable> loaded = new ConcurrentHashMap<>();

    public PaimonLakeSource(PaimonLakeBridge bridge)
    {
        this.bridge = requireNonNull(bridge, "bridge is null");
    }

    /** The table as loaded once by this source (a source serves one plan, or the splits of one plan). */
    private FileStoreTable table(TableInfo table)
    {
        return loaded.computeIfAbsent(table.tableId(), id -> (FileStoreTable) bridge.loadTable(table.path()));
    }

    @Override
    public Optional<LakePoint> readablePoint(TableInfo info)
    {
        FileStoreTable table = table(info);
        SnapshotManager snapshots = table.snapshotManager();
        Long latest = snapshots.latestSnapshotId();
        Long earliest = snapshots.earliestSnapshotId();
        if (latest == null || earliest == null) {
            return Optional.empty();
        }
        List<LakeCheckpoint> checkpoints = new ArrayList<>(2);
        for (long id = latest; id >= earliest && id > latest - LOOK_BACK && checkpoints.size() < 2; id--) {
            if (!snapshots.snapshotExists(id)) {
                break;
            }
            Snapshot s = snapshots.snapshot(id);
            Map<String, String> properties = s.properties();
            if (properties == null || !properties.containsKey(LakeCheckpoint.OFFSETS_PROPERTY)) {
                continue;
            }
            LakeCheckpoint checkpoint = LakeCheckpoint.fromProperties(table.name(), info.tableId(), id, properties);
            // a round's compaction snapshots repeat its checkpoint; the one before is an older round
            if (checkpoints.isEmpty() || checkpoint.round() < checkpoints.getFirst().round()) {
                checkpoints.add(checkpoint);
            }
        }
        return LakePoint.choose(table.name(), latest, id -> snapshots.snapshot(id).timeMillis(), checkpoints);
    }

    @Override
    public List<LakeSnapshot> snapshots(TableInfo info)
    {
        FileStoreTable table = table(info);
        SnapshotManager snapshots = table.snapshotManager();
        Long latest = snapshots.latestSnapshotId();
        Long earliest = snapshots.earliestSnapshotId();
        List<LakeSnapshot> result = new ArrayList<>();
        for (long id = earliest == null ? 1 : earliest; latest != null && id <= latest; id++) {
            if (!snapshots.snapshotExists(id)) {
                continue;
            }
            Snapshot s = snapshots.snapshot(id);
            Map<String, String> properties = s.properties();
            Optional<LakeCheckpoint> checkpoint = properties != null && properties.containsKey(LakeCheckpoint.OFFSETS_PROPERTY)
                    ? Optional.of(LakeCheckpoint.fromProperties(table.name(), info.tableId(), id, properties))
                    : Optional.empty();
            result.add(new LakeSnapshot(id, s.timeMillis(), s.commitKind().name().toLowerCase(java.util.Locale.ROOT), checkpoint));
        }
        return result;
    }

    @Override
    public boolean snapshotExists(TableInfo table, long snapshotId)
    {
        return table(table).snapshotManager().snapshotExists(snapshotId);
    }

    /**
     * The table at a snapshot, read with its latest schema: time travel alone would give the
     * snapshot's schema, without the columns added since, which read as nulls from older files.
     */
    private static FileStoreTable at(FileStoreTable table, long snapshotId)
    {
        return table.copy(Map.of(CoreOptions.SCAN_SNAPSHOT_ID.key(), Long.toString(snapshotId))).copyWithLatestSchema();
    }

    @Override
    public List<LakeTask> plan(TableInfo info, long snapshotId, Filter filter)
    {
        FileStoreTable table = at(table(info), snapshotId);
        ReadBuilder read = table.newReadBuilder();
        predicate(info.descriptor(), table.rowType(), filter).ifPresent(read::withFilter);
        List<LakeTask> tasks = new ArrayList<>();
        for (Split split : read.newScan().plan().splits()) {
            DataSplit data = (DataSplit) split;
            long bytes = data.dataFiles().stream().mapToLong(DataFileMeta::fileSize).sum();
            tasks.add(new LakeTask(partitionName(info.descriptor(), data.partition()), data.bucket(), serialize(data), data.rowCount(), bytes, data.dataFiles().size()));
        }
        return tasks;
    }

    @Override
    public LakeStatistics statistics(TableInfo info, long snapshotId, Filter filter)
    {
        FileStoreTable table = at(table(info), snapshotId);
        ReadBuilder read = table.newReadBuilder();
        predicate(info.descriptor(), table.rowType(), filter).ifPresent(read::withFilter);
        LakeStatistics.Builder stats = new LakeStatistics.Builder(info.descriptor().columnNames());
        Map<Long, List<String>> fieldsOfSchema = new java.util.HashMap<>();
        for (Split split : read.newScan().plan().splits()) {
            for (DataFileMeta file : ((DataSplit) split).dataFiles()) {
                stats.rows(file.rowCount());
                // the statistics are of the listed columns, or of every column of the file's schema
                List<String> covered = file.valueStatsCols() != null ? file.valueStatsCols()
                        : fieldsOfSchema.computeIfAbsent(file.schemaId(), id -> table.schemaManager().schema(id).fieldNames());
                SimpleStats values = file.valueStats();
                for (Column c : info.descriptor().columns()) {
                    int pos = covered.indexOf(c.name());
                    if (pos < 0 || pos >= values.minValues().getFieldCount()) {
                        stats.column(c.name(), file.rowCount(), null, null, null);
                        continue;
                    }
                    Long nulls = values.nullCounts() == null || values.nullCounts().isNullAt(pos) ? null : values.nullCounts().getLong(pos);
                    // text and binary bounds are truncated prefixes, not values of the column
                    boolean bounded = c.type().root() != TypeRoot.STRING && c.type().root() != TypeRoot.BYTES;
                    stats.column(c.name(), file.rowCount(), nulls, bounded ? PaimonValues.get(values.minValues(), pos, c.type()) : null,
                            bounded ? PaimonValues.get(values.maxValues(), pos, c.type()) : null);
                }
            }
        }
        return stats.build();
    }

    @Override
    public LakeBatchReader open(TableInfo info, long snapshotId, LakeTask task, List<String> columns, Filter filter, BufferAllocator allocator, int batchRows)
    {
        FileStoreTable table = at(table(info), snapshotId);
        List<String> names = table.rowType().getFieldNames();
        int[] projection = columns.stream().mapToInt(c -> {
            int index = names.indexOf(c);
            if (index < 0) {
                throw new IllegalArgumentException("Paimon table " + table.name() + " has no column '" + c + "'");
            }
            return index;
        }).toArray();
        ReadBuilder read = table.newReadBuilder().withProjection(projection);
        predicate(info.descriptor(), table.rowType(), filter).ifPresent(read::withFilter);
        List<Column> types = columns.stream().map(c -> info.descriptor().column(c).orElseThrow()).toList();
        return new PaimonBatchReader(read, deserialize(task.payload()), types, allocator, batchRows);
    }

    /** The filter as a Paimon predicate, for file and partition pruning. */
    static Optional<Predicate> predicate(TableDescriptor descriptor, RowType rowType, Filter filter)
    {
        if (filter.acceptsAll()) {
            return Optional.empty();
        }
        List<String> names = rowType.getFieldNames();
        PredicateBuilder b = new PredicateBuilder(rowType);
        List<Predicate> predicates = new ArrayList<>();
        for (ColumnPredicate p : filter.conjuncts()) {
            int index = names.indexOf(p.column());
            Column column = descriptor.column(p.column()).orElseThrow();
            List<Object> literals = p.values().stream().map(v -> PaimonValues.literal(column.type(), v)).toList();
            predicates.add(switch (p.op()) {
                case IN -> literals.size() == 1 ? b.equal(index, literals.getFirst()) : b.in(index, literals);
                case LT -> b.lessThan(index, literals.getFirst());
                case LE -> b.lessOrEqual(index, literals.getFirst());
                case GT -> b.greaterThan(index, literals.getFirst());
                case GE -> b.greaterOrEqual(index, literals.getFirst());
                case IS_NULL -> b.isNull(index);
                case NOT_NULL -> b.isNotNull(index);
            });
        }
        return Optional.of(PredicateBuilder.and(predicates));
    }

    private static String partitionName(TableDescriptor descriptor, BinaryRow partition)
    {
        List<String> keys = descriptor.partitionKeys();
        Object[] values = new Object[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            values[i] = PaimonValues.get(partition, i, descriptor.column(keys.get(i)).orElseThrow().type());
        }
        return PartitionNames.name(descriptor, values);
    }

    private static String serialize(DataSplit split)
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            split.serialize(new DataOutputViewStreamWrapper(bytes));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    private static DataSplit deserialize(String payload)
    {
        try {
            return DataSplit.deserialize(new DataInputViewStreamWrapper(new ByteArrayInputStream(Base64.getDecoder().decode(payload))));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
