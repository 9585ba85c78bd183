/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering;

import dev.inlet.catalog.lake.BucketRef;
import dev.inlet.catalog.model.DataType;
import dev.inlet.catalog.model.LakeFormat;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.catalog.model.TieredOffset;
import dev.inlet.logstore.client.AppendWriter;
import dev.inlet.logstore.client.UpsertWriter;
import dev.inlet.logstore.client.WriterOptions;
import dev.inlet.logstore.protocol.Actions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tiering rounds into lake tables on real S3, read back with the lake format's own reader: log
 * tables get exactly the appended rows, primary-key tables exactly the state at the round's
 * offsets, and a round crashed at any of its steps is repaired by the next one with nothing lost
 * or doubled. Run for Paimon ({@link TestPaimonTiering}) and Iceberg ({@link TestIcebergTiering}).
 */
abstract class AbstractTestTieringRounds
{
    /** The lake format under test. */
    abstract LakeFormat format();

    /** The id of the newest lake snapshot. */
    abstract long latestSnapshot(String table);

    /** Where, under the table's location, a data file of a round that crashed before its commit would be. */
    abstract String orphanDataFile(String table);

    /** The format's orphan-file cleanup; returns how many files it deleted. */
    abstract long removeOrphanFiles(String table, java.time.Instant olderThan);

    private static final LocalDateTime T0 = LocalDateTime.of(2026, 11, 26, 12, 0);

    @TempDir
    Path dir;

    TieringTestCluster cluster;

    @BeforeEach
    void setUp()
            throws Exception
    {
        cluster = new TieringTestCluster(dir);
    }

    @AfterEach
    void tearDown()
    {
        cluster.close();
    }

    private TableDescriptor.Builder eventsTable()
    {
        return TableDescriptor.builder()
                .column("id", DataType.bigint(), false)
                .column("name", DataType.string())
                .column("amount", DataType.doubleType())
                .column("at", DataType.timestamp(6))
                .lakeFormat(format());
    }

    private static Object[] event(long id)
    {
        return new Object[] {id, id % 7 == 0 ? null : "event-" + id, id * 1.5, T0.plusNanos(id * 1_000)};
    }

    private void append(String table, long from, long to)
    {
        try (AppendWriter writer = cluster.client().newWriter(table, WriterOptions.defaults())) {
            for (long id = from; id < to; id++) {
                writer.append(event(id));
            }
        }
    }

    private static List<List<Object>> events(long from, long to)
    {
        List<List<Object>> rows = new ArrayList<>();
        for (long id = from; id < to; id++) {
            rows.add(Arrays.asList(event(id)));
        }
        return rows;
    }

    /** The hot store's high-water mark of every bucket, summed. */
    private long hotEnd(String table)
    {
        return cluster.client().offsets(table, "", Actions.OffsetSpec.LATEST, 0).stream().mapToLong(Actions.BucketOffset::offset).sum();
    }

    private long recordedEnd(String table, long expectedSnapshot)
    {
        List<TieredOffset> offsets = cluster.catalog().store().tieredOffsets(cluster.catalog().getTable(TablePath.parse(table)).tableId());
        assertThat(offsets).allSatisfy(o -> assertThat(o.lakeSnapshotId()).isEqualTo(expectedSnapshot));
        return offsets.stream().mapToLong(TieredOffset::offset).sum();
    }

