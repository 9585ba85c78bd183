/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.model.DataType;
import dev.inlet.catalog.model.LakeFormat;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.logstore.client.AppendWriter;
import dev.inlet.logstore.client.UpsertWriter;
import dev.inlet.logstore.client.WriterOptions;
import dev.inlet.tiering.RoundHooks;
import dev.inlet.tiering.TieringTestCluster;
import dev.inlet.union.filter.ColumnPredicate;
import dev.inlet.union.filter.Filter;
import dev.inlet.union.plan.ScanPlan;
import dev.inlet.union.plan.Split;
import dev.inlet.union.plan.SplitCodec;
import dev.inlet.union.read.BatchSource;
import dev.inlet.union.read.ReadStats;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Union reads of log and primary-key tables over a real hot store, real tiering rounds and real
 * lake tables on S3, for one lake format: exact rows, each edge of planning, spill and every
 * pushdown (equal to the unpushed read, and the work skipped seen in the read statistics).
 */
abstract class AbstractTestUnionRead
{
    @TempDir
    Path dir;

    TieringTestCluster cluster;
    UnionReader reader;
    private final List<UnionReader> readers = new ArrayList<>();

    abstract LakeFormat format();

    /** Whether the format's lake files without deletes are decoded column by column. */
    abstract boolean columnarLakeReads();

    @BeforeEach
    void setUp()
            throws Exception
    {
        cluster = new TieringTestCluster(dir.resolve("cluster"));
        reader = reader(UnionReaderOptions.Settings.defaults());
    }

    UnionReader reader(UnionReaderOptions.Settings settings)
    {
        UnionReader created = new UnionReader(cluster.catalog(), cluster.client(), new UnionReaderOptions.Settings(settings.mergeMemoryBytes(), dir.resolve("spill"),
                settings.readTimeout(), settings.batchRows()));
        readers.add(created);
        return created;
    }

    @AfterEach
    void tearDown()
    {
        // every batch a test read was closed: nothing of the union reader leaks
        for (UnionReader r : readers) {
            assertThat(r.allocatedBytes()).isZero();
            r.close();
        }
        cluster.close();
    }

    void tier(String table)
    {
        cluster.round(RoundHooks.NONE).run(TablePath.parse(table)).orElseThrow();
    }

    TableDescriptor.Builder events()
    {
        return TableDescriptor.builder()
                .column("id", DataType.bigint(), false)
                .column("region", DataType.string(), false)
                .column("name", DataType.string())
                .column("amount", DataType.doubleType())
                .bucketKey("id")
                .bucketCount(3)
                .lakeFormat(format());
    }

    static List<Object> event(long id)
    {
        String region = switch ((int) (id % 3)) {
            case 0 -> "eu";
            case 1 -> "us";
            default -> "ap";
        };
        return Arrays.asList(id, region, id % 5 == 0 ? null : "event-" + id, id * 1.5);
    }

    void append(String table, long from, long to)
    {
        try (AppendWriter writer = cluster.client().newWriter(table, WriterOptions.defaults())) {
            for (long id = from; id < to; id++) {
                writer.append(event(id).toArray());
            }
        }
    }

    static List<List<Object>> events(long from, long to)
    {
        List<List<Object>> rows = new ArrayList<>();
        for (long id = from; id < to; id++) {
            rows.add(event(id));
        }
        return rows;
    }

    List<List<Object>> read(ScanRequest request)
    {
        try (UnionScan scan = reader.scan(request)) {
            return scan.rows();
        }
    }

    record Read(ScanPlan plan, ReadStats stats, List<List<Object>> rows) {}

    /** Reads every split of a plan made earlier, dropping the rows. */
    void readAllSplits(ScanPlan plan)
    {
        for (Split split : plan.splits()) {
            try (BatchSource source = reader.open(split, new ReadStats())) {
                for (VectorSchemaRoot batch = source.next(); batch != null; batch = source.next()) {
                    batch.close();
                }
            }
        }
    }

    Read readWithStats(UnionReader reader, ScanRequest request)
    {
        try (UnionScan scan = reader.scan(request)) {
            List<List<Object>> rows = scan.rows();
            return new Read(scan.plan(), scan.stats(), rows);
        }
    }

