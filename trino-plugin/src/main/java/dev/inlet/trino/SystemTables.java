/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.trino;

import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.lake.BucketRef;
import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TableInfo;
import dev.inlet.logstore.arrow.ArrowValues;
import dev.inlet.logstore.client.InletClient;
import dev.inlet.logstore.client.LogScanner;
import dev.inlet.logstore.client.ScanBatch;
import dev.inlet.logstore.client.ScanOptions;
import dev.inlet.logstore.client.StartPosition;
import dev.inlet.logstore.protocol.Actions;
import dev.inlet.union.ScanRequest;
import dev.inlet.union.UnionReader;
import dev.inlet.union.lake.LakeSnapshot;
import dev.inlet.union.lake.LakeSources;
import dev.inlet.union.plan.ScanPlan;
import io.trino.spi.StandardErrorCode;
import io.trino.spi.TrinoException;
import io.trino.spi.connector.ColumnMetadata;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.connector.ConnectorTableMetadata;
import io.trino.spi.connector.ConnectorTransactionHandle;
import io.trino.spi.connector.InMemoryRecordSet;
import io.trino.spi.connector.RecordCursor;
import io.trino.spi.connector.SchemaTableName;
import io.trino.spi.connector.SystemTable;
import io.trino.spi.predicate.TupleDomain;
import io.trino.spi.type.TimestampWithTimeZoneType;
import io.trino.spi.type.Type;
import org.apache.arrow.vector.FieldVector;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import static io.trino.spi.type.BigintType.BIGINT;
import static io.trino.spi.type.DoubleType.DOUBLE;
import static io.trino.spi.type.IntegerType.INTEGER;
import static io.trino.spi.type.VarcharType.VARCHAR;

/**
 * The system tables of an Inlet table {@code t}: {@code "t$tiering"} (per bucket: tiered offset,
 * hot end, lag, lake snapshot), {@code "t$snapshots"} (the lake table's snapshots) and
 * {@code "t$changelog"} (a primary-key table's changelog in the hot store). {@code "t$lake"} is a
 * table handle, not a system table: see {@link InletMetadata}.
 */
final class SystemTables
{
    static final String TIERING = "tiering";
    static final String SNAPSHOTS = "snapshots";
    static final String CHANGELOG = "changelog";
    static final String LAKE = "lake";

    private static final TimestampWithTimeZoneType TIME = TimestampWithTimeZoneType.createTimestampWithTimeZoneType(3);

    private final InletCatalog catalog;
    private final InletClient client;
    private final UnionReader reader;

    SystemTables(InletCatalog catalog, InletClient client, UnionReader reader)
    {
        this.catalog = catalog;
        this.client = client;
        this.reader = reader;
    }

    Optional<SystemTable> get(SchemaTableName name, TableInfo table, String kind)
    {
        return switch (kind) {
            case TIERING -> Optional.of(table(name, List.of(
                    column("partition", VARCHAR), column("bucket", INTEGER), column("tiered_offset", BIGINT), column("hot_end_offset", BIGINT),
                    column("lag_seconds", DOUBLE), column("lake_snapshot_id", BIGINT), column("lake_snapshot_time", TIME)), () -> tiering(table)));
            case SNAPSHOTS -> Optional.of(table(name, List.of(
                    column("snapshot_id", BIGINT), column("committed_at", TIME), column("operation", VARCHAR), column("tiering_round", BIGINT),
                    column("tiering_epoch", BIGINT)), () -> snapshots(table)));
            case CHANGELOG -> {
                if (!table.descriptor().hasPrimaryKey()) {
                    throw new TrinoException(StandardErrorCode.NOT_SUPPORTED, "Table " + table.path() + " is a log table: its rows are its changelog; \"$changelog\" is for primary-key tables");
                }
                List<ColumnMetadata> columns = new ArrayList<>(List.of(column("_change_type", VARCHAR), column("_partition", VARCHAR), column("_bucket", INTEGER),
                        column("_offset", BIGINT), column("_commit_time", TIME)));
                table.descriptor().columns().forEach(c -> columns.add(column(c.name(), TypeMapping.toTrino(c.type()))));
                yield Optional.of(table(name, columns, () -> changelog(table, columns)));
            }
            default -> Optional.empty();
        };
    }

    private static ColumnMetadata column(String name, Type type)
    {
        return new ColumnMetadata(name, type);
    }

    private static SystemTable table(SchemaTableName name, List<ColumnMetadata> columns, Supplier<List<List<Object>>> rows)
    {
        ConnectorTableMetadata metadata = new ConnectorTableMetadata(name, columns);
        return new SystemTable()
        {
            @Override
            public Distribution getDistribution()
            {
                return Distribution.SINGLE_COORDINATOR;
            }

            @Override
            public ConnectorTableMetadata getTableMetadata()
            {
                return metadata;
            }

            @Override
            public RecordCursor cursor(ConnectorTransactionHandle transaction, ConnectorSession session, TupleDomain<Integer> constraint)
            {
                try (PluginContext ignored = PluginContext.enter()) {
                    return new InMemoryRecordSet(columns.stream().map(ColumnMetadata::getType).toList(), rows.get()).cursor();
                }
            }
        };
    }

