/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.store;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.DataType;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TableInfo;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.catalog.model.TieredOffset;
import dev.inlet.catalog.model.TieringLease;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The catalog database contract; run once per supported database. */
abstract class AbstractTestMetadataStore
{
    private static final TablePath ORDERS = new TablePath("shop", "orders");

    private CatalogDatabase database;
    private MetadataStore store;

    protected abstract CatalogDatabase newDatabase();

    @BeforeEach
    void setUp()
    {
        database = newDatabase();
        store = new MetadataStore(database);
    }

    private static TableDescriptor orders()
    {
        return TableDescriptor.builder()
                .column("order_id", DataType.bigint(), false)
                .column("user_id", DataType.string())
                .column("amount", DataType.decimal(12, 2))
                .primaryKey("order_id")
                .bucketCount(4)
                .build();
    }

    @Test
    void createListAlterDropTable()
    {
        assertThat(store.createDatabase("shop", Optional.empty())).isTrue();
        assertThat(store.createDatabase("shop", Optional.empty())).isFalse();
        assertThat(store.listDatabases()).containsExactly("shop");

        TableInfo created = store.insertTable(ORDERS, orders());
        assertThat(created.schemaId()).isEqualTo(1);
        assertThat(created.version()).isEqualTo(1);
        assertThat(store.findTable(ORDERS)).contains(created);
        assertThat(store.findTable(created.tableId())).contains(created);
        assertThat(store.listTables("shop")).containsExactly(ORDERS);

        List<Column> columns = new ArrayList<>(created.descriptor().columns());
        columns.add(new Column(4, "note", DataType.string(), true));
        TableInfo altered = store.updateTable(created, created.descriptor().withColumns(columns), true);
        assertThat(altered.schemaId()).isEqualTo(2);
        assertThat(altered.version()).isEqualTo(2);
        assertThat(store.findTable(ORDERS).orElseThrow().descriptor().columnNames()).containsExactly("order_id", "user_id", "amount", "note");
        assertThat(store.schema(created.tableId(), 1).orElseThrow()).isEqualTo(created.descriptor());
        assertThat(store.schema(created.tableId(), 2).orElseThrow().columnNames()).containsExactly("order_id", "user_id", "amount", "note");

        assertThat(store.deleteTable(altered)).isTrue();
        assertThat(store.findTable(ORDERS)).isEmpty();
        assertThat(store.listTables("shop")).isEmpty();
        assertThat(store.dropDatabase("shop")).isTrue();
        assertThat(store.listDatabases()).isEmpty();
    }

    @Test
    void recreatedTableGetsANewId()
    {
        store.createDatabase("shop", Optional.empty());
        TableInfo first = store.insertTable(ORDERS, orders());
        store.deleteTable(first);
        TableInfo second = store.insertTable(ORDERS, orders());
        assertThat(second.tableId()).isNotEqualTo(first.tableId());
    }

