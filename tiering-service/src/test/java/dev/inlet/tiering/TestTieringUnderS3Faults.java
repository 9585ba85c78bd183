/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering;

import dev.inlet.catalog.CatalogSettings;
import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.model.DataType;
import dev.inlet.catalog.model.LakeFormat;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.catalog.model.TieredOffset;
import dev.inlet.catalog.testing.FaultInjectingProxy;
import dev.inlet.logstore.client.AppendWriter;
import dev.inlet.logstore.client.UpsertWriter;
import dev.inlet.logstore.client.WriterOptions;
import dev.inlet.logstore.protocol.Actions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tiering through a proxy that answers S3 requests with 503s, resets connections and slows
 * answers: rounds fail and are retried, as the service retries them, and in the end the lake
 * holds every row exactly once and the catalog agrees with it. For a Paimon log table and an
 * Iceberg primary-key table (and the other way round).
 */
class TestTieringUnderS3Faults
{
    private static final Logger LOG = LoggerFactory.getLogger(TestTieringUnderS3Faults.class);
    private static final int ROUNDS = 12;

    @TempDir
    Path dir;

    private TieringTestCluster cluster;
    private FaultInjectingProxy proxy;
    private InletCatalog faultyCatalog;

    @BeforeEach
    void setUp()
            throws Exception
    {
        cluster = new TieringTestCluster(dir);
        proxy = FaultInjectingProxy.start(URI.create(cluster.config().get(dev.inlet.catalog.config.CatalogOptions.S3_ENDPOINT)));
        // the tiering side reaches S3 through the proxy; the test's own reads do not
        faultyCatalog = new InletCatalog(CatalogSettings.fromConfig(cluster.config().with(Map.of("s3.endpoint", proxy.endpoint().toString()))));
    }

    @AfterEach
    void tearDown()
    {
        faultyCatalog.close();
        proxy.close();
        cluster.close();
    }

    private TieringRound faultyRound()
    {
        return new TieringRound(faultyCatalog, cluster.client(), new LakeWriters(faultyCatalog, "inlet-tiering")::open, RoundHooks.NONE, Duration.ofSeconds(30));
    }

    /** Runs rounds until one succeeds, as the service does; returns how many failed. */
    private int roundWithRetries(TablePath path)
    {
        for (int failures = 0; failures < 60; failures++) {
            try {
                faultyRound().run(path);
                return failures;
            }
            catch (RuntimeException e) {
                LOG.info("round of {} failed under S3 faults (retrying): {}", path, e.toString());
            }
        }
        throw new AssertionError("60 rounds in a row failed under S3 faults");
    }

    @ParameterizedTest
    @EnumSource(value = LakeFormat.class, names = {"PAIMON", "ICEBERG"})
    void nothingIsLostOrDoubledWhenS3Fails(LakeFormat format)
            throws Exception
    {
        LakeFormat other = format == LakeFormat.PAIMON ? LakeFormat.ICEBERG : LakeFormat.PAIMON;
        cluster.createTable("shop.log", TableDescriptor.builder()
                .column("id", DataType.bigint(), false)
                .column("name", DataType.string())
                .bucketKey("id")
                .bucketCount(2)
                .lakeFormat(format)
                .build());
        cluster.createTable("shop.accounts", TableDescriptor.builder()
                .column("id", DataType.bigint(), false)
                .column("balance", DataType.bigint())
                .primaryKey("id")
                .bucketCount(2)
                .lakeFormat(other)
                .build());
        List<List<Object>> logRows = new ArrayList<>();
        Map<Long, List<Object>> accounts = new TreeMap<>();
        // a fifth of the connections fail or are reset, all answers are slow, connections are
        // short-lived (a third of them failing kept Paimon's commits with compaction, dozens of
        // requests each, failing round after round: retried, never wrong, but too slow for CI)
        proxy.faults(0.15, 0.05, Duration.ofMillis(50), Duration.ofMillis(500));
        proxy.failNextConnections(3);
        int failed = 0;
        for (int round = 0; round < ROUNDS; round++) {
            try (AppendWriter log = cluster.client().newWriter("shop.log", WriterOptions.defaults());
                    UpsertWriter upserts = cluster.client().newUpsertWriter("shop.accounts", null, WriterOptions.defaults())) {
                for (long i = 0; i < 50; i++) {
                    long id = round * 50L + i;
                    log.append(new Object[] {id, "row " + id});
                    logRows.add(Arrays.asList(id, "row " + id));
                    long key = (round * 7L + i) % 40;
                    upserts.upsert(new Object[] {key, id});
                    accounts.put(key, Arrays.asList(key, id));
                }
                upserts.delete(new Object[] {(long) round, null});
                accounts.remove((long) round);
            }
            failed += roundWithRetries(TablePath.parse("shop.log"));
            failed += roundWithRetries(TablePath.parse("shop.accounts"));
        }
        LOG.info("{} rounds failed; proxy: {} connections, {} 503s, {} resets", failed, proxy.connections(), proxy.injectedErrors(), proxy.injectedResets());
        assertThat(proxy.injectedErrors() + proxy.injectedResets()).as("faults injected").isGreaterThanOrEqualTo(3);

        proxy.faults(0, 0, Duration.ZERO);
        roundWithRetries(TablePath.parse("shop.log"));
        roundWithRetries(TablePath.parse("shop.accounts"));
        assertThat(cluster.readLake("shop.log")).containsExactlyInAnyOrderElementsOf(logRows);
        assertThat(cluster.readLake("shop.accounts")).containsExactlyInAnyOrderElementsOf(accounts.values());
        for (String table : List.of("shop.log", "shop.accounts")) {
            long hot = cluster.client().offsets(table, "", Actions.OffsetSpec.LATEST, 0).stream().mapToLong(Actions.BucketOffset::offset).sum();
            long recorded = cluster.catalog().store().tieredOffsets(cluster.catalog().getTable(TablePath.parse(table)).tableId()).stream().mapToLong(TieredOffset::offset).sum();
            assertThat(recorded).as("catalog of %s", table).isEqualTo(hot);
        }
    }
}