    @Test
    void roundsCopyExactlyTheNewRowsOfALogTable()
            throws Exception
    {
        cluster.createTable("shop.events", eventsTable().bucketKey("id").bucketCount(3).build());
        append("shop.events", 0, 600);

        TieringRound.Result first = cluster.round(RoundHooks.NONE).run(TablePath.parse("shop.events")).orElseThrow();
        assertThat(first.round()).isEqualTo(1);
        assertThat(first.rows()).isEqualTo(600);
        assertThat(cluster.readLake("shop.events")).containsExactlyInAnyOrderElementsOf(events(0, 600));
        assertThat(recordedEnd("shop.events", first.snapshotId())).isEqualTo(600).isEqualTo(hotEnd("shop.events"));
        // each lake bucket holds exactly its hot bucket: the bucket functions agree
        assertThat(first.offsets()).hasSize(3).allSatisfy((bucket, offset) -> assertThat(offset).isPositive());

        assertThat(cluster.round(RoundHooks.NONE).run(TablePath.parse("shop.events"))).as("a round with nothing new commits nothing").isEmpty();

        append("shop.events", 600, 900);
        TieringRound.Result second = cluster.round(RoundHooks.NONE).run(TablePath.parse("shop.events")).orElseThrow();
        assertThat(second.round()).isEqualTo(2);
        assertThat(second.rows()).isEqualTo(300);
        assertThat(cluster.readLake("shop.events")).containsExactlyInAnyOrderElementsOf(events(0, 900));
        assertThat(recordedEnd("shop.events", second.snapshotId())).isEqualTo(900);
    }

    @Test
    void aLogTableWithoutBucketKeyIsTiered()
            throws Exception
    {
        cluster.createTable("shop.clicks", eventsTable().bucketCount(2).build());
        append("shop.clicks", 0, 250);
        TieringRound.Result result = cluster.round(RoundHooks.NONE).run(TablePath.parse("shop.clicks")).orElseThrow();
        assertThat(result.rows()).isEqualTo(250);
        assertThat(cluster.readLake("shop.clicks")).containsExactlyInAnyOrderElementsOf(events(0, 250));
    }

