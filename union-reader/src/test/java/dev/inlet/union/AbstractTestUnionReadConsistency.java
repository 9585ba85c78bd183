/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union;

import dev.inlet.catalog.config.InletConfig;
import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.lake.BucketRef;
import dev.inlet.catalog.model.DataType;
import dev.inlet.catalog.model.LakeFormat;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.logstore.client.AppendResult;
import dev.inlet.logstore.client.AppendWriter;
import dev.inlet.logstore.client.UpsertWriter;
import dev.inlet.logstore.client.WriterOptions;
import dev.inlet.tiering.RoundHooks;
import dev.inlet.tiering.TieringMetrics;
import dev.inlet.tiering.TieringOptions;
import dev.inlet.tiering.TieringService;
import dev.inlet.tiering.TieringTestCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A writer, the tiering service and a stream of union reads run at once; every read must equal a
 * reference model evaluated at that read's high-water marks: exactly the acknowledged rows below
 * them (log tables), exactly the key-value state they produce (primary-key tables: upserts,
 * partial updates, deletes). {@value #DEFAULT_READS} reads per table kind and format in CI; set
 * {@code -Dinlet.union.consistency.reads=N} for a longer soak.
 */
abstract class AbstractTestUnionReadConsistency
{
    static final int DEFAULT_READS = 260;
    private static final int READS = Integer.getInteger("inlet.union.consistency.reads", DEFAULT_READS);
    private static final int KEYS = 120;

    @TempDir
    Path dir;

    private TieringTestCluster cluster;
    private TieringMetrics metrics;
    private TieringService tiering;
    private UnionReader reader;
    private int stalePlans;

    abstract LakeFormat format();

    @BeforeEach
    void setUp()
            throws Exception
    {
        cluster = new TieringTestCluster(dir.resolve("cluster"));
        metrics = new TieringMetrics();
        reader = new UnionReader(cluster.catalog(), cluster.client(), UnionReaderOptions.Settings.defaults());
    }

    @AfterEach
    void tearDown()
    {
        if (tiering != null) {
            tiering.close();
        }
        assertThat(reader.allocatedBytes()).isZero();
        reader.close();
        metrics.close();
        cluster.close();
    }

    private void startTiering()
    {
        InletConfig config = InletConfig.of(Map.of(
                TieringOptions.THREADS.key(), "1",
                TieringOptions.DISCOVERY_INTERVAL.key(), "100ms",
                TieringOptions.RETRY_INITIAL_BACKOFF.key(), "100ms",
                TieringOptions.RETRY_MAX_BACKOFF.key(), "400ms",
                // maintenance (Iceberg compaction and snapshot expiry, orphan cleanup) runs
                // between the reads too: they must stay exact while the lake is rewritten
                TieringOptions.MAINTENANCE_INTERVAL.key(), "5s",
                TieringOptions.RETAIN_SNAPSHOTS.key(), "3",
                TieringOptions.SNAPSHOT_MAX_AGE.key(), "2s"));
        tiering = new TieringService(cluster.catalog(), cluster.client(), config, metrics, RoundHooks.NONE).start();
    }

    /** One acknowledged write: where it landed, and what it did. */
    private record Write(BucketRef bucket, long offset, Runnable apply) {}

    /** One union read: the high-water marks it was planned at, what it returned, what it read. */
    private record Observation(Map<BucketRef, Long> marks, List<List<Object>> rows, long snapshot, long lakeRows, long hotRows) {}

    @Test
    void logTableReadsAreExactWhileWritingAndTiering()
            throws Exception
    {
        cluster.createTable("shop.stream", TableDescriptor.builder()
                .column("id", DataType.bigint(), false)
                .column("name", DataType.string())
                .bucketKey("id")
                .bucketCount(3)
                .lakeFormat(format())
                .freshness(Duration.ofSeconds(1))
                .build());
        startTiering();
        List<Write> writes = new ArrayList<>();
        List<List<Object>> written = new ArrayList<>();
        List<Observation> reads = run(permits -> {
            try (AppendWriter writer = cluster.client().newWriter("shop.stream", WriterOptions.defaults())) {
                long id = 0;
                while (permits.take()) {
                    List<CompletableFuture<AppendResult>> acks = new ArrayList<>();
                    List<List<Object>> rows = new ArrayList<>();
                    for (int i = 0; i < 10; i++, id++) {
                        List<Object> row = Arrays.asList(id, id % 4 == 0 ? null : "row-" + id);
                        acks.add(writer.append(row.toArray()));
                        rows.add(row);
                    }
                    writer.flush();
                    for (int i = 0; i < acks.size(); i++) {
                        AppendResult ack = acks.get(i).join();
                        synchronized (writes) {
                            writes.add(new Write(new BucketRef(ack.partition(), ack.bucket()), ack.offset(), null));
                            written.add(rows.get(i));
                        }
                    }
                }
            }
        }, "shop.stream");

        for (Observation read : reads) {
            List<List<Object>> expected = new ArrayList<>();
            for (int i = 0; i < writes.size(); i++) {
                Write w = writes.get(i);
                if (w.offset() < read.marks().getOrDefault(w.bucket(), 0L)) {
                    expected.add(written.get(i));
                }
            }
            assertThat(read.rows()).as("read at %s", read.marks()).containsExactlyInAnyOrderElementsOf(expected);
        }
        assertTieringRanAlongside(reads);
    }

    @Test
    void primaryKeyReadsAreTheStateAtTheirHighWaterMarks()
            throws Exception
    {
        cluster.createTable("shop.wide", TableDescriptor.builder()
                .column("id", DataType.bigint(), false)
                .column("name", DataType.string())
                .column("amount", DataType.doubleType())
                .primaryKey("id")
                .bucketCount(2)
                .lakeFormat(format())
                .freshness(Duration.ofSeconds(1))
                .build());
        startTiering();
        List<Write> writes = new ArrayList<>();
        Map<Long, List<Object>> state = new HashMap<>();
        long seed = System.nanoTime();
        List<Observation> reads = run(permits -> {
            Random random = new Random(seed);
            try (UpsertWriter full = cluster.client().newUpsertWriter("shop.wide", List.of("id", "name", "amount"), WriterOptions.defaults());
                    UpsertWriter partial = cluster.client().newUpsertWriter("shop.wide", List.of("id", "amount"), WriterOptions.defaults())) {
                int version = 0;
                while (permits.take()) {
                    // ten writes of one writer, flushed before the other writer's: the log holds
                    // them in the order they were made, which the model replays
                    boolean usePartial = random.nextInt(4) == 0;
                    List<CompletableFuture<AppendResult>> acks = new ArrayList<>();
                    List<Runnable> effects = new ArrayList<>();
                    for (int i = 0; i < 10; i++, version++) {
                        long id = random.nextInt(KEYS);
                        double amount = version;
                        if (usePartial) {
                            acks.add(partial.upsert(new Object[] {id, amount}));
                            effects.add(() -> {
                                List<Object> row = state.get(id);
                                state.put(id, Arrays.asList(id, row == null ? null : row.get(1), amount));
                            });
                        }
                        else if (random.nextInt(5) == 0) {
                            acks.add(full.delete(new Object[] {id, null, null}));
                            effects.add(() -> state.remove(id));
                        }
                        else {
                            String name = "v" + version;
                            acks.add(full.upsert(new Object[] {id, name, amount}));
                            effects.add(() -> state.put(id, Arrays.asList(id, name, amount)));
                        }
                    }
                    (usePartial ? partial : full).flush();
                    for (int i = 0; i < acks.size(); i++) {
                        AppendResult ack = acks.get(i).join();
                        synchronized (writes) {
                            writes.add(new Write(new BucketRef(ack.partition(), ack.bucket()), ack.offset(), effects.get(i)));
                        }
                    }
                }
            }
        }, "shop.wide");

        for (Observation read : reads) {
            state.clear();
            // a write's ack is where its bucket's log ends after it: it is in a read whose
            // high-water mark is at or past that end
            for (Write w : writes) {
                if (w.offset() <= read.marks().getOrDefault(w.bucket(), 0L)) {
                    w.apply().run();
                }
            }
            assertThat(read.rows()).as("read at %s (seed %s)", read.marks(), seed).containsExactlyInAnyOrderElementsOf(state.values());
        }
        assertTieringRanAlongside(reads);
    }

    private void assertTieringRanAlongside(List<Observation> reads)
    {
        assertThat(reads).hasSize(READS);
        // a few plans may go stale under this test's aggressive snapshot expiry; most must not
        assertThat(stalePlans).as("reads planned again after SCAN_PLAN_STALE").isLessThan(READS / 10);
        Set<Long> snapshots = new HashSet<>();
        reads.forEach(r -> snapshots.add(r.snapshot()));
        assertThat(snapshots).as("reads saw the lake move on while they ran").hasSizeGreaterThan(2);
        assertThat(reads).as("reads that combined lake rows with a hot tail").anyMatch(r -> r.lakeRows() > 0 && r.hotRows() > 0);
    }

    /** Writes ten rows per permit. */
    @FunctionalInterface
    private interface WriterBody
    {
        void run(Permits permits)
                throws Exception;
    }

    /** The reader hands the writer one permit per read, so that writes and reads interleave without timing. */
    private static final class Permits
    {
        private final Semaphore semaphore = new Semaphore(1);
        private final AtomicBoolean done = new AtomicBoolean();

        boolean take()
                throws InterruptedException
        {
            while (!semaphore.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                if (done.get()) {
                    return false;
                }
            }
            return !done.get();
        }

        void give()
        {
            semaphore.release();
        }

        void finish()
        {
            done.set(true);
            semaphore.release();
        }
    }

    /**
     * One union read. Maintenance may expire the snapshot a plan reads before the read gets to
     * it; the reader then says so ({@code SCAN_PLAN_STALE}) and the read is planned again, as any
     * engine does: what is checked is that no read returns a wrong answer.
     */
    private Observation read(String table)
    {
        for (int attempt = 1; ; attempt++) {
            try (UnionScan scan = reader.scan(ScanRequest.of(table))) {
                List<List<Object>> rows = scan.rows();
                return new Observation(scan.plan().highWaterMarks(), rows, scan.plan().scan().lakeSnapshotId(), scan.stats().lakeRows.sum(), scan.stats().hotRows.sum());
            }
            catch (InletException e) {
                if (e.errorCode() != InletErrorCode.SCAN_PLAN_STALE || attempt == 5) {
                    throw e;
                }
                stalePlans++;
            }
        }
    }

    private List<Observation> run(WriterBody body, String table)
            throws Exception
    {
        Permits permits = new Permits();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread writer = Thread.ofPlatform().name("consistency-writer").start(() -> {
            try {
                body.run(permits);
            }
            catch (Throwable t) {
                failure.set(t);
            }
        });
        List<Observation> reads = new ArrayList<>();
        try {
            for (int i = 0; i < READS && failure.get() == null; i++) {
                reads.add(read(table));
                permits.give();
            }
        }
        finally {
            permits.finish();
            writer.join(Duration.ofMinutes(1));
        }
        if (failure.get() != null) {
            throw new AssertionError("the writer failed", failure.get());
        }
        return reads;
    }
}
