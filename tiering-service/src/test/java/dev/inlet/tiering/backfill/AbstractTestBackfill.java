/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering.backfill;

import dev.inlet.catalog.config.InletConfig;
import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.lake.BackfilledFile;
import dev.inlet.catalog.lake.LakeCheckpoint;
import dev.inlet.catalog.model.DataType;
import dev.inlet.catalog.model.LakeFormat;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.logstore.client.AppendWriter;
import dev.inlet.logstore.client.WriterOptions;
import dev.inlet.tiering.LakeTierWriter;
import dev.inlet.tiering.LakeWriters;
import dev.inlet.tiering.RoundHooks;
import dev.inlet.tiering.TieringMetrics;
import dev.inlet.tiering.TieringOptions;
import dev.inlet.tiering.TieringRound;
import dev.inlet.tiering.TieringService;
import dev.inlet.tiering.TieringTestCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static dev.inlet.tiering.backfill.BackfillSources.order;
import static dev.inlet.tiering.backfill.BackfillSources.orders;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Backfills of a log table from files on real S3 into its lake table on real S3, read back with
 * the lake format's own library: every source format, the tiering bookkeeping carried forward,
 * crashes and re-runs, bad input and overwrites. Run for Paimon and Iceberg.
 */
abstract class AbstractTestBackfill
{
    static final TablePath ORDERS = TablePath.parse("shop.orders");
    static final String DAY1 = "2026-11-01";
    static final String DAY2 = "2026-11-02";

    abstract LakeFormat format();

    @TempDir
    Path dir;

    TieringTestCluster cluster;
    BackfillSources sources;

    @BeforeEach
    void setUp()
            throws Exception
    {
        cluster = new TieringTestCluster(dir.resolve("cluster"));
        sources = new BackfillSources();
        cluster.createTable(ORDERS.toString(), TableDescriptor.builder()
                .column("id", DataType.bigint(), false)
                .column("name", DataType.string())
                .column("amount", DataType.decimal(10, 2))
                .column("at", DataType.timestamp(6))
                .column("dt", DataType.string(), false)
                .partitionKeys("dt")
                .bucketKey("id")
                .bucketCount(2)
                .lakeFormat(format())
                .freshness(Duration.ofSeconds(1))
                .build());
    }

    @AfterEach
    void tearDown()
    {
        sources.close();
        cluster.close();
    }

    Backfill backfill(Backfill.Hooks hooks, Map<String, String> settings)
    {
        return new Backfill(cluster.catalog(), InletConfig.of(settings), cluster::client, hooks);
    }

    Backfill.Result run(String from, Map<String, String> partition, Backfill.Mode mode, boolean skipBadRows)
    {
        return run(backfill(Backfill.Hooks.NONE, Map.of()), from, partition, mode, skipBadRows);
    }

    Backfill.Result run(Backfill backfill, String from, Map<String, String> partition, Backfill.Mode mode, boolean skipBadRows)
    {
        return run(backfill, from, partition, mode, skipBadRows, 1);
    }

    Backfill.Result run(Backfill backfill, String from, Map<String, String> partition, Backfill.Mode mode, boolean skipBadRows, int parallelism)
    {
        return backfill.run(new Backfill.Request(ORDERS, from, Optional.empty(), partition, mode, parallelism, false, skipBadRows, dir.resolve("rejects.jsonl"), false),
                progress -> {});
    }

    Backfill.Result append(String from)
    {
        return run(from, Map.of(), Backfill.Mode.APPEND, false);
    }

    List<List<Object>> lake()
            throws Exception
    {
        return cluster.readLake(ORDERS.toString());
    }

    Optional<LakeCheckpoint> checkpoint()
    {
        try (LakeTierWriter lake = new LakeWriters(cluster.catalog(), "inlet-tiering").open(cluster.catalog().getTable(ORDERS))) {
            return lake.newestCheckpoint();
        }
    }

    void appendHot(long from, long to, String dt)
    {
        try (AppendWriter writer = cluster.client().newWriter(ORDERS.toString(), WriterOptions.defaults())) {
            for (long id = from; id < to; id++) {
                writer.append(order(id, dt).toArray());
            }
        }
    }