    @Test
    void aColumnAddedToTheTableReachesTheLakeAndOlderRowsHaveNullThere()
            throws Exception
    {
        cluster.createTable("shop.notes", eventsTable().bucketKey("id").bucketCount(2).build());
        append("shop.notes", 0, 40);
        cluster.round(RoundHooks.NONE).run(TablePath.parse("shop.notes")).orElseThrow();
        cluster.catalog().addColumn(TablePath.parse("shop.notes"), "note", DataType.string(), true, java.util.Optional.empty());
        try (AppendWriter writer = cluster.client().newWriter("shop.notes", WriterOptions.defaults())) {
            for (long id = 40; id < 60; id++) {
                Object[] row = Arrays.copyOf(event(id), 5);
                row[4] = "note " + id;
                writer.append(row);
            }
        }
        cluster.round(RoundHooks.NONE).run(TablePath.parse("shop.notes")).orElseThrow();
        List<List<Object>> expected = new ArrayList<>();
        for (long id = 0; id < 60; id++) {
            List<Object> row = new ArrayList<>(Arrays.asList(event(id)));
            row.add(id < 40 ? null : "note " + id);
            expected.add(row);
        }
        assertThat(cluster.readLake("shop.notes")).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void aPartitionedTableIsTieredPartitionByPartition()
            throws Exception
    {
        cluster.createTable("shop.visits", TableDescriptor.builder()
                .column("region", DataType.string(), false)
                .column("id", DataType.bigint(), false)
                .column("page", DataType.string())
                .partitionKeys("region")
                .bucketKey("id")
                .bucketCount(2)
                .lakeFormat(format())
                .build());
        List<List<Object>> expected = new ArrayList<>();
        try (AppendWriter writer = cluster.client().newWriter("shop.visits", WriterOptions.defaults())) {
            for (long id = 0; id < 90; id++) {
                String region = id % 3 == 0 ? "eu" : "us";
                writer.append(new Object[] {region, id, "/page/" + id});
                expected.add(Arrays.asList(region, id, "/page/" + id));
            }
        }
        TieringRound.Result result = cluster.round(RoundHooks.NONE).run(TablePath.parse("shop.visits")).orElseThrow();
        assertThat(result.offsets().keySet()).extracting(BucketRef::partition).containsOnly("region=eu", "region=us");
        assertThat(cluster.readLake("shop.visits")).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void orphanFilesOfACrashedRoundAreRemovedAndTheLakeIsUnchanged()
            throws Exception
    {
        cluster.createTable("shop.orphans", eventsTable().bucketKey("id").bucketCount(2).build());
        append("shop.orphans", 0, 30);
        cluster.round(RoundHooks.NONE).run(TablePath.parse("shop.orphans")).orElseThrow();
        // a data file a crashed round left behind: written, never committed
        java.net.URI orphan = java.net.URI.create(orphanDataFile("shop.orphans"));
        try (var s3 = cluster.catalog().settings().s3().newClient()) {
            s3.putObject(b -> b.bucket(orphan.getHost()).key(orphan.getPath().substring(1)), software.amazon.awssdk.core.sync.RequestBody.fromString("not a table file"));
            assertThat(removeOrphanFiles("shop.orphans", java.time.Instant.now().minusSeconds(3600))).as("younger files are kept").isZero();
            assertThat(removeOrphanFiles("shop.orphans", java.time.Instant.now().plusSeconds(60))).isEqualTo(1);
            assertThat(s3.listObjectsV2(b -> b.bucket(orphan.getHost()).prefix(orphan.getPath().substring(1))).contents()).isEmpty();
        }
        assertThat(cluster.readLake("shop.orphans")).containsExactlyInAnyOrderElementsOf(events(0, 30));
        append("shop.orphans", 30, 40);
        cluster.round(RoundHooks.NONE).run(TablePath.parse("shop.orphans")).orElseThrow();
        assertThat(cluster.readLake("shop.orphans")).containsExactlyInAnyOrderElementsOf(events(0, 40));
    }

    @ParameterizedTest
    @EnumSource(RoundPoint.class)
    void aRoundCrashedAtAnyStepIsRepairedByTheNext(RoundPoint crashAt)
            throws Exception
    {
        cluster.createTable("shop.orders", eventsTable().bucketKey("id").bucketCount(2).build());
        TablePath path = TablePath.parse("shop.orders");
        append("shop.orders", 0, 200);
        cluster.round(RoundHooks.NONE).run(path).orElseThrow();
        append("shop.orders", 200, 450);

        RoundHooks crash = (point, table) -> {
            if (point == crashAt) {
                throw new IllegalStateException("injected crash at " + point);
            }
        };
        assertThatThrownBy(() -> cluster.round(crash).run(path)).hasMessage("injected crash at " + crashAt);

        // a new round, as a restarted service runs it
        var repaired = cluster.round(RoundHooks.NONE).run(path);
        boolean committedBeforeCrash = crashAt == RoundPoint.LAKE_COMMITTED || crashAt == RoundPoint.RECORDED;
        assertThat(repaired.isPresent()).as("the next round has rows to commit").isEqualTo(!committedBeforeCrash);
        repaired.ifPresent(r -> assertThat(r.rows()).isEqualTo(250));
        assertThat(cluster.readLake("shop.orders")).containsExactlyInAnyOrderElementsOf(events(0, 450));
        assertThat(recordedEnd("shop.orders", latestSnapshot("shop.orders"))).isEqualTo(450).isEqualTo(hotEnd("shop.orders"));
    }

    @ParameterizedTest
    @EnumSource(RoundPoint.class)
    void aPrimaryKeyTablesRoundCrashedAtAnyStepIsRepairedByTheNext(RoundPoint crashAt)
            throws Exception
    {
        cluster.createTable("shop.wallets", TableDescriptor.builder()
                .column("id", DataType.bigint(), false)
                .column("balance", DataType.bigint())
                .primaryKey("id")
                .bucketCount(2)
                .lakeFormat(format())
                .build());
        TablePath path = TablePath.parse("shop.wallets");
        Map<Long, List<Object>> model = new TreeMap<>();
        try (UpsertWriter writer = cluster.client().newUpsertWriter("shop.wallets", null, WriterOptions.defaults())) {
            for (long id = 0; id < 30; id++) {
                writer.upsert(new Object[] {id, id});
                model.put(id, Arrays.asList(id, id));
            }
        }
        cluster.round(RoundHooks.NONE).run(path).orElseThrow();
        try (UpsertWriter writer = cluster.client().newUpsertWriter("shop.wallets", null, WriterOptions.defaults())) {
            for (long id = 0; id < 40; id += 2) {
                writer.upsert(new Object[] {id, -id});
                model.put(id, Arrays.asList(id, -id));
            }
            writer.delete(new Object[] {3L, null});
            model.remove(3L);
        }
        RoundHooks crash = (point, table) -> {
            if (point == crashAt) {
                throw new IllegalStateException("injected crash at " + point);
            }
        };
        assertThatThrownBy(() -> cluster.round(crash).run(path)).hasMessage("injected crash at " + crashAt);
        cluster.round(RoundHooks.NONE).run(path);
        assertThat(cluster.readLake("shop.wallets")).containsExactlyInAnyOrderElementsOf(model.values());
        assertThat(recordedEnd("shop.wallets", latestSnapshot("shop.wallets"))).isEqualTo(hotEnd("shop.wallets"));
    }

    @Test
    void aPrimaryKeyTableIsTieredAsItsStateAtTheRoundsOffsets()
            throws Exception
    {
        cluster.createTable("shop.accounts", TableDescriptor.builder()
                .column("id", DataType.bigint(), false)
                .column("owner", DataType.string())
                .column("balance", DataType.bigint())
                .primaryKey("id")
                .bucketCount(2)
                .lakeFormat(format())
                .build());
        TablePath path = TablePath.parse("shop.accounts");
        Map<Long, List<Object>> model = new TreeMap<>();
        try (UpsertWriter writer = cluster.client().newUpsertWriter("shop.accounts", null, WriterOptions.defaults());
                UpsertWriter balances = cluster.client().newUpsertWriter("shop.accounts", List.of("id", "balance"), WriterOptions.defaults())) {
            for (long id = 0; id < 100; id++) {
                writer.upsert(new Object[] {id, "owner-" + id, id});
                model.put(id, Arrays.asList(id, "owner-" + id, id));
            }
            writer.flush();
            for (long id = 0; id < 100; id += 3) {
                balances.upsert(new Object[] {id, id * 100});
                model.put(id, Arrays.asList(id, "owner-" + id, id * 100));
            }
            balances.flush();
            for (long id = 0; id < 100; id += 10) {
                writer.delete(new Object[] {id, null, null});
                model.remove(id);
            }
            writer.flush();
        }
        // the first round writes the current state (a state scan), not the whole changelog
        TieringRound.Result first = cluster.round(RoundHooks.NONE).run(path).orElseThrow();
        assertThat(first.rows()).isEqualTo(model.size());
        assertThat(cluster.readLake("shop.accounts")).containsExactlyInAnyOrderElementsOf(model.values());

        // later changes of the same keys: the lake follows the state, one row per key
        try (UpsertWriter writer = cluster.client().newUpsertWriter("shop.accounts", null, WriterOptions.defaults())) {
            for (long id = 0; id < 100; id += 4) {
                writer.upsert(new Object[] {id, "renamed-" + id, -id});
                model.put(id, Arrays.asList(id, "renamed-" + id, -id));
            }
            writer.delete(new Object[] {5L, null, null});
            model.remove(5L);
        }
        cluster.round(RoundHooks.NONE).run(path).orElseThrow();
        assertThat(cluster.readLake("shop.accounts")).containsExactlyInAnyOrderElementsOf(model.values());
        assertThat(recordedEnd("shop.accounts", latestSnapshot("shop.accounts"))).isEqualTo(hotEnd("shop.accounts"));
    }
}