    @Test
    void aLogTableIsItsLakeSnapshotPlusTheHotTail()
    {
        cluster.createTable("shop.events", events().build());
        append("shop.events", 0, 300);
        tier("shop.events");
        append("shop.events", 300, 400);

        Read read = readWithStats(reader, ScanRequest.of("shop.events"));
        assertThat(read.rows()).containsExactlyInAnyOrderElementsOf(events(0, 400));
        assertThat(read.plan().readsLake()).isTrue();
        assertThat(read.stats().lakeRows.sum()).isEqualTo(300);
        assertThat(read.stats().hotRows.sum()).as("only the rows the lake does not hold are read from the hot store").isEqualTo(100);
        assertThat(read.plan().highWaterMarks().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(400);
        assertThat(read.plan().tiered().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(300);
    }

    @Test
    void withoutALakeSnapshotTheHotStoreAnswersAlone()
    {
        cluster.createTable("shop.fresh", events().build());
        append("shop.fresh", 0, 50);
        Read read = readWithStats(reader, ScanRequest.of("shop.fresh"));
        assertThat(read.plan().readsLake()).isFalse();
        assertThat(read.rows()).containsExactlyInAnyOrderElementsOf(events(0, 50));
        assertThat(read.stats().lakeTasks.sum()).isZero();
    }

    @Test
    void aFullyTieredTableIsReadFromTheLakeOnly()
    {
        cluster.createTable("shop.tiered", events().build());
        append("shop.tiered", 0, 120);
        tier("shop.tiered");
        Read read = readWithStats(reader, ScanRequest.of("shop.tiered"));
        assertThat(read.rows()).containsExactlyInAnyOrderElementsOf(events(0, 120));
        assertThat(read.plan().splits()).allMatch(s -> s instanceof Split.Lake);
        assertThat(read.stats().hotRows.sum()).isZero();
    }

    /** One column of every Inlet type, nullable, so the lake readers' decoding of each is checked. */
    TableDescriptor.Builder everyType()
    {
        return TableDescriptor.builder()
                .column("id", DataType.bigint(), false)
                .column("flag", DataType.booleanType())
                .column("tiny", DataType.tinyint())
                .column("small", DataType.smallint())
                .column("num", DataType.integer())
                .column("big", DataType.bigint())
                .column("ratio", DataType.floatType())
                .column("score", DataType.doubleType())
                .column("price", DataType.decimal(9, 2))
                .column("total", DataType.decimal(18, 4))
                .column("huge", DataType.decimal(30, 6))
                .column("label", DataType.string())
                .column("payload", DataType.bytes())
                .column("day", DataType.date())
                .column("at_millis", DataType.timestamp(3))
                .column("at_micros", DataType.timestamp(6))
                .column("at_instant", DataType.timestampLtz(6))
                .bucketKey("id")
                .bucketCount(2)
                .lakeFormat(format());
    }

    static List<Object> everyTypeRow(long id)
    {
        if (id % 7 == 3) {
            List<Object> nulls = new ArrayList<>(java.util.Collections.nCopies(17, null));
            nulls.set(0, id);
            return nulls;
        }
        long sign = id % 2 == 0 ? 1 : -1;
        java.time.LocalDateTime micros = java.time.LocalDateTime.of(1969, 12, 31, 23, 59, 58).plusSeconds(id * 3_601).plusNanos(id * 1_001_000L);
        return Arrays.asList(
                id,
                id % 3 == 0,
                (byte) (sign * (id % 128)),
                (short) (sign * id * 97),
                (int) (sign * id * 100_003),
                sign * id * 10_000_000_019L,
                (float) (sign * id / 8.0),
                sign * id / 3.0,
                new java.math.BigDecimal(java.math.BigInteger.valueOf(sign * id * 1_234_567), 2),
                new java.math.BigDecimal(java.math.BigInteger.valueOf(sign * id * 12_345_678_901_234L), 4),
                new java.math.BigDecimal(new java.math.BigInteger("123456789012345678901234").multiply(java.math.BigInteger.valueOf(sign * id)), 6),
                id % 4 == 0 ? "" : "label-" + (id % 11) + "-\u00e9",
                new byte[] {(byte) id, (byte) (id >> 8), 0, -1},
                java.time.LocalDate.of(1969, 12, 1).plusDays(id * 13),
                micros.withNano(micros.getNano() / 1_000_000 * 1_000_000),
                micros,
                micros.toInstant(java.time.ZoneOffset.UTC));
    }

    /** Rows with byte arrays shown as hex, so rows compare by value. */
    static List<List<Object>> comparable(List<List<Object>> rows)
    {
        return rows.stream()
                .map(row -> row.stream().map(v -> v instanceof byte[] bytes ? java.util.HexFormat.of().formatHex(bytes) : v).toList())
                .toList();
    }

    @Test
    void everyTypeReadsBackFromTheLakeExactly()
    {
        cluster.createTable("shop.types", everyType().build());
        List<List<Object>> expected = new ArrayList<>();
        try (AppendWriter writer = cluster.client().newWriter("shop.types", WriterOptions.defaults())) {
            for (long id = 0; id < 500; id++) {
                writer.append(everyTypeRow(id).toArray());
                expected.add(everyTypeRow(id));
            }
        }
        tier("shop.types");

        Read lake = readWithStats(reader, ScanRequest.of("shop.types").withLakeOnly());
        assertThat(lake.stats().lakeRows.sum()).isEqualTo(500);
        assertThat(lake.stats().lakeColumnarFiles.sum()).isEqualTo(columnarLakeReads() ? lake.stats().lakeFiles.sum() : 0);
        assertThat(comparable(lake.rows())).containsExactlyInAnyOrderElementsOf(comparable(expected));
        List<String> some = List.of("huge", "at_millis", "label", "id");
        List<List<Object>> projected = comparable(read(ScanRequest.of("shop.types").withColumns(some).withLakeOnly()));
        assertThat(projected).containsExactlyInAnyOrderElementsOf(expected.stream()
                .map(row -> Arrays.asList(row.get(10), row.get(14), row.get(11), row.get(0)))
                .toList());
    }

    @Test
    void aColumnAddedAfterTieringIsNullInTheFilesWrittenBefore()
    {
        cluster.createTable("shop.grown", events().build());
        append("shop.grown", 0, 60);
        tier("shop.grown");
        cluster.catalog().addColumn(TablePath.parse("shop.grown"), "note", DataType.string(), true, java.util.Optional.empty());

        List<List<Object>> rows = read(ScanRequest.of("shop.grown").withColumns(List.of("id", "note")).withLakeOnly());
        List<List<Object>> expected = new ArrayList<>();
        for (long id = 0; id < 60; id++) {
            expected.add(Arrays.asList(id, null));
        }
        assertThat(rows).containsExactlyInAnyOrderElementsOf(expected);
        // the added column alone: no column of the old files is read, their row counts still are
        assertThat(read(ScanRequest.of("shop.grown").withColumns(List.of("note")).withLakeOnly()))
                .hasSize(60)
                .allMatch(row -> row.size() == 1 && row.getFirst() == null);
    }

    TableDescriptor.Builder accounts()
    {
        return TableDescriptor.builder()
                .column("id", DataType.bigint(), false)
                .column("name", DataType.string())
                .column("amount", DataType.doubleType())
                .primaryKey("id")
                .bucketCount(2)
                .lakeFormat(format());
    }

    /**
     * Upserts 0..200, tiers, then updates, deletes, partial updates and inserts in the hot tail;
     * returns the state those writes make.
     */
    Map<Long, List<Object>> writeAccounts(String table)
    {
        Map<Long, List<Object>> model = new TreeMap<>();
        try (UpsertWriter writer = cluster.client().newUpsertWriter(table, List.of("id", "name", "amount"), WriterOptions.defaults())) {
            for (long id = 0; id < 200; id++) {
                writer.upsert(new Object[] {id, "name-" + id, id * 2.0});
                model.put(id, Arrays.asList(id, "name-" + id, id * 2.0));
            }
        }
        tier(table);
        try (UpsertWriter writer = cluster.client().newUpsertWriter(table, List.of("id", "name", "amount"), WriterOptions.defaults())) {
            for (long id = 0; id < 50; id++) {
                writer.upsert(new Object[] {id, "renamed-" + id, id * 3.0});
                model.put(id, Arrays.asList(id, "renamed-" + id, id * 3.0));
            }
            for (long id = 50; id < 70; id++) {
                writer.delete(new Object[] {id, null, null});
                model.remove(id);
            }
            for (long id = 200; id < 230; id++) {
                writer.upsert(new Object[] {id, "new-" + id, 1.0});
                model.put(id, Arrays.asList(id, "new-" + id, 1.0));
            }
            // a key deleted and written again within the tail
            writer.delete(new Object[] {60L, null, null});
            writer.upsert(new Object[] {60L, "back", 6.0});
            model.put(60L, Arrays.asList(60L, "back", 6.0));
        }
        try (UpsertWriter partial = cluster.client().newUpsertWriter(table, List.of("id", "amount"), WriterOptions.defaults())) {
            for (long id = 70; id < 90; id++) {
                partial.upsert(new Object[] {id, -1.0});
                model.put(id, Arrays.asList(id, "name-" + id, -1.0));
            }
        }
        return model;
    }

    @Test
    void aPrimaryKeyTableIsTheKeyValueStateAtTheHighWaterMarks()
    {
        cluster.createTable("shop.accounts", accounts().build());
        Map<Long, List<Object>> model = writeAccounts("shop.accounts");

        Read read = readWithStats(reader, ScanRequest.of("shop.accounts"));
        assertThat(read.rows()).containsExactlyInAnyOrderElementsOf(model.values());
        assertThat(read.plan().splits()).allMatch(s -> s instanceof Split.Merge);
        assertThat(read.stats().lakeRows.sum()).isEqualTo(200);
        assertThat(read.stats().spilledRows.sum()).isZero();

        // once tiered, the lake alone holds the same state
        tier("shop.accounts");
        Read after = readWithStats(reader, ScanRequest.of("shop.accounts"));
        assertThat(after.rows()).containsExactlyInAnyOrderElementsOf(model.values());
        assertThat(after.stats().hotRows.sum()).isZero();
    }

    @Test
    void aTailLargerThanTheMemoryBudgetIsSpilledAndGivesTheSameRows()
    {
        cluster.createTable("shop.spilled", accounts().build());
        Map<Long, List<Object>> model = writeAccounts("shop.spilled");

        Read read = readWithStats(reader(UnionReaderOptions.Settings.defaults().withMergeMemoryBytes(2048).withBatchRows(64)), ScanRequest.of("shop.spilled"));
        assertThat(read.rows()).containsExactlyInAnyOrderElementsOf(model.values());
        assertThat(read.stats().spilledRows.sum()).as("tail and lake rows went through spill files").isGreaterThan(0);
        assertThat(read.stats().spilledBytes.sum()).isGreaterThan(0);
        try (var files = java.nio.file.Files.list(dir.resolve("spill"))) {
            assertThat(files.toList()).as("spill files are deleted after the merge").isEmpty();
        }
        catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void projectionReturnsTheAskedColumnsInTheAskedOrder()
    {
        cluster.createTable("shop.projected", accounts().build());
        Map<Long, List<Object>> model = writeAccounts("shop.projected");
        Read projected = readWithStats(reader, ScanRequest.of("shop.projected").withColumns(List.of("amount")));
        assertThat(projected.rows()).containsExactlyInAnyOrderElementsOf(model.values().stream().map(r -> List.of(r.get(2))).toList());
        assertThat(read(ScanRequest.of("shop.projected").withColumns(List.of("amount", "name"))))
                .containsExactlyInAnyOrderElementsOf(model.values().stream().map(r -> Arrays.asList(r.get(2), r.get(1))).toList());
        Read all = readWithStats(reader, ScanRequest.of("shop.projected"));
        assertThat(projected.stats().hotRows.sum()).isEqualTo(all.stats().hotRows.sum());
        assertThat(projected.stats().hotBytes.sum()).as("the hot store sent the key and amount columns only, not name").isLessThan(all.stats().hotBytes.sum());
    }

    @Test
    void aPartitionDroppedFromTheHotStoreAfterTieringIsReadFromTheLake()
    {
        cluster.createTable("shop.retired", events().partitionKeys("region").build());
        append("shop.retired", 0, 90);
        tier("shop.retired");
        append("shop.retired", 90, 120);
        cluster.client().dropPartition("shop.retired", "region=eu");
        List<List<Object>> expected = events(0, 120).stream().filter(r -> !r.get(1).equals("eu") || (Long) r.get(0) < 90).toList();
        Read read = readWithStats(reader, ScanRequest.of("shop.retired"));
        assertThat(read.rows()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(read.plan().highWaterMarks().keySet()).noneMatch(b -> b.partition().equals("region=eu"));
    }

    @Test
    void filtersPrunePartitionsAndFilesAndTheRestIsExact()
    {
        cluster.createTable("shop.regions", events().partitionKeys("region").build());
        append("shop.regions", 0, 300);
        tier("shop.regions");
        append("shop.regions", 300, 360);
        Filter filter = Filter.of(ColumnPredicate.equal("region", "eu"), ColumnPredicate.compare("id", ColumnPredicate.Op.GE, 100L),
                ColumnPredicate.notNull("name"));

        Read all = readWithStats(reader, ScanRequest.of("shop.regions"));
        Read filtered = readWithStats(reader, ScanRequest.of("shop.regions").withFilter(filter));
        List<List<Object>> expected = all.rows().stream()
                .filter(r -> r.get(1).equals("eu") && (Long) r.get(0) >= 100 && r.get(2) != null)
                .toList();
        assertThat(filtered.rows()).containsExactlyInAnyOrderElementsOf(expected).isNotEmpty();
        assertThat(filtered.plan().prunedPartitions()).as("hot partitions us and ap are not read").isEqualTo(2);
        assertThat(filtered.stats().lakeFiles.sum()).as("lake files of other regions are not read").isLessThan(all.stats().lakeFiles.sum());
        assertThat(filtered.stats().hotRows.sum()).isLessThan(all.stats().hotRows.sum());
    }

    @Test
    void aLimitReadsNoMoreSplitsThanItNeeds()
    {
        cluster.createTable("shop.limited", events().build());
        append("shop.limited", 0, 300);
        tier("shop.limited");
        append("shop.limited", 300, 330);
        Read read = readWithStats(reader, ScanRequest.of("shop.limited").withLimit(5));
        assertThat(read.rows()).hasSize(5).allMatch(r -> events(0, 330).contains(r));
        Read all = readWithStats(reader, ScanRequest.of("shop.limited"));
        assertThat(read.plan().splits().size()).isLessThan(all.plan().splits().size());
        assertThat(read.stats().lakeRows.sum() + read.stats().hotRows.sum()).isLessThan(330);
    }

    @Test
    void aFilterThatFixesTheKeyIsAnsweredByPointLookups()
    {
        cluster.createTable("shop.looked", accounts().build());
        Map<Long, List<Object>> model = writeAccounts("shop.looked");
        Read read = readWithStats(reader, ScanRequest.of("shop.looked").withFilter(Filter.of(ColumnPredicate.in("id", 3L, 55L, 75L, 999L))));
        assertThat(read.plan().splits()).singleElement().isInstanceOf(Split.Lookup.class);
        assertThat(read.rows()).containsExactlyInAnyOrder(model.get(3L), model.get(75L));
        assertThat(read.stats().lookups.sum()).isEqualTo(4);
        assertThat(read.stats().lakeRows.sum() + read.stats().hotRows.sum()).isZero();
    }

    @Test
    void splitsAreReadFromTheirSerializedForm()
    {
        cluster.createTable("shop.shipped", accounts().partitionKeys().build());
        Map<Long, List<Object>> model = writeAccounts("shop.shipped");
        ScanPlan plan = reader.plan(ScanRequest.of("shop.shipped").withFilter(Filter.of(ColumnPredicate.compare("amount", ColumnPredicate.Op.LT, 1000.0))));
        List<List<Object>> rows = new ArrayList<>();
        ReadStats stats = new ReadStats();
        for (Split split : plan.splits()) {
            String json = SplitCodec.toJson(split);
            Split shipped = SplitCodec.fromJson(json);
            assertThat(shipped).isEqualTo(split);
            try (BatchSource source = reader.open(shipped, stats)) {
                for (VectorSchemaRoot next = source.next(); next != null; next = source.next()) {
                    try (VectorSchemaRoot batch = next) {
                        for (int r = 0; r < batch.getRowCount(); r++) {
                            List<Object> row = new ArrayList<>();
                            for (FieldVector v : batch.getFieldVectors()) {
                                row.add(dev.inlet.logstore.arrow.ArrowValues.get(v, r));
                            }
                            rows.add(row);
                        }
                    }
                }
            }
        }
        assertThat(rows).containsExactlyInAnyOrderElementsOf(model.values().stream().filter(r -> (Double) r.get(2) < 1000.0).toList());
    }

    @Test
    void hotRowsDeletedAfterPlanningMakeThePlanStale()
    {
        cluster.createTable("shop.dropped", events().partitionKeys("region").build());
        append("shop.dropped", 0, 30);
        ScanPlan plan = reader.plan(ScanRequest.of("shop.dropped"));
        cluster.client().dropPartition("shop.dropped", "region=eu");
        assertThatThrownBy(() -> readAllSplits(plan))
                .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.SCAN_PLAN_STALE))
                .hasMessageContaining("shop.dropped")
                .hasMessageContaining("plan the scan again");
    }

    @Test
    void badRequestsNameTheTableAndColumn()
    {
        cluster.createTable("shop.bad", events().build());
        assertThatThrownBy(() -> reader.plan(ScanRequest.of("shop.bad").withColumns(List.of("id", "colour"))))
                .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.INVALID_SCAN))
                .hasMessageContaining("shop.bad")
                .hasMessageContaining("'colour'");
        assertThatThrownBy(() -> reader.plan(ScanRequest.of("shop.bad").withFilter(Filter.of(ColumnPredicate.equal("id", "seven")))))
                .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.INVALID_SCAN))
                .hasMessageContaining("shop.bad")
                .hasMessageContaining("column 'id' of type BIGINT")
                .hasMessageContaining("'seven'");
    }
}