    static List<List<Object>> concat(List<List<Object>>... parts)
    {
        List<List<Object>> all = new ArrayList<>();
        for (List<List<Object>> part : parts) {
            all.addAll(part);
        }
        return all;
    }

    @Test
    void parquetCsvAndJsonFilesLandInTheLakeNextToTieredRowsWithTheOffsetsKept()
            throws Exception
    {
        // live rows first, tiered: the backfill must keep their offsets as they are
        appendHot(1000, 1010, DAY2);
        TieringRound.Result tiered = cluster.round(RoundHooks.NONE).run(ORDERS).orElseThrow();

        String csv = sources.csv("orders/a.csv", orders(0, 100, DAY1));
        String json = sources.json("orders/b.jsonl", orders(100, 200, DAY2));
        String parquet = sources.parquet("orders/c.parquet", orders(200, 300, DAY1), BackfillSources.Id.REQUIRED);
        sources.text("orders/_SUCCESS", "");

        Backfill.Result result = append(sources.location("orders/"));
        assertThat(result.loaded()).extracting(SourceFile::location).containsExactly(csv, json, parquet);
        assertThat(result.rows()).isEqualTo(300);
        assertThat(result.columnarFiles()).as("the Parquet file decoded column by column").isEqualTo(1);
        assertThat(result.snapshots()).hasSize(1);
        assertThat(lake()).containsExactlyInAnyOrderElementsOf(concat(orders(0, 100, DAY1), orders(100, 200, DAY2), orders(200, 300, DAY1), orders(1000, 1010, DAY2)));

        LakeCheckpoint backfilled = checkpoint().orElseThrow();
        assertThat(backfilled.snapshotId()).isEqualTo(result.snapshots().getFirst());
        assertThat(backfilled.round()).isEqualTo(tiered.round() + 1);
        assertThat(backfilled.offsets()).isEqualTo(tiered.offsets());
        assertThat(backfilled.backfilled()).containsExactly(new BackfilledFile(csv, sizeOf(csv), 100), new BackfilledFile(json, sizeOf(json), 100),
                new BackfilledFile(parquet, sizeOf(parquet), 100));
        assertThat(cluster.catalog().store().backfilledFiles(cluster.catalog().getTable(ORDERS).tableId())).containsOnlyKeys(csv, json, parquet);

        // tiering goes on after it, from the same offsets
        appendHot(1010, 1020, DAY1);
        TieringRound.Result next = cluster.round(RoundHooks.NONE).run(ORDERS).orElseThrow();
        assertThat(next.round()).isEqualTo(backfilled.round() + 1);
        assertThat(next.rows()).isEqualTo(10);
        assertThat(lake()).containsExactlyInAnyOrderElementsOf(concat(orders(0, 100, DAY1), orders(100, 200, DAY2), orders(200, 300, DAY1), orders(1000, 1010, DAY2),
                orders(1010, 1020, DAY1)));
    }

    private long sizeOf(String location)
    {
        return sources.size(location);
    }

