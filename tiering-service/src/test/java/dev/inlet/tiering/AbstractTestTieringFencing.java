/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering;

import dev.inlet.catalog.config.InletConfig;
import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.lake.LakeCheckpoint;
import dev.inlet.catalog.model.DataType;
import dev.inlet.catalog.model.LakeFormat;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TableInfo;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.catalog.model.TieringLease;
import dev.inlet.logstore.client.AppendWriter;
import dev.inlet.logstore.client.WriterOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two tiering processes on one table: only the lease holder commits, a process whose lease was
 * taken over during its round commits nothing, a commit that slips in late under a lower epoch is
 * rolled back by the next holder, and a second service takes a table over when the first stops.
 * For Paimon ({@link TestPaimonTieringFencing}) and Iceberg ({@link TestIcebergTieringFencing}).
 */
abstract class AbstractTestTieringFencing
{
    /** The lake format under test. */
    abstract LakeFormat format();

    private static final String TABLE = "shop.events";
    private static final TablePath PATH = TablePath.parse(TABLE);
    private static final Duration TTL = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private TieringTestCluster cluster;
    private TableInfo table;

    @BeforeEach
    void setUp()
            throws Exception
    {
        cluster = new TieringTestCluster(dir);
        table = cluster.createTable(TABLE, TableDescriptor.builder()
                .column("id", DataType.bigint(), false)
                .column("name", DataType.string())
                .bucketKey("id")
                .bucketCount(2)
                .lakeFormat(format())
                .freshness(Duration.ofSeconds(1))
                .build());
    }

    @AfterEach
    void tearDown()
    {
        cluster.close();
    }

    private void append(long from, long to)
    {
        try (AppendWriter writer = cluster.client().newWriter(TABLE, WriterOptions.defaults())) {
            for (long id = from; id < to; id++) {
                writer.append(new Object[] {id, "row " + id});
            }
        }
    }

    private static List<List<Object>> rows(long from, long to)
    {
        List<List<Object>> rows = new ArrayList<>();
        for (long id = from; id < to; id++) {
            rows.add(Arrays.asList(id, "row " + id));
        }
        return rows;
    }

    /** A fence on a lease taken at {@code now}, renewed as of {@code now} (a clock the test sets). */
    private Fence lease(String owner, Instant now)
    {
        TieringLease lease = cluster.catalog().store().acquireTieringLease(table.tableId(), owner, TTL, now).orElseThrow();
        return new Fence()
        {
            @Override
            public long epoch()
            {
                return lease.epoch();
            }

            @Override
            public void renew()
            {
                if (!cluster.catalog().store().renewTieringLease(table.tableId(), owner, lease.epoch(), TTL, now)) {
                    throw new InletException(InletErrorCode.TIERING_FENCED, owner + " lost the lease of epoch " + lease.epoch());
                }
            }
        };
    }

    private LakeCheckpoint latestCheckpoint()
    {
        try (LakeTierWriter writer = new LakeWriters(cluster.catalog(), "inlet-tiering").open(cluster.catalog().getTable(PATH))) {
            return writer.lastCommitted().orElseThrow();
        }
    }

