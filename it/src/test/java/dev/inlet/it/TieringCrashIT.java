/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.it;

import dev.inlet.catalog.CatalogSettings;
import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.config.CatalogOptions;
import dev.inlet.catalog.config.InletConfig;
import dev.inlet.catalog.model.DataType;
import dev.inlet.catalog.model.LakeFormat;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.catalog.testing.FaultInjectingProxy;
import dev.inlet.catalog.testing.FreePorts;
import dev.inlet.catalog.testing.LakeRows;
import dev.inlet.catalog.testing.S3TestEndpoint;
import dev.inlet.logstore.client.AppendWriter;
import dev.inlet.logstore.client.ClientConfig;
import dev.inlet.logstore.client.InletClient;
import dev.inlet.logstore.client.UpsertWriter;
import dev.inlet.logstore.client.WriterOptions;
import dev.inlet.logstore.server.LogStoreServer;
import dev.inlet.union.UnionReader;
import dev.inlet.union.UnionReaderOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tiering daemon as the distribution runs it ({@code bin/inlet tiering}, a separate process),
 * killed with SIGKILL at random points of its rounds while rows keep arriving, and started again;
 * union reads throughout (every 100 events) return exactly the acknowledged rows; in the end the Paimon log table and the Iceberg primary-key table equal the hot data exactly —
 * nothing lost, nothing doubled — and the catalog agrees with the lakes. The number of kills is
 * {@code -Dinlet.it.tiering-kills} (3 in CI). And the same process behind an S3 that answers with
 * errors, resets connections and answers slowly: it keeps going, and catches up exactly once S3
 * heals.
 */
class TieringCrashIT
{
    private static final int KILLS = Integer.getInteger("inlet.it.tiering-kills", 3);

    @TempDir
    Path dir;