    @Test
    void aCrashedRunIsCompletedByTheNextAndAFinishedRunAddsNothing()
            throws Exception
    {
        String first = sources.csv("orders/1.csv", orders(0, 50, DAY1));
        String second = sources.csv("orders/2.csv", orders(50, 100, DAY1));
        String third = sources.json("orders/3.json", orders(100, 150, DAY2));
        // one file per commit; the second commit "crashes" before it is made
        AtomicInteger commits = new AtomicInteger();
        Backfill crashing = backfill(new Backfill.Hooks()
        {
            @Override
            public void beforeCommit(List<SourceFile> files)
            {
                if (commits.incrementAndGet() == 2) {
                    throw new IllegalStateException("crash before the second commit");
                }
            }
        }, Map.of(BackfillOptions.COMMIT_BYTES.key(), "1"));
        assertThatThrownBy(() -> run(crashing, sources.location("orders/"), Map.of(), Backfill.Mode.APPEND, false)).hasMessageContaining("crash before the second commit");
        assertThat(lake()).containsExactlyInAnyOrderElementsOf(orders(0, 50, DAY1));

        Backfill.Result resumed = append(sources.location("orders/"));
        assertThat(resumed.skipped()).extracting(SourceFile::location).containsExactly(first);
        assertThat(resumed.loaded()).extracting(SourceFile::location).containsExactly(second, third);
        assertThat(lake()).containsExactlyInAnyOrderElementsOf(concat(orders(0, 100, DAY1), orders(100, 150, DAY2)));

        long snapshot = checkpoint().orElseThrow().snapshotId();
        Backfill.Result again = append(sources.location("orders/"));
        assertThat(again.loaded()).isEmpty();
        assertThat(again.skipped()).hasSize(3);
        assertThat(again.snapshots()).isEmpty();
        assertThat(checkpoint().orElseThrow().snapshotId()).isEqualTo(snapshot);
        assertThat(lake()).containsExactlyInAnyOrderElementsOf(concat(orders(0, 100, DAY1), orders(100, 150, DAY2)));

        // a crash after the lake commit, before the catalog recorded it: the lake's record counts
        String fourth = sources.csv("orders/4.csv", orders(150, 160, DAY2));
        Backfill lost = backfill(new Backfill.Hooks()
        {
            @Override
            public void lakeCommitted(List<SourceFile> files, long lakeSnapshot)
            {
                throw new IllegalStateException("crash after the lake commit");
            }
        }, Map.of());
        assertThatThrownBy(() -> run(lost, sources.location("orders/"), Map.of(), Backfill.Mode.APPEND, false)).hasMessageContaining("crash after the lake commit");
        assertThat(cluster.catalog().store().backfilledFiles(cluster.catalog().getTable(ORDERS).tableId())).doesNotContainKey(fourth);
        Backfill.Result afterLoss = append(sources.location("orders/"));
        assertThat(afterLoss.loaded()).isEmpty();
        assertThat(afterLoss.skipped()).hasSize(4);
        assertThat(lake()).containsExactlyInAnyOrderElementsOf(concat(orders(0, 100, DAY1), orders(100, 150, DAY2), orders(150, 160, DAY2)));
    }