    private List<List<Object>> tiering(TableInfo table)
    {
        String name = table.path().toString();
        ScanPlan plan = reader.plan(ScanRequest.of(name).withColumns(List.of(table.descriptor().columnNames().getFirst())));
        List<List<Object>> rows = new ArrayList<>();
        Instant now = Instant.now();
        for (Map.Entry<BucketRef, Long> e : plan.highWaterMarks().entrySet()) {
            BucketRef bucket = e.getKey();
            long tiered = plan.tiered().getOrDefault(bucket, 0L);
            long end = e.getValue();
            double lag = tiered >= end ? 0 : Duration.between(firstUntiered(name, table.descriptor(), bucket, tiered), now).toMillis() / 1000.0;
            rows.add(java.util.Arrays.asList(io.airlift.slice.Slices.utf8Slice(bucket.partition()), (long) bucket.bucket(), tiered, end, Math.max(0, lag),
                    plan.readsLake() ? plan.scan().lakeSnapshotId() : null,
                    plan.lakeSnapshotMillis() < 0 ? null : TrinoValues.timestampWithZone(TIME, Instant.ofEpochMilli(plan.lakeSnapshotMillis()))));
        }
        return rows;
    }

    /** When the oldest row the lake does not hold yet was appended. */
    private Instant firstUntiered(String table, TableDescriptor descriptor, BucketRef bucket, long offset)
    {
        try (LogScanner scanner = client.newScanner(table, ScanOptions.defaults().withColumns(List.of(descriptor.columnNames().getFirst())))) {
            scanner.subscribe(bucket.partition(), bucket.bucket(), StartPosition.offset(offset));
            for (ScanBatch batch : scanner.poll(Duration.ofSeconds(5))) {
                try (batch) {
                    return Instant.ofEpochMilli(batch.commitTimestamp());
                }
            }
        }
        return Instant.now();
    }

    private List<List<Object>> snapshots(TableInfo table)
    {
        List<List<Object>> rows = new ArrayList<>();
        LakeSources.of(catalog, table).ifPresent(source -> {
            for (LakeSnapshot s : source.snapshots(table)) {
                rows.add(java.util.Arrays.asList(s.snapshotId(), TrinoValues.timestampWithZone(TIME, Instant.ofEpochMilli(s.committedMillis())),
                        io.airlift.slice.Slices.utf8Slice(s.operation()), s.checkpoint().map(c -> c.round()).orElse(null), s.checkpoint().map(c -> c.epoch()).orElse(null)));
            }
        });
        return rows;
    }

    /** Every changelog row the hot store still holds, bucket by bucket, up to its end when asked. */
    private List<List<Object>> changelog(TableInfo table, List<ColumnMetadata> columns)
    {
        String name = table.path().toString();
        List<Column> tableColumns = table.descriptor().columns();
        List<List<Object>> rows = new ArrayList<>();
        for (Actions.PartitionInfo partition : client.partitions(name)) {
            Map<Integer, Long> ends = new java.util.HashMap<>();
            client.offsets(name, partition.name(), Actions.OffsetSpec.LATEST, 0).forEach(o -> ends.put(o.bucket(), o.offset()));
            for (Actions.BucketOffset start : client.offsets(name, partition.name(), Actions.OffsetSpec.EARLIEST, 0)) {
                long end = ends.getOrDefault(start.bucket(), start.offset());
                if (start.offset() >= end) {
                    continue;
                }
                try (LogScanner scanner = client.newScanner(name, ScanOptions.defaults())) {
                    scanner.subscribe(partition.name(), start.bucket(), StartPosition.offset(start.offset()));
                    long next = start.offset();
                    Instant deadline = Instant.now().plusSeconds(30);
                    while (next < end && Instant.now().isBefore(deadline)) {
                        for (ScanBatch batch : scanner.poll(Duration.ofSeconds(1))) {
                            try (batch) {
                                for (int r = 0; r < batch.rowCount() && batch.baseOffset() + r < end; r++) {
                                    long offset = batch.baseOffset() + r;
                                    if (offset < next) {
                                        continue;
                                    }
                                    List<Object> row = new ArrayList<>();
                                    row.add(io.airlift.slice.Slices.utf8Slice(batch.changeType(r).shortString()));
                                    row.add(io.airlift.slice.Slices.utf8Slice(partition.name()));
                                    row.add((long) start.bucket());
                                    row.add(offset);
                                    row.add(TrinoValues.timestampWithZone(TIME, Instant.ofEpochMilli(batch.commitTimestamp())));
                                    for (int c = 0; c < tableColumns.size(); c++) {
                                        FieldVector vector = batch.root().getVector(tableColumns.get(c).name());
                                        Object value = vector == null ? null : ArrowValues.get(vector, r);
                                        row.add(TrinoValues.toNative(columns.get(5 + c).getType(), value));
                                    }
                                    rows.add(row);
                                }
                                next = Math.max(next, batch.baseOffset() + batch.rowCount());
                            }
                        }
                    }
                }
            }
        }
        return rows;
    }
}
