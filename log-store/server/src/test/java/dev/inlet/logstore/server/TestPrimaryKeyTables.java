/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.server;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.model.AggregateFunction;
import dev.inlet.catalog.model.ChangelogMode;
import dev.inlet.catalog.model.DataType;
import dev.inlet.catalog.model.MergeEngine;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.logstore.client.InletClient;
import dev.inlet.logstore.client.LogScanner;
import dev.inlet.logstore.client.ScanBatch;
import dev.inlet.logstore.client.ScanOptions;
import dev.inlet.logstore.client.StartPosition;
import dev.inlet.logstore.client.UpsertWriter;
import dev.inlet.logstore.client.WriterOptions;
import dev.inlet.logstore.protocol.Actions;
import dev.inlet.logstore.protocol.ChangeType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Primary-key tables end to end against a real server: every merge engine against a reference
 * model on a random sequence of upserts and deletes (exact rows, exact changelog per key), and the
 * state rebuilt after restarts from RocksDB, from a snapshot plus the log, and from the log alone.
 */
class TestPrimaryKeyTables
{
    private static final int KEYS = 12;
    private static final int OPERATIONS = 300;

    @TempDir
    Path dir;

    private TestingHotStore hot;

    @BeforeEach
    void setUp()
            throws Exception
    {
        hot = new TestingHotStore(dir);
    }

    @AfterEach
    void tearDown()
    {
        hot.close();
    }

    /** id INT key, name STRING, amount BIGINT, version BIGINT, flag BOOLEAN, cnt BIGINT. */
    private static TableDescriptor.Builder wide()
    {
        return TableDescriptor.builder()
                .column("id", DataType.integer(), false)
                .column("name", DataType.string())
                .column("amount", DataType.bigint())
                .column("version", DataType.bigint())
                .column("flag", DataType.booleanType())
                .column("cnt", DataType.bigint())
                .primaryKey("id")
                .bucketCount(3);
    }

    enum Engine
    {
        LAST_ROW, FIRST_ROW, VERSIONED, AGGREGATION, LAST_ROW_UPSERT_CHANGELOG
    }

    private static TableDescriptor table(Engine engine)
    {
        return switch (engine) {
            case LAST_ROW -> wide().build();
            case LAST_ROW_UPSERT_CHANGELOG -> wide().changelogMode(ChangelogMode.UPSERT).build();
            case FIRST_ROW -> wide().mergeEngine(MergeEngine.FIRST_ROW).build();
            case VERSIONED -> wide().mergeEngine(MergeEngine.versioned("version")).build();
            case AGGREGATION -> wide().mergeEngine(MergeEngine.aggregation(Map.of(
                    "name", AggregateFunction.LAST_NON_NULL, "amount", AggregateFunction.SUM, "version", AggregateFunction.MAX,
                    "flag", AggregateFunction.BOOL_OR, "cnt", AggregateFunction.COUNT))).build();
        };
    }

    /** The reference model: what each engine must do, written independently of the server's merger. */
    private static final class Model
    {
        final Engine engine;
        final Map<Integer, Object[]> state = new LinkedHashMap<>();
        final Map<Integer, List<String>> changelog = new LinkedHashMap<>();

        Model(Engine engine)
        {
            this.engine = engine;
        }

        void upsert(Object[] in)
        {
            int id = (Integer) in[0];
            Object[] old = state.get(id);
            if (old == null) {
                Object[] row = in.clone();
                if (engine == Engine.AGGREGATION) {
                    row[5] = in[5] == null ? 0L : 1L;
                }
                state.put(id, row);
                log(id, "+I", row);
                return;
            }
            Object[] row = switch (engine) {
                case FIRST_ROW -> null;
                case LAST_ROW, LAST_ROW_UPSERT_CHANGELOG -> in.clone();
                case VERSIONED -> in[3] != null && (old[3] == null || (Long) in[3] > (Long) old[3]) ? in.clone() : null;
                case AGGREGATION -> new Object[] {
                        id,
                        in[1] != null ? in[1] : old[1],
                        in[2] == null ? old[2] : old[2] == null ? in[2] : (Long) old[2] + (Long) in[2],
                        in[3] == null ? old[3] : old[3] == null ? in[3] : Math.max((Long) old[3], (Long) in[3]),
                        in[4] == null ? old[4] : old[4] == null ? in[4] : (Boolean) old[4] || (Boolean) in[4],
                        (Long) old[5] + (in[5] == null ? 0 : 1)};
            };
            if (row == null) {
                return;
            }
            if (engine != Engine.LAST_ROW_UPSERT_CHANGELOG) {
                log(id, "-U", old);
            }
            state.put(id, row);
            log(id, "+U", row);
        }