    @Test
    void aProcessWhoseLeaseWasTakenOverDuringItsRoundCommitsNothing()
            throws Exception
    {
        append(0, 100);
        Instant t0 = Instant.now();
        Fence a = lease("a", t0);
        AtomicReference<TieringRound.Result> byB = new AtomicReference<>();
        // while a's files are written but not committed, its lease lapses and b takes over and tiers
        RoundHooks pauseOfA = (point, name) -> {
            if (point == RoundPoint.WRITTEN) {
                Instant later = t0.plus(TTL).plusSeconds(1);
                byB.set(cluster.round(RoundHooks.NONE).run(PATH, lease("b", later)).orElseThrow());
            }
        };
        assertThatThrownBy(() -> cluster.round(pauseOfA).run(PATH, a))
                .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.TIERING_FENCED));
        assertThat(byB.get().rows()).isEqualTo(100);
        assertThat(cluster.readLake(TABLE)).containsExactlyInAnyOrderElementsOf(rows(0, 100));
        assertThat(latestCheckpoint().epoch()).isEqualTo(2);
    }

    @Test
    void anotherCommitDuringTheRoundStopsItEvenWithoutALease()
            throws Exception
    {
        append(0, 50);
        RoundHooks otherCommits = (point, name) -> {
            if (point == RoundPoint.WRITTEN) {
                cluster.round(RoundHooks.NONE).run(PATH).orElseThrow();
            }
        };
        assertThatThrownBy(() -> cluster.round(otherCommits).run(PATH))
                .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.TIERING_FENCED))
                .hasMessageContaining("gained tiering snapshot");
        assertThat(cluster.readLake(TABLE)).containsExactlyInAnyOrderElementsOf(rows(0, 50));
    }

    @Test
    void aLateCommitUnderALowerEpochIsRolledBackByTheNextHolder()
            throws Exception
    {
        Instant t0 = Instant.now();
        Fence a = lease("a", t0);
        Instant later = t0.plus(TTL).plusSeconds(1);
        Fence b = lease("b", later);
        append(0, 100);
        cluster.round(RoundHooks.NONE).run(PATH, b).orElseThrow();
        append(100, 150);
        // a, paused past its lease between its last check and its commit, commits anyway: the
        // residual window no lease closes; its fence check is skipped here to force it
        Fence stale = new Fence()
        {
            @Override
            public long epoch()
            {
                return a.epoch();
            }

            @Override
            public void renew() {}
        };
        cluster.round(RoundHooks.NONE).run(PATH, stale).orElseThrow();
        assertThat(cluster.readLake(TABLE)).hasSize(150);

        // b's next round finds a snapshot of epoch 1 after its own of epoch 2: rolled back, redone by b
        append(150, 170);
        TieringRound.Result next = cluster.round(RoundHooks.NONE).run(PATH, b).orElseThrow();
        assertThat(next.rows()).isEqualTo(70);
        assertThat(cluster.readLake(TABLE)).containsExactlyInAnyOrderElementsOf(rows(0, 170));
        // rows 100..150 once: the late snapshot's copy of them was rolled back, b's remained
        assertThat(latestCheckpoint().epoch()).isEqualTo(b.epoch());
    }

    @Test
    void aSecondServiceWaitsForTheLeaseAndTakesTheTableOverWhenTheFirstStops()
            throws Exception
    {
        Map<String, String> settings = Map.of(TieringOptions.DISCOVERY_INTERVAL.key(), "200ms", TieringOptions.LEASE_TTL.key(), "30s");
        TieringMetrics metricsA = new TieringMetrics();
        TieringMetrics metricsB = new TieringMetrics();
        TieringService a = new TieringService(cluster.catalog(), cluster.client(), InletConfig.of(settings), metricsA, RoundHooks.NONE).start();
        try (TieringService b = new TieringService(cluster.catalog(), cluster.client(), InletConfig.of(settings), metricsB, RoundHooks.NONE).start()) {
            append(0, 100);
            await(() -> lakeRowsWhileCommitting() == 100);
            TieringLease first = cluster.catalog().store().tieringLease(table.tableId()).orElseThrow();
            assertThat(first.owner()).isIn(a.owner(), b.owner());
            TieringService holder = first.owner().equals(a.owner()) ? a : b;
            TieringService waiting = holder == a ? b : a;
            await(() -> rounds(waiting == a ? metricsA : metricsB, "not-leased") >= 1);
            assertThat(rounds(waiting == a ? metricsA : metricsB, "committed")).isZero();

            holder.close(); // releases the lease
            append(100, 160);
            await(() -> lakeRowsWhileCommitting() == 160);
            assertThat(cluster.readLake(TABLE)).containsExactlyInAnyOrderElementsOf(rows(0, 160));
            TieringLease second = cluster.catalog().store().tieringLease(table.tableId()).orElseThrow();
            assertThat(second.owner()).isEqualTo(waiting.owner());
            assertThat(second.epoch()).isGreaterThan(first.epoch());
            assertThat(latestCheckpoint().epoch()).isEqualTo(second.epoch());
        }
        finally {
            a.close();
            metricsA.close();
            metricsB.close();
        }
    }

    /** As TestTieringService.lakeRows: -1 while the embedded S3 store shows a snapshot file half-written. */
    private int lakeRowsWhileCommitting()
    {
        try {
            return cluster.readLake(TABLE).size();
        }
        catch (Exception e) {
            return -1;
        }
    }

    private static double rounds(TieringMetrics metrics, String outcome)
    {
        var snapshot = (io.prometheus.metrics.model.snapshots.CounterSnapshot) metrics.registry().scrape(name -> name.equals("inlet_tiering_rounds_total")).get(0);
        return snapshot.getDataPoints().stream().filter(p -> p.getLabels().get("outcome").equals(outcome)).mapToDouble(p -> p.getValue()).sum();
    }

    private interface Check
    {
        boolean holds()
                throws Exception;
    }

    private static void await(Check check)
            throws Exception
    {
        Instant deadline = Instant.now().plusSeconds(60);
        while (!check.holds()) {
            assertThat(Instant.now()).as("condition not reached in time").isBefore(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }
}