    @Test
    void badInputNamesTheFileRowAndColumnAndCommitsNothingOfItsCommit()
            throws Exception
    {
        sources.csv("bad/1.csv", orders(0, 10, DAY1));
        String bad = sources.text("bad/2.csv", "id,name,amount,at,dt\n10,a,1.00,2025-01-01T00:00,2026-11-01\n11,b,12.345,2025-01-01T00:00,2026-11-01\n");
        assertThatThrownBy(() -> append(sources.location("bad/")))
                .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.BACKFILL_INVALID_INPUT))
                .hasMessageContaining("File " + bad)
                .hasMessageContaining("line 3, column 'amount'")
                .hasMessageContaining("DECIMAL(10,2) cannot hold 12.345 without rounding")
                .hasMessageContaining("nothing of the commit of 2 files");
        assertThat(lake()).isEmpty();
        assertThat(checkpoint()).isEmpty();

        // the alternative: skipped, counted and written to the rejects file
        Backfill.Result skipping = run(sources.location("bad/"), Map.of(), Backfill.Mode.APPEND, true);
        assertThat(skipping.rows()).isEqualTo(11);
        assertThat(skipping.rejected()).isEqualTo(1);
        assertThat(Files.readAllLines(dir.resolve("rejects.jsonl"))).singleElement().asString()
                .contains("\"file\":\"" + bad + "\"").contains("\"row\":3").contains("column 'amount'");
        assertThat(lake()).containsExactlyInAnyOrderElementsOf(concat(orders(0, 10, DAY1), List.of(List.of(10L, "a", new java.math.BigDecimal("1.00"),
                java.time.LocalDateTime.of(2025, 1, 1, 0, 0), DAY1))));

        String withoutId = sources.parquet("noid/1.parquet", orders(0, 5, DAY1), BackfillSources.Id.ABSENT);
        assertThatThrownBy(() -> append(sources.location("noid/"))).hasMessageContaining("File " + withoutId + " lacks column 'id', which is NOT NULL in the table");
        List<List<Object>> nullId = orders(0, 5, DAY1);
        nullId.set(3, java.util.Arrays.asList(null, "no id", java.math.BigDecimal.ONE.setScale(2), BackfillSources.T0, DAY1));
        String optionalId = sources.parquet("nullid/1.parquet", nullId, BackfillSources.Id.OPTIONAL);
        assertThatThrownBy(() -> append(sources.location("nullid/"))).hasMessageContaining("File " + optionalId + ", row 4: column 'id' is NOT NULL but the row has null");
        // the same file row by row (as with --skip-bad-rows): the row is skipped and named
        Backfill.Result skipped = run(sources.location("nullid/"), Map.of(), Backfill.Mode.APPEND, true);
        assertThat(skipped.columnarFiles()).isZero();
        assertThat(skipped.rows()).isEqualTo(4);
        assertThat(skipped.rejected()).isEqualTo(1);
        String corrupt = sources.text("corrupt/1.parquet", "this is not parquet");
        assertThatThrownBy(() -> append(sources.location("corrupt/"))).hasMessageContaining("File " + corrupt + " is not a readable Parquet file");
        String unknown = sources.text("unknown/1.csv", "id,colour,dt\n1,red,2026-11-01\n");
        assertThatThrownBy(() -> append(sources.location("unknown/"))).hasMessageContaining("File " + unknown).hasMessageContaining("line 1: unknown column 'colour'");
        String outside = sources.csv("outside/1.csv", orders(0, 3, DAY2));
        assertThatThrownBy(() -> run(sources.location("outside/"), Map.of("dt", DAY1), Backfill.Mode.APPEND, false))
                .hasMessageContaining("File " + outside + ", row 2, column 'dt': 2026-11-02 is outside --partition dt=2026-11-01");

        // a loaded file that changed is refused, not loaded twice
        sources.csv("bad/1.csv", orders(0, 12, DAY1));
        assertThatThrownBy(() -> append(sources.location("bad/")))
                .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.BACKFILL_SOURCE_CHANGED))
                .hasMessageContaining("was loaded into shop.orders by an earlier backfill");
        assertThat(lake()).hasSize(15);
    }

    @Test
    void overwritePartitionReplacesOnePartitionInOneCommit()
            throws Exception
    {
        sources.csv("history/a.csv", concat(orders(0, 20, DAY1), orders(20, 40, DAY2)));
        append(sources.location("history/"));
        // the corrected day, laid out by partition without the dt column
        StringBuilder fixed = new StringBuilder("id,name,amount,at\n");
        for (long id = 500; id < 505; id++) {
            fixed.append(id).append(",fixed ").append(id).append(",1.00,2025-01-01T00:00\n");
        }
        sources.text("fixed/dt=2026-11-01/part-0.csv", fixed.toString());
        Backfill.Result result = run(sources.location("fixed/dt=2026-11-01/"), Map.of("dt", DAY1), Backfill.Mode.OVERWRITE_PARTITION, false);
        assertThat(result.snapshots()).hasSize(1);
        List<List<Object>> replaced = new ArrayList<>();
        for (long id = 500; id < 505; id++) {
            replaced.add(List.of(id, "fixed " + id, new java.math.BigDecimal("1.00"), java.time.LocalDateTime.of(2025, 1, 1, 0, 0), DAY1));
        }
        assertThat(lake()).containsExactlyInAnyOrderElementsOf(concat(replaced, orders(20, 40, DAY2)));
        // run again: the same rows, not twice
        run(sources.location("fixed/dt=2026-11-01/"), Map.of("dt", DAY1), Backfill.Mode.OVERWRITE_PARTITION, false);
        assertThat(lake()).containsExactlyInAnyOrderElementsOf(concat(replaced, orders(20, 40, DAY2)));

        // hot rows of the partition not tiered yet would come back after an overwrite: refused
        appendHot(2000, 2003, DAY2);
        assertThatThrownBy(() -> run(sources.location("fixed/dt=2026-11-01/"), Map.of("dt", DAY2), Backfill.Mode.OVERWRITE_PARTITION, false))
                .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.BACKFILL_PARTITION_NOT_TIERED))
                .hasMessageContaining("Partition dt=2026-11-02 of shop.orders has 3 rows in the hot store that are not tiered yet");
        assertThat(lake()).containsExactlyInAnyOrderElementsOf(concat(replaced, orders(20, 40, DAY2)));
    }

    @Test
    void commitsLoadedInParallelLoadEveryFileOnce()
            throws Exception
    {
        List<List<Object>> all = new ArrayList<>();
        for (int f = 0; f < 6; f++) {
            List<List<Object>> rows = orders(f * 40, f * 40 + 40, f % 2 == 0 ? DAY1 : DAY2);
            if (f % 3 == 0) {
                sources.parquet("parallel/" + f + ".parquet", rows, BackfillSources.Id.REQUIRED);
            }
            else {
                sources.csv("parallel/" + f + ".csv", rows);
            }
            all.addAll(rows);
        }
        // one commit per file, three loading at once; their commits take turns under the lease
        Backfill.Result result = run(backfill(Backfill.Hooks.NONE, Map.of(BackfillOptions.COMMIT_BYTES.key(), "1")), sources.location("parallel/"), Map.of(),
                Backfill.Mode.APPEND, false, 3);
        assertThat(result.snapshots()).hasSize(6).doesNotHaveDuplicates();
        assertThat(result.rows()).isEqualTo(240);
        assertThat(result.columnarFiles()).isEqualTo(2);
        assertThat(lake()).containsExactlyInAnyOrderElementsOf(all);
        assertThat(checkpoint().orElseThrow().round()).isEqualTo(6);
    }

    @Test
    void aBackfillWhileTheDaemonTiersLiveRowsLosesAndDoublesNothing()
            throws Exception
    {
        List<List<Object>> history = new ArrayList<>();
        for (int f = 0; f < 4; f++) {
            List<List<Object>> rows = orders(f * 100, f * 100 + 100, f % 2 == 0 ? DAY1 : DAY2);
            sources.csv("concurrent/" + f + ".csv", rows);
            history.addAll(rows);
        }
        InletConfig tiering = InletConfig.of(Map.of(
                TieringOptions.THREADS.key(), "1",
                TieringOptions.DISCOVERY_INTERVAL.key(), "200ms",
                TieringOptions.RETRY_INITIAL_BACKOFF.key(), "100ms",
                TieringOptions.RETRY_MAX_BACKOFF.key(), "400ms"));
        long live = 10_000;
        try (TieringMetrics metrics = new TieringMetrics();
                TieringService service = new TieringService(cluster.catalog(), cluster.client(), tiering, metrics, RoundHooks.NONE).start()) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong next = new AtomicLong(live);
            Thread writer = Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    long from = next.get();
                    appendHot(from, from + 20, DAY2);
                    next.set(from + 20);
                    // pacing a producer, not waiting for anything
                    LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
                }
            });
            // one commit per file: four hand-overs of the lease from the running daemon
            Backfill.Result result = run(backfill(Backfill.Hooks.NONE, Map.of(BackfillOptions.COMMIT_BYTES.key(), "1", BackfillOptions.LEASE_TIMEOUT.key(), "60s")),
                    sources.location("concurrent/"), Map.of(), Backfill.Mode.APPEND, false);
            stop.set(true);
            writer.join();
            assertThat(result.snapshots()).hasSize(4);
            List<List<Object>> expected = concat(history, orders(live, next.get(), DAY2));
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            while (!expected.equals(sortedLake())) {
                assertThat(Instant.now()).as("the lake reaching every live and backfilled row").isBefore(deadline);
                LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
            }
            assertThat(lake()).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    /** The lake's rows sorted by id, or null while a commit makes them unreadable for an instant (see TestTieringService). */
    private List<List<Object>> sortedLake()
    {
        try {
            List<List<Object>> rows = new ArrayList<>(lake());
            rows.sort(java.util.Comparator.comparing(row -> (Long) row.get(0)));
            return rows;
        }
        catch (Exception e) {
            return null;
        }
    }
}