    @Test
    void refusesTableInMissingDatabaseAndDuplicateTable()
    {
        assertThatThrownBy(() -> store.insertTable(ORDERS, orders()))
                .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.DATABASE_NOT_FOUND))
                .hasMessage("Database shop does not exist (creating table shop.orders)");
        store.createDatabase("shop", Optional.empty());
        store.insertTable(ORDERS, orders());
        assertThatThrownBy(() -> store.insertTable(ORDERS, orders()))
                .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.TABLE_ALREADY_EXISTS))
                .hasMessage("Table shop.orders already exists");
        assertThat(store.listTables("shop")).containsExactly(ORDERS);
    }

    @Test
    void refusesToDropNonEmptyDatabase()
    {
        store.createDatabase("shop", Optional.empty());
        store.insertTable(ORDERS, orders());
        assertThatThrownBy(() -> store.dropDatabase("shop"))
                .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.DATABASE_NOT_EMPTY))
                .hasMessageContaining("shop.orders");
        assertThat(store.listDatabases()).containsExactly("shop");
    }

    @Test
    void staleUpdateIsRefusedAndChangesNothing()
    {
        store.createDatabase("shop", Optional.empty());
        TableInfo base = store.insertTable(ORDERS, orders());
        TableInfo first = store.updateTable(base, base.descriptor().toBuilder().comment("first").build(), false);
        assertThatThrownBy(() -> store.updateTable(base, base.descriptor().toBuilder().comment("second").build(), false))
                .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.CONCURRENT_MODIFICATION))
                .hasMessageContaining("Table shop.orders was changed or dropped by someone else after version 1 was read");
        TableInfo stored = store.findTable(ORDERS).orElseThrow();
        assertThat(stored.version()).isEqualTo(2);
        assertThat(stored.descriptor().comment()).contains("first");
        assertThat(stored).isEqualTo(first);
    }

    @Test
    void concurrentWritersFromOneBaseExactlyOneWins()
            throws Exception
    {
        store.createDatabase("shop", Optional.empty());
        TableInfo base = store.insertTable(ORDERS, orders());
        int writers = 8;
        CyclicBarrier barrier = new CyclicBarrier(writers);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String comment = "writer-" + i;
                // each writer uses its own store, as separate processes would
                MetadataStore own = new MetadataStore(database);
                results.add(pool.submit(() -> {
                    barrier.await(30, TimeUnit.SECONDS);
                    try {
                        own.updateTable(base, base.descriptor().toBuilder().comment(comment).build(), false);
                        return comment;
                    }
                    catch (InletException e) {
                        assertThat(e.errorCode()).isEqualTo(InletErrorCode.CONCURRENT_MODIFICATION);
                        return null;
                    }
                }));
            }
            List<String> winners = new ArrayList<>();
            for (Future<String> f : results) {
                String w = f.get(60, TimeUnit.SECONDS);
                if (w != null) {
                    winners.add(w);
                }
            }
            assertThat(winners).hasSize(1);
            TableInfo stored = store.findTable(ORDERS).orElseThrow();
            assertThat(stored.version()).isEqualTo(2);
            assertThat(stored.descriptor().comment()).contains(winners.getFirst());
        }
        finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentCreatesOfOneTableExactlyOneSucceeds()
            throws Exception
    {
        store.createDatabase("shop", Optional.empty());
        int writers = 6;
        CyclicBarrier barrier = new CyclicBarrier(writers);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                MetadataStore own = new MetadataStore(database);
                Callable<Boolean> create = () -> {
                    barrier.await(30, TimeUnit.SECONDS);
                    try {
                        own.insertTable(ORDERS, orders());
                        return true;
                    }
                    catch (InletException e) {
                        assertThat(e.errorCode()).isEqualTo(InletErrorCode.TABLE_ALREADY_EXISTS);
                        return false;
                    }
                };
                results.add(pool.submit(create));
            }
            int successes = 0;
            for (Future<Boolean> f : results) {
                successes += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(successes).isEqualTo(1);
            assertThat(store.listTables("shop")).containsExactly(ORDERS);
        }
        finally {
            pool.shutdownNow();
        }
    }

    @Test
    void autoIncrementRangesAreDisjointUnderConcurrentAllocators()
            throws Exception
    {
        store.createDatabase("shop", Optional.empty());
        TableInfo table = store.insertTable(ORDERS, orders());
        assertThat(store.allocateAutoIncrement(ORDERS, table.tableId(), 100)).isEqualTo(1);
        assertThat(store.allocateAutoIncrement(ORDERS, table.tableId(), 50)).isEqualTo(101);

        int allocators = 6;
        int rounds = 15;
        CyclicBarrier barrier = new CyclicBarrier(allocators);
        ExecutorService pool = Executors.newFixedThreadPool(allocators);
        try {
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int i = 0; i < allocators; i++) {
                MetadataStore own = new MetadataStore(database);
                results.add(pool.submit(() -> {
                    barrier.await(30, TimeUnit.SECONDS);
                    List<Long> starts = new ArrayList<>();
                    for (int r = 0; r < rounds; r++) {
                        starts.add(own.allocateAutoIncrement(ORDERS, table.tableId(), 10));
                    }
                    return starts;
                }));
            }
            List<Long> starts = new ArrayList<>();
            for (Future<List<Long>> f : results) {
                starts.addAll(f.get(60, TimeUnit.SECONDS));
            }
            // every range of 10 starts where another ended: together they cover 151 .. 1050 exactly once
            assertThat(starts.stream().sorted().toList())
                    .containsExactlyElementsOf(java.util.stream.LongStream.range(0, allocators * rounds).mapToObj(k -> 151 + 10 * k).toList());
        }
        finally {
            pool.shutdownNow();
        }

        store.deleteTable(table);
        assertThatThrownBy(() -> store.allocateAutoIncrement(ORDERS, table.tableId(), 1))
                .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.TABLE_NOT_FOUND))
                .hasMessage("Table shop.orders (id " + table.tableId() + ") no longer exists; no ids allocated");
    }

    @Test
    void aRequestedLeaseIsHandedOverByItsHolderAtItsNextTurnAndToNobodyElse()
    {
        store.createDatabase("shop", Optional.empty());
        long id = store.insertTable(ORDERS, orders()).tableId();
        Instant t0 = Instant.ofEpochSecond(2_000_000);
        Duration ttl = Duration.ofSeconds(30);
        assertThat(store.acquireTieringLease(id, "daemon", ttl, t0).orElseThrow().epoch()).isEqualTo(1);

        assertThat(store.requestTieringLease(id, "backfill", ttl, t0.plusSeconds(1))).isTrue();
        assertThat(store.requestTieringLease(id, "other", ttl, t0.plusSeconds(1))).as("one request at a time").isFalse();
        assertThat(store.acquireTieringLease(id, "backfill", ttl, t0.plusSeconds(1))).as("held by the daemon until its next turn").isEmpty();
        // inside its round the daemon still renews; at its next turn it hands the lease over
        assertThat(store.renewTieringLease(id, "daemon", 1, ttl, t0.plusSeconds(2))).isTrue();
        assertThat(store.acquireTieringLease(id, "daemon", ttl, t0.plusSeconds(3))).isEmpty();
        assertThat(store.acquireTieringLease(id, "other", ttl, t0.plusSeconds(3))).as("requested by the backfill").isEmpty();
        TieringLease backfill = store.acquireTieringLease(id, "backfill", ttl, t0.plusSeconds(4)).orElseThrow();
        assertThat(backfill.epoch()).isEqualTo(2);
        assertThat(store.renewTieringLease(id, "daemon", 1, ttl, t0.plusSeconds(4))).isFalse();

        store.releaseTieringLease(id, "backfill", 2);
        store.withdrawTieringLeaseRequest(id, "backfill");
        assertThat(store.acquireTieringLease(id, "daemon", ttl, t0.plusSeconds(5)).orElseThrow().epoch()).isEqualTo(3);

        // a request whose backfill died lapses, and blocks nobody after it
        assertThat(store.requestTieringLease(id, "dead", ttl, t0.plusSeconds(6))).isTrue();
        assertThat(store.acquireTieringLease(id, "daemon", ttl, t0.plusSeconds(7))).isEmpty();
        assertThat(store.acquireTieringLease(id, "daemon", ttl, t0.plusSeconds(37)).orElseThrow().epoch()).isEqualTo(4);
    }

    @Test
    void aTieringLeaseHasOneHolderAndEveryTakeoverRaisesItsEpoch()
            throws Exception
    {
        store.createDatabase("shop", Optional.empty());
        TableInfo table = store.insertTable(ORDERS, orders());
        long id = table.tableId();
        Instant t0 = Instant.ofEpochSecond(1_000_000);
        Duration ttl = Duration.ofSeconds(30);

        TieringLease first = store.acquireTieringLease(id, "a", ttl, t0).orElseThrow();
        assertThat(first).isEqualTo(new TieringLease(id, "a", 1, t0.plus(ttl)));
        assertThat(store.acquireTieringLease(id, "b", ttl, t0.plusSeconds(10))).as("held by a").isEmpty();
        // a asking again before it lapses keeps its epoch
        assertThat(store.acquireTieringLease(id, "a", ttl, t0.plusSeconds(10)).orElseThrow().epoch()).isEqualTo(1);
        assertThat(store.renewTieringLease(id, "a", 1, ttl, t0.plusSeconds(20))).isTrue();
        assertThat(store.renewTieringLease(id, "b", 1, ttl, t0.plusSeconds(20))).as("b never held it").isFalse();

        // lapsed: b takes it over under epoch 2, and a can no longer renew epoch 1
        TieringLease second = store.acquireTieringLease(id, "b", ttl, t0.plusSeconds(51)).orElseThrow();
        assertThat(second.epoch()).isEqualTo(2);
        assertThat(store.renewTieringLease(id, "a", 1, ttl, t0.plusSeconds(52))).isFalse();
        assertThat(store.acquireTieringLease(id, "a", ttl, t0.plusSeconds(52))).isEmpty();

        // released: the next owner gets it at once, with a higher epoch
        store.releaseTieringLease(id, "a", 1); // not a's to release: no effect
        assertThat(store.tieringLease(id).orElseThrow().owner()).isEqualTo("b");
        store.releaseTieringLease(id, "b", 2);
        assertThat(store.acquireTieringLease(id, "a", ttl, t0.plusSeconds(53)).orElseThrow().epoch()).isEqualTo(3);

        // several processes after a lapse: exactly one wins, under the next epoch
        Instant lapsed = t0.plusSeconds(200);
        int contenders = 6;
        CyclicBarrier barrier = new CyclicBarrier(contenders);
        ExecutorService pool = Executors.newFixedThreadPool(contenders);
        try {
            List<Future<Optional<TieringLease>>> results = new ArrayList<>();
            for (int i = 0; i < contenders; i++) {
                MetadataStore own = new MetadataStore(database);
                String owner = "worker-" + i;
                results.add(pool.submit(() -> {
                    barrier.await(30, TimeUnit.SECONDS);
                    return own.acquireTieringLease(id, owner, ttl, lapsed);
                }));
            }
            List<TieringLease> won = new ArrayList<>();
            for (Future<Optional<TieringLease>> f : results) {
                f.get(60, TimeUnit.SECONDS).ifPresent(won::add);
            }
            assertThat(won).hasSize(1);
            assertThat(won.getFirst().epoch()).isEqualTo(4);
            assertThat(store.tieringLease(id)).contains(won.getFirst());
        }
        finally {
            pool.shutdownNow();
        }
        store.deleteTable(table);
        assertThat(store.tieringLease(id)).isEmpty();
    }

    @Test
    void tieredOffsetsAreRecordedAndNeverMoveBack()
    {
        store.createDatabase("shop", Optional.empty());
        TableInfo table = store.insertTable(ORDERS, orders());
        Instant now = Instant.now();
        store.recordTieredOffsets(ORDERS, table.tableId(), 7, List.of(new TieredOffset("", 0, 7, 100, now), new TieredOffset("", 1, 7, 50, now)));
        store.recordTieredOffsets(ORDERS, table.tableId(), 8, List.of(new TieredOffset("", 0, 8, 120, now)));
        assertThat(store.tieredOffsets(table.tableId()))
                .extracting(o -> o.partition() + "/" + o.bucket() + "@" + o.lakeSnapshotId() + ":" + o.offset())
                .containsExactly("/0@8:120", "/1@7:50");

        assertThatThrownBy(() -> store.recordTieredOffsets(ORDERS, table.tableId(), 9,
                List.of(new TieredOffset("", 1, 9, 60, now), new TieredOffset("", 0, 9, 110, now))))
                .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.CONCURRENT_MODIFICATION))
                .hasMessage("Table shop.orders bucket 0: the recorded tiered offset is already beyond 110; offsets never move back");
        // the failed call changed nothing, not even bucket 1 which it listed first
        assertThat(store.tieredOffsets(table.tableId()))
                .extracting(o -> o.partition() + "/" + o.bucket() + "@" + o.lakeSnapshotId() + ":" + o.offset())
                .containsExactly("/0@8:120", "/1@7:50");

        store.deleteTable(table);
        assertThat(store.tieredOffsets(table.tableId())).isEmpty();
    }

    @Test
    void migrationRunsOnceAndRefusesNewerSchema()
            throws Exception
    {
        assertThat(Migrations.migrate(database)).isZero();
        try (Connection c = database.open(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO inlet_schema_version (version, description, applied_at) VALUES (" + (Migrations.latestVersion() + 1) + ", 'from the future', 0)");
        }
        assertThatThrownBy(() -> new MetadataStore(database))
                .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.CATALOG_SCHEMA_TOO_NEW))
                .hasMessageContaining("has schema version " + (Migrations.latestVersion() + 1) + ", newer than this Inlet build knows (" + Migrations.latestVersion() + ")");
    }

    @Test
    void concurrentMigrationsApplyEachStepOnce()
            throws Exception
    {
        CatalogDatabase fresh = newDatabase();
        int processes = 4;
        CyclicBarrier barrier = new CyclicBarrier(processes);
        ExecutorService pool = Executors.newFixedThreadPool(processes);
        try {
            List<Future<Integer>> applied = new ArrayList<>();
            for (int i = 0; i < processes; i++) {
                applied.add(pool.submit(() -> {
                    barrier.await(30, TimeUnit.SECONDS);
                    return Migrations.migrate(fresh);
                }));
            }
            int total = 0;
            for (Future<Integer> f : applied) {
                total += f.get(60, TimeUnit.SECONDS);
            }
            assertThat(total).isEqualTo(Migrations.latestVersion());
        }
        finally {
            pool.shutdownNow();
        }
    }
}