    @Test
    void killedTieringProcessesLoseAndDoubleNothing()
            throws Exception
    {
        int port = FreePorts.loopback();
        List<String> lines = settings(port, "tiering-crash");
        Path conf = dir.resolve("inlet.properties");
        Files.writeString(conf, String.join("\n", lines) + "\n");
        InletConfig config = InletConfig.load(conf);

        TablePath events = TablePath.parse("crash.events");
        TablePath accounts = TablePath.parse("crash.accounts");
        List<List<Object>> expectedEvents = new ArrayList<>();
        Map<Long, List<Object>> expectedAccounts = new TreeMap<>();
        SplittableRandom random = new SplittableRandom(5);
        try (InletCatalog catalog = new InletCatalog(CatalogSettings.fromConfig(config)); LogStoreServer hot = LogStoreServer.start(config);
                InletClient client = InletClient.connect(ClientConfig.of(URI.create("grpc://127.0.0.1:" + port)));
                UnionReader reader = new UnionReader(catalog, client, UnionReaderOptions.Settings.defaults())) {
            createTables(catalog, events, LakeFormat.PAIMON, accounts, LakeFormat.ICEBERG);

            long next = 0;
            int unionReads = 0;
            for (int kill = 0; kill <= KILLS; kill++) {
                Process tiering = InletProcesses.tiering(conf, dir);
                try {
                    // rows keep arriving while the process tiers; then it dies at a random moment, after
                    // the killed one's lease (3 s) has lapsed and this one has taken both tables over
                    // (polled: a JVM starting on a loaded machine takes its time)
                    long epochs = leaseEpochs(catalog, events, accounts);
                    Instant tookOver = null;
                    Instant deadline = Instant.now().plusSeconds(90);
                    long stayMillis = 1000 + random.nextInt(3000);
                    while (tookOver == null || Instant.now().isBefore(tookOver.plusMillis(stayMillis))) {
                        if (tookOver == null && leaseEpochs(catalog, events, accounts) >= epochs + 2) {
                            tookOver = Instant.now();
                        }
                        assertThat(Instant.now()).as("tiering process %d took the leases of both tables over", kill).isBefore(deadline);
                        next = write(client, next, expectedEvents, expectedAccounts);
                        // every write so far is acknowledged: a union read now (lake at whatever
                        // point the killed and restarted processes left it + the hot tail) is exact
                        if (next % 100 == 0) {
                            assertThat(LakeChecks.unionRead(reader, events)).as("union read of %s after %d events", events, next).containsExactlyInAnyOrderElementsOf(expectedEvents);
                            assertThat(LakeChecks.unionRead(reader, accounts)).as("union read of %s after %d events", accounts, next)
                                    .containsExactlyInAnyOrderElementsOf(expectedAccounts.values());
                            unionReads += 2;
                        }
                    }
                    if (kill == KILLS) {
                        break; // the last one stays up and catches up
                    }
                    tiering.destroyForcibly();
                    assertThat(tiering.waitFor(30, TimeUnit.SECONDS)).isTrue();
                    tiering = null;
                }
                finally {
                    if (tiering != null && kill < KILLS) {
                        tiering.destroyForcibly();
                    }
                }
            }
            // the last process, never killed, catches up with everything written
            LakeChecks.awaitCaughtUp(catalog, client, events);
            LakeChecks.awaitCaughtUp(catalog, client, accounts);
            assertThat(unionReads).as("union reads during the kills").isGreaterThanOrEqualTo(2 * (KILLS + 1));
            assertThat(LakeRows.read(catalog, events)).containsExactlyInAnyOrderElementsOf(expectedEvents);
            assertThat(LakeRows.read(catalog, accounts)).containsExactlyInAnyOrderElementsOf(expectedAccounts.values());
            // every process held each table in turn: one lease epoch per process at least
            for (TablePath table : List.of(events, accounts)) {
                assertThat(catalog.store().tieringLease(catalog.getTable(table).tableId()).orElseThrow().epoch()).as("lease epochs of %s", table).isGreaterThanOrEqualTo(KILLS + 1);
            }
        }
        finally {
            ProcessHandle.current().children().forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void aTieringProcessBehindFaultyS3LosesAndDoublesNothing()
            throws Exception
    {
        int port = FreePorts.loopback();
        List<String> lines = settings(port, "tiering-faults");
        Path conf = dir.resolve("inlet.properties");
        Files.writeString(conf, String.join("\n", lines) + "\n");
        InletConfig config = InletConfig.load(conf);
        // the tiering process reaches S3 through the proxy; this test's reads and checks do not
        Path faultyConf = dir.resolve("tiering.properties");
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(URI.create(config.get(CatalogOptions.S3_ENDPOINT)))) {
            Files.writeString(faultyConf, String.join("\n", lines) + "\ns3.endpoint=" + proxy.endpoint() + "\n");
            TablePath events = TablePath.parse("faults.events");
            TablePath accounts = TablePath.parse("faults.accounts");
            List<List<Object>> expectedEvents = new ArrayList<>();
            Map<Long, List<Object>> expectedAccounts = new TreeMap<>();
            Process tiering = null;
            try (InletCatalog catalog = new InletCatalog(CatalogSettings.fromConfig(config)); LogStoreServer hot = LogStoreServer.start(config);
                    InletClient client = InletClient.connect(ClientConfig.of(URI.create("grpc://127.0.0.1:" + port)));
                    UnionReader reader = new UnionReader(catalog, client, UnionReaderOptions.Settings.defaults())) {
                createTables(catalog, events, LakeFormat.ICEBERG, accounts, LakeFormat.PAIMON);
                tiering = InletProcesses.tiering(faultyConf, dir);
                // errors, resets and slow answers while rows keep arriving and union reads check them
                proxy.faults(0.15, 0.10, Duration.ofMillis(30), Duration.ofMillis(500));
                proxy.failNextConnections(3);
                long next = 0;
                int unionReads = 0;
                Instant until = Instant.now().plusSeconds(15);
                while (Instant.now().isBefore(until)) {
                    next = write(client, "faults", next, expectedEvents, expectedAccounts);
                    if (next % 100 == 0) {
                        assertThat(LakeChecks.unionRead(reader, events)).as("union read of %s after %d events", events, next).containsExactlyInAnyOrderElementsOf(expectedEvents);
                        assertThat(LakeChecks.unionRead(reader, accounts)).as("union read of %s after %d events", accounts, next)
                                .containsExactlyInAnyOrderElementsOf(expectedAccounts.values());
                        unionReads += 2;
                    }
                }
                assertThat(proxy.injectedErrors() + proxy.injectedResets()).as("faults the tiering process met").isPositive();
                assertThat(unionReads).isPositive();
                // S3 heals: the same process, never restarted, catches up
                proxy.faults(0, 0, Duration.ZERO);
                LakeChecks.awaitCaughtUp(catalog, client, events);
                LakeChecks.awaitCaughtUp(catalog, client, accounts);
                assertThat(tiering.isAlive()).as("the tiering process survived the faults").isTrue();
                assertThat(LakeRows.read(catalog, events)).containsExactlyInAnyOrderElementsOf(expectedEvents);
                assertThat(LakeRows.read(catalog, accounts)).containsExactlyInAnyOrderElementsOf(expectedAccounts.values());
            }
            finally {
                if (tiering != null) {
                    tiering.destroy();
                    tiering.waitFor(60, TimeUnit.SECONDS);
                    tiering.destroyForcibly();
                }
            }
        }
    }

    /** The sum of the tables' tiering lease epochs (0 for a table never leased). */
    private static long leaseEpochs(InletCatalog catalog, TablePath... tables)
    {
        long sum = 0;
        for (TablePath table : tables) {
            sum += catalog.store().tieringLease(catalog.getTable(table).tableId()).map(l -> l.epoch()).orElse(0L);
        }
        return sum;
    }

    /** The hot store on {@code port}, quick tiering turns and retries (a 3 s lease), lake tables in a new bucket. */
    private List<String> settings(int port, String bucketPrefix)
    {
        List<String> lines = new ArrayList<>(List.of("data-dir=" + dir.resolve("data"), "server.port=" + port, "server.metrics.port=0", "server.lookup.port=-1",
                "server.endpoint=grpc://127.0.0.1:" + port, "tiering.metrics.port=0", "tiering.discovery-interval=200ms",
                "tiering.lease.ttl=3s", "tiering.retry.initial-backoff=100ms", "tiering.retry.max-backoff=1s"));
        S3TestEndpoint.get().lakeSettings(bucketPrefix).forEach((k, v) -> lines.add(k + "=" + v));
        return lines;
    }

    /** A log table {@code events} and a primary-key table {@code accounts}, each in its lake format, tiered at 1 s freshness. */
    private static void createTables(InletCatalog catalog, TablePath events, LakeFormat eventsLake, TablePath accounts, LakeFormat accountsLake)
    {
        catalog.createDatabase(events.database(), false);
        catalog.createTable(events, TableDescriptor.builder()
                .column("id", DataType.bigint(), false).column("name", DataType.string())
                .bucketKey("id").bucketCount(3).lakeFormat(eventsLake).freshness(Duration.ofSeconds(1)).build(), false);
        catalog.createTable(accounts, TableDescriptor.builder()
                .column("id", DataType.bigint(), false).column("balance", DataType.bigint())
                .primaryKey("id").bucketCount(2).lakeFormat(accountsLake).freshness(Duration.ofSeconds(1)).build(), false);
    }

    /** One batch: 20 appended events and 10 upserts plus a delete of the accounts; returns the next id. */
    private static long write(InletClient client, long next, List<List<Object>> events, Map<Long, List<Object>> accounts)
    {
        return write(client, "crash", next, events, accounts);
    }

    private static long write(InletClient client, String database, long next, List<List<Object>> events, Map<Long, List<Object>> accounts)
    {
        try (AppendWriter log = client.newWriter(database + ".events", WriterOptions.defaults());
                UpsertWriter upserts = client.newUpsertWriter(database + ".accounts", null, WriterOptions.defaults())) {
            for (int i = 0; i < 20; i++) {
                long id = next++;
                log.append(new Object[] {id, "event " + id});
                events.add(Arrays.asList(id, "event " + id));
                if (i % 2 == 0) {
                    long key = id % 37;
                    upserts.upsert(new Object[] {key, id});
                    accounts.put(key, Arrays.asList(key, id));
                }
            }
            long gone = (next / 20) % 37;
            upserts.delete(new Object[] {gone, null});
            accounts.remove(gone);
        }
        return next;
    }

}