        void delete(int id)
        {
            Object[] old = state.remove(id);
            if (old != null) {
                log(id, "-D", old);
            }
        }

        private void log(int id, String kind, Object[] row)
        {
            changelog.computeIfAbsent(id, k -> new ArrayList<>()).add(kind + Arrays.toString(row));
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void everyMergeEngineMatchesTheReferenceModel(Engine engine)
            throws Exception
    {
        String name = "kv." + engine.name().toLowerCase();
        hot.createTable(name, table(engine));
        Model model = new Model(engine);
        Random random = new Random(engine.ordinal() * 7919L + 1);
        try (InletClient client = hot.client()) {
            try (UpsertWriter writer = client.newUpsertWriter(name, null, WriterOptions.defaults().withLinger(Duration.ofMillis(5)).withBatchRows(37))) {
                for (int i = 0; i < OPERATIONS; i++) {
                    int id = random.nextInt(KEYS);
                    if (engine != Engine.FIRST_ROW && random.nextInt(10) < 2) {
                        writer.delete(new Object[] {id, null, null, null, null, null});
                        model.delete(id);
                        continue;
                    }
                    Object[] row = {
                            id,
                            random.nextInt(4) == 0 ? null : "n" + random.nextInt(100),
                            random.nextInt(5) == 0 ? null : (long) random.nextInt(1000) - 300,
                            random.nextInt(6) == 0 ? null : (long) random.nextInt(50),
                            random.nextInt(4) == 0 ? null : random.nextBoolean(),
                            random.nextInt(3) == 0 ? null : (long) random.nextInt(9)};
                    writer.upsert(row);
                    model.upsert(row);
                }
                writer.flush();
            }
            assertState(client, name, model);
            assertThat(changelogByKey(client, name)).isEqualTo(model.changelog);
        }

        // a clean restart: RocksDB as flushed at close
        hot.restart(() -> {});
        try (InletClient client = hot.client()) {
            assertState(client, name, model);
        }
        // the store lost, a snapshot left: the snapshot plus a replay of the log after it
        long tableId = hot.catalog().getTable(dev.inlet.catalog.model.TablePath.parse(name)).tableId();
        hot.server().snapshotKvState();
        try (InletClient client = hot.client(); UpsertWriter writer = client.newUpsertWriter(name, null, WriterOptions.defaults())) {
            Object[] row = {KEYS + 1, "after-snapshot", 5L, 99L, true, 1L};
            writer.upsert(row);
            writer.flush();
            model.upsert(row);
        }
        hot.restart(() -> deleteAll(tableId, "kv"));
        try (InletClient client = hot.client()) {
            assertState(client, name, model);
        }
        // nothing left but the log: the changelog replayed from offset 0 reproduces the state
        hot.restart(() -> {
            deleteAll(tableId, "kv");
            deleteAll(tableId, "kv-snapshots");
        });
        try (InletClient client = hot.client()) {
            assertState(client, name, model);
        }
    }

    private void deleteAll(long tableId, String folder)
            throws Exception
    {
        try (Stream<Path> files = Files.walk(dir.resolve("hot").resolve(Long.toString(tableId)))) {
            List<Path> targets = files.filter(p -> p.getFileName().toString().equals(folder)).toList();
            assertThat(targets).isNotEmpty();
            for (Path target : targets) {
                dev.inlet.logstore.storage.FileTrees.deleteRecursively(target);
            }
        }
    }

    private static void assertState(InletClient client, String table, Model model)
    {
        List<Object[]> keys = IntStream.rangeClosed(0, KEYS + 1).mapToObj(id -> new Object[] {id}).toList();
        List<Object[]> rows = client.lookup(table, keys);
        for (int id = 0; id <= KEYS + 1; id++) {
            Object[] expected = model.state.get(id);
            assertThat(rows.get(id)).as("key %s", id).isEqualTo(expected);
        }
    }

    /** The changelog of every bucket from offset 0, as "kind[row]" strings per key in offset order. */
    private static Map<Integer, List<String>> changelogByKey(InletClient client, String table)
    {
        long total = 0;
        for (Actions.BucketOffset end : client.offsets(table, "", Actions.OffsetSpec.LATEST, 0)) {
            total += end.offset();
        }
        Map<Integer, List<String>> byKey = new LinkedHashMap<>();
        long read = 0;
        try (LogScanner scanner = client.newScanner(table, ScanOptions.defaults())) {
            scanner.subscribeAll("", StartPosition.earliest());
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            while (read < total) {
                assertThat(Instant.now()).as("read %s of %s changelog rows", read, total).isBefore(deadline);
                for (ScanBatch batch : scanner.poll(Duration.ofMillis(200))) {
                    try (batch) {
                        List<Object[]> rows = batch.rows();
                        for (int r = 0; r < rows.size(); r++) {
                            byKey.computeIfAbsent((Integer) rows.get(r)[0], k -> new ArrayList<>()).add(batch.changeType(r).shortString() + Arrays.toString(rows.get(r)));
                        }
                        read += rows.size();
                    }
                }
            }
        }
        // keys are compared in the model's order of first appearance
        return byKey;
    }

    @Test
    void threeWritersBuildOneWideRowPerKeyByPartialUpdates()
    {
        hot.createTable("kv.wide", TableDescriptor.builder()
                .column("order_id", DataType.bigint(), false)
                .column("status", DataType.string())
                .column("paid", DataType.bigint())
                .column("carrier", DataType.string())
                .primaryKey("order_id")
                .bucketCount(2)
                .build());
        try (InletClient client = hot.client();
                UpsertWriter orders = client.newUpsertWriter("kv.wide", List.of("order_id", "status"), WriterOptions.defaults());
                UpsertWriter payments = client.newUpsertWriter("kv.wide", List.of("order_id", "paid"), WriterOptions.defaults());
                UpsertWriter deliveries = client.newUpsertWriter("kv.wide", List.of("order_id", "carrier"), WriterOptions.defaults())) {
            for (long id = 0; id < 40; id++) {
                orders.upsert(new Object[] {id, "placed"});
                if (id % 2 == 0) {
                    payments.upsert(new Object[] {id, id * 100});
                }
                if (id % 4 == 0) {
                    deliveries.upsert(new Object[] {id, "dhl"});
                }
            }
            orders.flush();
            payments.flush();
            deliveries.flush();
            List<Object[]> rows = client.lookup("kv.wide", LongStreamKeys.of(40));
            for (int id = 0; id < 40; id++) {
                assertThat(rows.get(id)).as("order %s", id).containsExactly((long) id, "placed", id % 2 == 0 ? (long) id * 100 : null, id % 4 == 0 ? "dhl" : null);
            }
        }
    }

    @Test
    void columnarUpsertsMergeLikeRowUpsertsAndABadBatchWritesNothing()
    {
        hot.createTable("kv.columnar", TableDescriptor.builder()
                .column("order_id", DataType.bigint(), false)
                .column("status", DataType.string())
                .column("paid", DataType.bigint())
                .column("at", DataType.timestamp(6))
                .primaryKey("order_id")
                .bucketCount(3)
                .build());
        java.time.LocalDateTime at = java.time.LocalDateTime.of(1969, 12, 31, 23, 59, 58, 123_456_000);
        try (InletClient client = hot.client();
                org.apache.arrow.memory.RootAllocator allocator = new org.apache.arrow.memory.RootAllocator();
                UpsertWriter full = client.newUpsertWriter("kv.columnar", null, WriterOptions.defaults());
                UpsertWriter payments = client.newUpsertWriter("kv.columnar", List.of("order_id", "paid"), WriterOptions.defaults())) {
            try (var rows = dev.inlet.logstore.arrow.ArrowValues.allocate(dev.inlet.logstore.arrow.ArrowSchemas.toArrowSchema(full.table().descriptor()), 30, allocator)) {
                for (int id = 0; id < 30; id++) {
                    Object[] row = {(long) id, "placed", null, id % 3 == 0 ? at : null};
                    for (int c = 0; c < row.length; c++) {
                        dev.inlet.logstore.arrow.ArrowValues.set(rows.getFieldVectors().get(c), id, row[c]);
                    }
                }
                rows.setRowCount(30);
                full.upsertBatch(rows).join();
            }
            // a partial update: only the key and `paid`; the stored status and time stay
            var paidColumns = full.table().descriptor().columns().stream().filter(c -> List.of("order_id", "paid").contains(c.name())).toList();
            try (var rows = dev.inlet.logstore.arrow.ArrowValues.allocate(dev.inlet.logstore.arrow.ArrowSchemas.toArrowSchema(paidColumns), 20, allocator)) {
                for (int i = 0; i < 20; i++) {
                    // keys 20..39: ten updates, ten new keys
                    dev.inlet.logstore.arrow.ArrowValues.set(rows.getVector(0), i, 20L + i);
                    dev.inlet.logstore.arrow.ArrowValues.set(rows.getVector(1), i, (20L + i) * 100);
                }
                rows.setRowCount(20);
                payments.upsertBatch(rows).join();

                // bad batches: refused before anything is buffered
                rows.getVector(0).setNull(5);
                assertThatThrownBy(() -> payments.upsertBatch(rows))
                        .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.INVALID_ROW))
                        .hasMessageContaining("kv.columnar").hasMessageContaining("primary-key column 'order_id'");
                assertThatThrownBy(() -> full.upsertBatch(rows))
                        .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.BATCH_SCHEMA_MISMATCH))
                        .hasMessageContaining("target columns");
            }
            payments.flush();
            List<Object[]> stored = client.lookup("kv.columnar", LongStreamKeys.of(40));
            for (int id = 0; id < 40; id++) {
                Object[] expected = id < 30
                        ? new Object[] {(long) id, "placed", id >= 20 ? (long) id * 100 : null, id % 3 == 0 ? at : null}
                        : new Object[] {(long) id, null, (long) id * 100, null};
                assertThat(stored.get(id)).as("order %s", id).containsExactly(expected);
            }
            // 30 inserts, 10 updates (-U, +U), 10 inserts
            assertThat(client.offsets("kv.columnar", "", Actions.OffsetSpec.LATEST, 0).stream().mapToLong(Actions.BucketOffset::offset).sum()).isEqualTo(60);
        }
    }

    /** Keys 0 .. n-1 of a BIGINT key. */
    private static final class LongStreamKeys
    {
        static List<Object[]> of(int n)
        {
            return IntStream.range(0, n).mapToObj(i -> new Object[] {(long) i}).toList();
        }
    }

    @Test
    void autoIncrementIdsAreUniqueUnderConcurrentWritersAndNeverReusedAfterARestart()
            throws Exception
    {
        hot.createTable("kv.users", TableDescriptor.builder()
                .column("user_key", DataType.string(), false)
                .column("uid", DataType.integer())
                .primaryKey("user_key")
                .autoIncrementColumn("uid")
                .bucketCount(4)
                .build());
        Map<String, Integer> ids = new java.util.concurrent.ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (InletClient client = hot.client()) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    // overlapping key ranges: the same key is asked for by two threads
                    List<Object[]> keys = IntStream.range(thread * 50, thread * 50 + 100).mapToObj(i -> new Object[] {"user-" + i}).toList();
                    for (Object[] row : client.lookupOrInsert("kv.users", keys)) {
                        Integer previous = ids.putIfAbsent((String) row[0], (Integer) row[1]);
                        assertThat(previous == null || previous.equals(row[1])).as("one id for %s", row[0]).isTrue();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        finally {
            pool.shutdownNow();
        }
        assertThat(ids).hasSize(250);
        assertThat(new HashSet<>(ids.values())).hasSize(250);

        hot.restart(() -> {});
        try (InletClient client = hot.client()) {
            // existing keys keep their ids; new keys get ids never handed out before
            List<Object[]> again = client.lookupOrInsert("kv.users", List.<Object[]>of(new Object[] {"user-7"}, new Object[] {"new-1"}, new Object[] {"new-2"}));
            assertThat(again.get(0)[1]).isEqualTo(ids.get("user-7"));
            Set<Object> fresh = Set.of(again.get(1)[1], again.get(2)[1]);
            assertThat(fresh).hasSize(2).doesNotContainAnyElementsOf(ids.values());
        }
    }

    @Test
    void prefixLookupsReturnEveryRowOfABucketKey()
    {
        hot.createTable("kv.orders", TableDescriptor.builder()
                .column("user_id", DataType.string(), false)
                .column("order_id", DataType.bigint(), false)
                .column("total", DataType.bigint())
                .primaryKey("user_id", "order_id")
                .bucketKey("user_id")
                .bucketCount(3)
                .build());
        try (InletClient client = hot.client(); UpsertWriter writer = client.newUpsertWriter("kv.orders", null, WriterOptions.defaults())) {
            for (long order = 0; order < 30; order++) {
                writer.upsert(new Object[] {"u" + (order % 3), order, order * 10});
            }
            writer.delete(new Object[] {"u1", 4L, null});
            writer.flush();
            List<List<Object[]>> answer = client.prefixLookup("kv.orders", List.<Object[]>of(new Object[] {"u1"}, new Object[] {"nobody"}));
            assertThat(answer.get(0)).extracting(row -> row[1]).containsExactly(1L, 7L, 10L, 13L, 16L, 19L, 22L, 25L, 28L);
            assertThat(answer.get(1)).isEmpty();
            assertThat(client.lookup("kv.orders", List.<Object[]>of(new Object[] {"u2", 5L}, new Object[] {"u1", 4L})).get(0)).containsExactly("u2", 5L, 50L);
            assertThat(client.lookup("kv.orders", List.<Object[]>of(new Object[] {"u1", 4L})).get(0)).isNull();
        }
    }

    @Test
    void aStateScanPlusTheLogAfterItsOffsetIsTheCurrentState()
    {
        hot.createTable("kv.state", wide().bucketCount(1).build());
        try (InletClient client = hot.client(); UpsertWriter writer = client.newUpsertWriter("kv.state", null, WriterOptions.defaults())) {
            for (int id = 0; id < 5000; id++) {
                writer.upsert(new Object[] {id, "v1", (long) id, null, null, null});
            }
            writer.delete(new Object[] {7, null, null, null, null, null});
            writer.flush();

            Map<Integer, List<Object>> state = new LinkedHashMap<>();
            long offset = client.scanState("kv.state", "", 0, null, batch -> {
                try (batch) {
                    batch.rows().forEach(row -> state.put((Integer) row[0], Arrays.asList(row)));
                }
            });
            // every acknowledged write is in the view: it includes the whole log
            assertThat(offset).isEqualTo(client.offsets("kv.state", "", Actions.OffsetSpec.LATEST, 0).getFirst().offset());
            assertThat(state).hasSize(4999).doesNotContainKey(7);
            assertThat(state.get(4321)).containsExactly(4321, "v1", 4321L, null, null, null);
            // rows come in key order (the key's encoding: big-endian, so 0, 1, ... for these ids)
            assertThat(state.keySet()).first().isEqualTo(0);

            // later writes: the log from the scan's offset, folded over the scan, is the new state
            writer.upsert(new Object[] {1, "v2", 1L, null, null, null});
            writer.delete(new Object[] {2, null, null, null, null, null});
            writer.flush();
            try (LogScanner scanner = client.newScanner("kv.state", ScanOptions.defaults())) {
                scanner.subscribe("", 0, StartPosition.offset(offset));
                int read = 0;
                Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
                while (read < 3) {
                    assertThat(Instant.now()).isBefore(deadline);
                    for (ScanBatch batch : scanner.poll(Duration.ofMillis(200))) {
                        try (batch) {
                            List<Object[]> rows = batch.rows();
                            for (int r = 0; r < rows.size(); r++) {
                                if (batch.changeType(r).isUpsert()) {
                                    state.put((Integer) rows.get(r)[0], Arrays.asList(rows.get(r)));
                                }
                                else if (batch.changeType(r) == ChangeType.DELETE) {
                                    state.remove((Integer) rows.get(r)[0]);
                                }
                            }
                            read += rows.size();
                        }
                    }
                }
            }
            assertThat(state).hasSize(4998);
            assertThat(state.get(1)).containsExactly(1, "v2", 1L, null, null, null);
            List<Object[]> looked = client.lookup("kv.state", IntStream.range(0, 5000).mapToObj(id -> new Object[] {id}).toList());
            for (int id = 0; id < 5000; id++) {
                assertThat(looked.get(id) == null ? null : Arrays.asList(looked.get(id))).as("key %s", id).isEqualTo(state.get(id));
            }
        }
    }

    @Test
    void snapshotsAreUploadedToS3WithAManifestAndTheNewestTwoKept()
            throws Exception
    {
        // an S3 bucket the embedded S3 server already has: the lake warehouse's
        String lakeBucket = URI.create(dev.inlet.catalog.CatalogSettings.fromConfig(hot.config()).paimonWarehouse()).getHost();
        hot.close();
        hot = new TestingHotStore(dir.resolve("s3"), Map.of("kv.snapshot.remote-dir", "s3://" + lakeBucket + "/inlet/kv"));
        long tableId = hot.createTable("kv.remote", wide().bucketCount(1).build()).tableId();
        List<Long> offsets = new ArrayList<>();
        try (InletClient client = hot.client(); UpsertWriter writer = client.newUpsertWriter("kv.remote", null, WriterOptions.defaults())) {
            for (int round = 0; round < 3; round++) {
                for (int id = 0; id < 100; id++) {
                    writer.upsert(new Object[] {id, "r" + round, (long) id, null, null, null});
                }
                writer.flush();
                hot.server().snapshotKvState();
                offsets.add(client.offsets("kv.remote", "", Actions.OffsetSpec.LATEST, 0).getFirst().offset());
            }
        }
        assertThat(offsets).containsExactly(100L, 300L, 500L);
        try (var s3 = dev.inlet.catalog.CatalogSettings.fromConfig(hot.config()).s3().newClient()) {
            String prefix = "inlet/kv/" + tableId + "/_/0/";
            List<String> keys = s3.listObjectsV2Paginator(b -> b.bucket(lakeBucket).prefix(prefix)).contents().stream()
                    .map(o -> o.key().substring(prefix.length())).toList();
            // the newest two snapshots, each complete: every file its manifest lists, with its size
            assertThat(keys.stream().map(k -> k.substring(0, k.indexOf('/'))).distinct().sorted().toList()).containsExactly("300", "500");
            for (String offset : List.of("300", "500")) {
                String manifest = s3.getObjectAsBytes(b -> b.bucket(lakeBucket).key(prefix + offset + "/" + KvSnapshotUploader.MANIFEST)).asUtf8String();
                List<String> lines = manifest.lines().toList();
                assertThat(lines).isNotEmpty().anyMatch(l -> l.startsWith("CURRENT "));
                for (String line : lines) {
                    String[] parts = line.split(" ");
                    long size = s3.headObject(b -> b.bucket(lakeBucket).key(prefix + offset + "/" + parts[0])).contentLength();
                    assertThat(size).as("%s of snapshot %s", parts[0], offset).isEqualTo(Long.parseLong(parts[1]));
                }
                assertThat(keys.stream().filter(k -> k.startsWith(offset + "/")).count()).isEqualTo(lines.size() + 1);
            }
        }
    }

    @Test
    void lookupsSeeAColumnAddedAfterTheClientCachedTheTable()
    {
        hot.createTable("kv.evolving", wide().bucketCount(2).build());
        try (InletClient client = hot.client()) {
            try (UpsertWriter writer = client.newUpsertWriter("kv.evolving", null, WriterOptions.defaults())) {
                writer.upsert(new Object[] {1, "a", 10L, null, null, null});
            }
            assertThat(client.lookup("kv.evolving", List.<Object[]>of(new Object[] {1})).get(0)).containsExactly(1, "a", 10L, null, null, null);
            hot.catalog().addColumn(dev.inlet.catalog.model.TablePath.parse("kv.evolving"), "note", DataType.string(), true, java.util.Optional.empty());
            try (UpsertWriter writer = client.newUpsertWriter("kv.evolving", null, WriterOptions.defaults())) {
                writer.upsert(new Object[] {2, "b", 20L, null, null, null, "new column"});
            }
            // the cached description is one column short: the server says so and the client describes it again
            List<Object[]> rows = client.lookup("kv.evolving", List.<Object[]>of(new Object[] {1}, new Object[] {2}));
            assertThat(rows.get(0)).containsExactly(1, "a", 10L, null, null, null, null);
            assertThat(rows.get(1)).containsExactly(2, "b", 20L, null, null, null, "new column");
        }
    }

    @Test
    void aClientsLookupStreamSurvivesAServerRestartAndTheLookupActionServesStockClients()
            throws Exception
    {
        hot.createTable("kv.lasting", wide().bucketCount(2).build());
        try (InletClient client = hot.client()) {
            try (UpsertWriter writer = client.newUpsertWriter("kv.lasting", null, WriterOptions.defaults())) {
                writer.upsert(new Object[] {1, "a", 10L, null, null, null});
            }
            assertThat(client.lookup("kv.lasting", List.<Object[]>of(new Object[] {1})).get(0)).containsExactly(1, "a", 10L, null, null, null);
            int port = hot.server().port();
            hot.restart(() -> {});
            // the server came back on another port in this test; the client's stream is broken either way
            assertThat(hot.server().port()).isNotEqualTo(port);
        }
        try (InletClient client = hot.client()) {
            List<Object[]> rows = client.lookup("kv.lasting", List.<Object[]>of(new Object[] {1}, new Object[] {2}));
            assertThat(rows.get(0)).containsExactly(1, "a", 10L, null, null, null);
            assertThat(rows.get(1)).isNull();
            hot.restart(() -> {});
        }

        // the unary lookup action, from a Flight client without Inlet's client classes
        try (var allocator = new org.apache.arrow.memory.RootAllocator();
                var flight = org.apache.arrow.flight.FlightClient.builder(allocator, org.apache.arrow.flight.Location.forGrpcInsecure("127.0.0.1", hot.server().port())).build();
                var keys = org.apache.arrow.vector.VectorSchemaRoot.create(new org.apache.arrow.vector.types.pojo.Schema(List.of(
                        org.apache.arrow.vector.types.pojo.Field.notNullable("id", new org.apache.arrow.vector.types.pojo.ArrowType.Int(32, true)))), allocator)) {
            var id = (org.apache.arrow.vector.IntVector) keys.getVector(0);
            id.allocateNew(2);
            id.set(0, 2);
            id.set(1, 1);
            keys.setRowCount(2);
            byte[] header = "{\"v\":1,\"table\":\"kv.lasting\",\"prefix\":false,\"insertIfAbsent\":false}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            new java.io.DataOutputStream(body).writeInt(header.length);
            body.write(header);
            try (var writer = new org.apache.arrow.vector.ipc.ArrowStreamWriter(keys, null, java.nio.channels.Channels.newChannel(new java.io.ByteArrayOutputStream()));
                    var batch = new org.apache.arrow.vector.VectorUnloader(keys).getRecordBatch()) {
                org.apache.arrow.vector.ipc.message.MessageSerializer.serialize(new org.apache.arrow.vector.ipc.WriteChannel(java.nio.channels.Channels.newChannel(body)), batch);
            }
            var results = flight.doAction(new org.apache.arrow.flight.Action("lookup", body.toByteArray()));
            byte[] answer = results.next().getBody();
            // the answer: one record batch of the table's columns and _key_index; key 1 (position 1) has a row
            try (var reader = new org.apache.arrow.vector.ipc.ArrowStreamReader(new java.io.ByteArrayInputStream(withSchema(allocator, answer)), allocator)) {
                assertThat(reader.loadNextBatch()).isTrue();
                var root = reader.getVectorSchemaRoot();
                assertThat(root.getRowCount()).isEqualTo(1);
                assertThat(root.getVector("_key_index").getObject(0)).isEqualTo(1);
                assertThat(root.getVector("name").getObject(0).toString()).isEqualTo("a");
            }
        }
    }

    /** A stream (schema message, then the answer's record batch message) that a stock ArrowStreamReader reads. */
    private static byte[] withSchema(org.apache.arrow.memory.BufferAllocator allocator, byte[] recordBatchMessage)
            throws Exception
    {
        var schema = dev.inlet.logstore.protocol.LookupMessages.resultSchema(wide().build());
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        org.apache.arrow.vector.ipc.message.MessageSerializer.serialize(new org.apache.arrow.vector.ipc.WriteChannel(java.nio.channels.Channels.newChannel(out)), schema);
        out.write(recordBatchMessage);
        return out.toByteArray();
    }

    @Test
    void aWriterOpenedBeforeAColumnWasAddedKeepsWritingAfterIt()
    {
        hot.createTable("kv.altered", wide().bucketCount(2).build());
        try (InletClient client = hot.client(); UpsertWriter writer = client.newUpsertWriter("kv.altered", null, WriterOptions.defaults())) {
            writer.upsert(new Object[] {1, "before", 1L, null, null, null});
            writer.flush();
            hot.catalog().addColumn(dev.inlet.catalog.model.TablePath.parse("kv.altered"), "note", DataType.string(), true, java.util.Optional.empty());
            // a newer writer fills the new column; the old one, still on six columns, keeps upserting
            try (UpsertWriter newer = client.newUpsertWriter("kv.altered", null, WriterOptions.defaults())) {
                newer.upsert(new Object[] {1, "newer", 2L, null, null, null, "a note"});
            }
            writer.upsert(new Object[] {2, "old writer", 3L, null, null, null});
            writer.upsert(new Object[] {1, "old writer again", 4L, null, null, null});
            writer.flush();
            List<Object[]> rows = client.lookup("kv.altered", List.<Object[]>of(new Object[] {1}, new Object[] {2}));
            // last_row with the old writer's six target columns: the note it does not target stays
            assertThat(rows.get(0)).containsExactly(1, "old writer again", 4L, null, null, null, "a note");
            assertThat(rows.get(1)).containsExactly(2, "old writer", 3L, null, null, null, null);
        }
    }

    @Test
    void badWritesAreRefusedWithTheTableAndColumnNamedAndWriteNothing()
    {
        hot.createTable("kv.first", wide().mergeEngine(MergeEngine.FIRST_ROW).build());
        hot.createTable("kv.auto", TableDescriptor.builder()
                .column("k", DataType.string(), false)
                .column("uid", DataType.bigint())
                .primaryKey("k")
                .autoIncrementColumn("uid")
                .build());
        try (InletClient client = hot.client()) {
            // the client refuses this before sending; the server refuses it the same way (UpsertBatch.target)
            assertThatThrownBy(() -> client.newUpsertWriter("kv.first", List.of("name", "amount"), WriterOptions.defaults()))
                    .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.INVALID_WRITE))
                    .hasMessage("A partial update of kv.first must include every primary-key column; target columns [name, amount] lack 'id'");
            assertRefused(client, "kv.first", List.of("id", "name"), new Object[] {1, "x"}, InletErrorCode.INVALID_WRITE,
                    "Table kv.first uses the first_row merge engine, which keeps whole first rows: it takes no partial updates (target columns [id, name])");
            assertRefused(client, "kv.auto", List.of("k", "uid"), new Object[] {"a", 5L}, InletErrorCode.INVALID_WRITE,
                    "Column 'uid' of kv.auto is its auto-increment column: the server assigns it, a writer cannot set it");
            try (UpsertWriter writer = client.newUpsertWriter("kv.first", null, WriterOptions.defaults())) {
                assertThatThrownBy(() -> writer.upsert(new Object[] {null, "x", 1L, 1L, true, 1L}))
                        .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.INVALID_ROW))
                        .hasMessage("A write to kv.first has a null in primary-key column 'id'");
                assertThatThrownBy(() -> writer.upsert(new Object[] {3, "x", "not a number", 1L, true, 1L}))
                        .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.INVALID_ROW))
                        .hasMessage("Invalid row for table kv.first: column 'amount' of type BIGINT takes Long values, got String 'not a number'");
            }
            assertThat(client.lookup("kv.first", List.<Object[]>of(new Object[] {1}, new Object[] {5})).get(0)).isNull();
            // a badly typed key fails that lookup with the table named, and the next one is served
            assertThatThrownBy(() -> client.lookup("kv.first", List.<Object[]>of(new Object[] {"one"})))
                    .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.INVALID_ROW))
                    .hasMessage("Invalid lookup key 0 for table kv.first: column 'id' of type INT takes Integer values, got String 'one'");
            assertThat(client.lookup("kv.first", List.<Object[]>of(new Object[] {5})).get(0)).isNull();
            // closing a writer twice is harmless
            UpsertWriter closed = client.newUpsertWriter("kv.first", null, WriterOptions.defaults());
            closed.close();
            closed.close();
            assertThat(client.offsets("kv.first", "", Actions.OffsetSpec.LATEST, 0)).extracting(Actions.BucketOffset::offset).containsOnly(0L);
        }
    }

    private static void assertRefused(InletClient client, String table, List<String> targets, Object[] row, InletErrorCode code, String message)
    {
        try (UpsertWriter writer = client.newUpsertWriter(table, targets, WriterOptions.defaults().withAckTimeout(Duration.ofSeconds(20)))) {
            writer.upsert(row);
            assertThatThrownBy(writer::flush)
                    .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(code))
                    .hasMessageContaining(message);
        }
    }

    @Test
    void aDeleteOfAMissingKeyWritesNoRowAndARetriedBatchIsNotAppliedTwice()
            throws Exception
    {
        hot.createTable("kv.sums", wide().mergeEngine(MergeEngine.aggregation(Map.of("amount", AggregateFunction.SUM))).bucketCount(1).build());
        try (InletClient client = hot.client(); UpsertWriter writer = client.newUpsertWriter("kv.sums", null, WriterOptions.defaults())) {
            writer.delete(new Object[] {42, null, null, null, null, null});
            writer.flush();
            assertThat(client.offsets("kv.sums", "", Actions.OffsetSpec.LATEST, 0)).extracting(Actions.BucketOffset::offset).containsExactly(0L);
            writer.upsert(new Object[] {1, "a", 10L, null, null, null});
            writer.flush();
            assertThat(client.offsets("kv.sums", "", Actions.OffsetSpec.LATEST, 0)).extracting(Actions.BucketOffset::offset).containsExactly(1L);
        }
        // a batch resent with the same writer id and sequence (what a client does after a lost ack)
        // is answered from the log, not summed again
        HotTable table = hotTable("kv.sums");
        HotBucket bucket = table.partition("", false).bucket(table.path(), 0);
        AppendOutcome first;
        AppendOutcome retried;
        try (org.apache.arrow.memory.RootAllocator allocator = new org.apache.arrow.memory.RootAllocator();
                UpsertBatch batch = UpsertBatch.of(table.descriptor(), UpsertBatch.target(table.path(), table.descriptor(), null),
                        List.of(dev.inlet.logstore.protocol.UpsertOp.UPSERT), List.<Object[]>of(new Object[] {1, null, 5L, null, null, null}), allocator)) {
            first = KvWriter.write(table, bucket, batch, 77, 0, 1 << 20).get();
            retried = KvWriter.write(table, bucket, batch, 77, 0, 1 << 20).get();
        }
        assertThat(retried.duplicate()).isTrue();
        assertThat(retried.baseOffset()).isEqualTo(first.baseOffset());
        try (InletClient client = hot.client()) {
            assertThat(client.lookup("kv.sums", java.util.Collections.singletonList(new Object[] {1})).get(0)[2]).isEqualTo(15L);
        }
    }

    private HotTable hotTable(String name)
            throws Exception
    {
        var field = LogStoreServer.class.getDeclaredField("store");
        field.setAccessible(true);
        return ((HotStore) field.get(hot.server())).table(name);
    }
}
