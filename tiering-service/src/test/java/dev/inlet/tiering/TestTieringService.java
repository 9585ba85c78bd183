/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering;

import dev.inlet.catalog.config.InletConfig;
import dev.inlet.catalog.lake.paimon.PaimonLakeBridge;
import dev.inlet.catalog.model.DataType;
import dev.inlet.catalog.model.LakeFormat;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.logstore.client.AppendWriter;
import dev.inlet.logstore.client.WriterOptions;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tiering daemon against a real hot store, catalog and S3: it finds lake tables (Paimon and
 * Iceberg), tiers each one continuously at its freshness, keeps going for the others while one
 * fails, and stops cleanly.
 */
class TestTieringService
{
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private TieringTestCluster cluster;
    private TieringMetrics metrics;

    @BeforeEach
    void setUp()
            throws Exception
    {
        cluster = new TieringTestCluster(dir);
        metrics = new TieringMetrics();
    }

    @AfterEach
    void tearDown()
    {
        metrics.close();
        cluster.close();
    }

    private TieringService service(int threads)
    {
        InletConfig config = InletConfig.of(Map.of(
                TieringOptions.THREADS.key(), Integer.toString(threads),
                TieringOptions.DISCOVERY_INTERVAL.key(), "200ms",
                TieringOptions.RETRY_INITIAL_BACKOFF.key(), "100ms",
                TieringOptions.RETRY_MAX_BACKOFF.key(), "400ms"));
        return new TieringService(cluster.catalog(), cluster.client(), config, metrics, RoundHooks.NONE);
    }

    private static TableDescriptor log(LakeFormat format)
    {
        return TableDescriptor.builder()
                .column("id", DataType.bigint(), false)
                .column("name", DataType.string())
                .bucketKey("id")
                .bucketCount(2)
                .lakeFormat(format)
                .freshness(Duration.ofSeconds(1))
                .build();
    }

    private void append(String table, long from, long to)
    {
        try (AppendWriter writer = cluster.client().newWriter(table, WriterOptions.defaults())) {
            for (long id = from; id < to; id++) {
                writer.append(new Object[] {id, "row " + id});
            }
        }
    }

    /**
     * How many rows the lake table has now, or -1 if it cannot be read at this instant: polled
     * while the service commits, a read can list the snapshot folder while the embedded S3 store
     * is writing a snapshot file, and S3Proxy's file-system store shows the partly written object
     * under a temporary name that Paimon cannot parse (a real S3 never lists an unfinished PUT).
     */
    private int lakeRows(String table)
    {
        try {
            return cluster.readLake(table).size();
        }
        catch (Exception e) {
            return -1;
        }
    }

    private static void await(String what, BooleanSupplier condition)
    {
        Instant deadline = Instant.now().plus(DEADLINE);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waiting for %s", what).isBefore(deadline);
            // between polls of S3: the condition is what the test waits for, not the pause
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }

    private double counter(String metric, String table, String label, String value)
    {
        var snapshots = metrics.registry().scrape(name -> name.equals(metric));
        if (snapshots.size() == 0) {
            return 0;
        }
        double sum = 0;
        for (CounterSnapshot.CounterDataPointSnapshot point : ((CounterSnapshot) snapshots.get(0)).getDataPoints()) {
            if (point.getLabels().get("table").equals(table) && point.getLabels().get(label).equals(value)) {
                sum += point.getValue();
            }
        }
        return sum;
    }

    private double rounds(String table, String outcome)
    {
        for (CounterSnapshot.CounterDataPointSnapshot point : ((CounterSnapshot) metrics.registry().scrape(name -> name.equals("inlet_tiering_rounds_total")).get(0)).getDataPoints()) {
            if (point.getLabels().get("table").equals(table) && point.getLabels().get("outcome").equals(outcome)) {
                return point.getValue();
            }
        }
        return 0;
    }

    @Test
    void everyLakeTableIsTieredContinuouslyAtItsFreshness()
    {
        cluster.createTable("shop.a", log(LakeFormat.PAIMON));
        cluster.createTable("shop.b", log(LakeFormat.ICEBERG));
        cluster.createTable("shop.hot", log(LakeFormat.NONE));
        append("shop.a", 0, 100);
        append("shop.b", 0, 50);
        append("shop.hot", 0, 10);
        try (TieringService service = service(2).start()) {
            await("the first rows of both lake tables in the lake", () -> lakeRows("shop.a") == 100 && lakeRows("shop.b") == 50);
            append("shop.a", 100, 300);
            append("shop.b", 50, 60);
            await("rows appended later in the lake", () -> lakeRows("shop.a") == 300 && lakeRows("shop.b") == 60);
            // a table without lake format is not the tiering service's
            assertThat(service.tables()).containsExactly(TablePath.parse("shop.a"), TablePath.parse("shop.b"));
        }
        assertThat(rounds("shop.a", "committed")).isGreaterThanOrEqualTo(2);
        assertThat(rounds("shop.b", "committed")).isGreaterThanOrEqualTo(2);
        // the Iceberg table's maintenance ran after its first round (nothing to compact yet)
        assertThat(counter("inlet_tiering_maintenance_total", "shop.b", "kind", "expiry")).isGreaterThanOrEqualTo(1);
        assertThat(counter("inlet_tiering_maintenance_total", "shop.b", "kind", "failed")).isZero();
        assertThat(counter("inlet_tiering_maintenance_total", "shop.a", "kind", "expiry")).as("Paimon expires inside its commits").isZero();
        assertThat(counter("inlet_tiering_maintenance_total", "shop.a", "kind", "failed")).isZero();
    }

    @Test
    void aFailingTableIsRetriedWithBackoffAndDoesNotHoldBackTheOthers()
    {
        cluster.createTable("shop.broken", log(LakeFormat.PAIMON));
        cluster.createTable("shop.fine", log(LakeFormat.PAIMON));
        // the lake table of shop.broken disappears behind the catalog's back: every round fails
        ((PaimonLakeBridge) cluster.catalog().bridge(LakeFormat.PAIMON)).dropTable(TablePath.parse("shop.broken"));
        append("shop.broken", 0, 10);
        append("shop.fine", 0, 10);
        try (TieringService service = service(1).start()) {
            await("shop.fine tiered although shop.broken fails", () -> lakeRows("shop.fine") == 10);
            await("shop.broken retried", () -> rounds("shop.broken", "failed") >= 3);
            append("shop.fine", 10, 40);
            await("shop.fine keeps being tiered", () -> lakeRows("shop.fine") == 40);
            assertThat(service.backoff(1)).isEqualTo(Duration.ofMillis(100));
            assertThat(service.backoff(2)).isEqualTo(Duration.ofMillis(200));
            assertThat(service.backoff(10)).isEqualTo(Duration.ofMillis(400));
        }
        assertThat(rounds("shop.broken", "committed")).isZero();
    }
}
