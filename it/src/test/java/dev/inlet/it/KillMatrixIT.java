/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.it;

import dev.inlet.catalog.CatalogSettings;
import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.config.InletConfig;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.catalog.testing.FreePorts;
import dev.inlet.catalog.testing.LakeRows;
import dev.inlet.logstore.client.ClientConfig;
import dev.inlet.logstore.client.InletClient;
import dev.inlet.union.UnionReader;
import dev.inlet.union.UnionReaderOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kill -9 matrix: the hot store ({@code bin/inlet server}) and the tiering daemon
 * ({@code bin/inlet tiering}) run as the distribution runs them, writer processes append to a
 * Paimon-tiered and an Iceberg-tiered log table and print what the hot store acknowledged, and
 * each round SIGKILLs the hot store or the tiering daemon (alternating) at a random moment of the
 * ingest. After every round a union read of each table equals exactly the rows the hot store
 * holds, which include every acknowledged row, once. At the end the lakes equal the hot store.
 * Rounds: {@code -Dinlet.it.matrix-rounds} (2 in CI: one kill of each; more for a soak).
 */
class KillMatrixIT
{
    private static final int ROUNDS = Integer.getInteger("inlet.it.matrix-rounds", 2);
    private static final List<TablePath> TABLES = List.of(TablePath.parse("matrix.paimon_rows"), TablePath.parse("matrix.iceberg_rows"));

    @TempDir
    Path dir;

    @Test
    void killingTheHotStoreOrTheTieringDaemonLosesAndDoublesNothing()
            throws Exception
    {
        int port = FreePorts.loopback();
        Path conf = InletProcesses.conf(dir, port, "kill-matrix", "log.segment.bytes=1048576");
        InletConfig config = InletConfig.load(conf);
        SplittableRandom random = new SplittableRandom(9);
        Map<TablePath, Map<Long, String>> acked = new HashMap<>();
        TABLES.forEach(t -> acked.put(t, new ConcurrentHashMap<>()));

        Process server = null;
        Process tiering = null;
        try (InletCatalog catalog = new InletCatalog(CatalogSettings.fromConfig(config))) {
            InletProcesses.createAckingTables(catalog, TABLES);
            server = InletProcesses.server(conf, dir);
            tiering = InletProcesses.tiering(conf, dir);
            int unionReads = 0;
            for (int round = 0; round < ROUNDS; round++) {
                // writers append fresh id ranges until each has a few thousand more acknowledgements
                List<Process> writers = new ArrayList<>();
                List<Thread> readers = new ArrayList<>();
                for (int t = 0; t < TABLES.size(); t++) {
                    long from = (round * 2L + t) * 1_000_000L;
                    Process writer = InletProcesses.ackingWriter(port, TABLES.get(t).toString(), from, from + 1_000_000L);
                    Map<Long, String> tableAcks = acked.get(TABLES.get(t));
                    writers.add(writer);
                    readers.add(Thread.ofVirtual().start(() -> InletProcesses.readAcks(writer, tableAcks)));
                }
                int wanted = 1_000 + random.nextInt(1_000);
                Map<TablePath, Integer> before = new HashMap<>();
                TABLES.forEach(t -> before.put(t, acked.get(t).size()));
                Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
                while (TABLES.stream().anyMatch(t -> acked.get(t).size() < before.get(t) + wanted)) {
                    assertThat(Instant.now()).as("round %d: acknowledgements", round).isBefore(deadline);
                    assertThat(writers).as("writers still writing").allMatch(Process::isAlive);
                    TimeUnit.MILLISECONDS.sleep(20); // polling counters with a deadline
                }
                // SIGKILL in the middle of the ingest: the hot store in even rounds, the tiering daemon in odd ones
                if (round % 2 == 0) {
                    server.destroyForcibly();
                    assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
                }
                else {
                    tiering.destroyForcibly();
                    assertThat(tiering.waitFor(30, TimeUnit.SECONDS)).isTrue();
                }
                for (Process writer : writers) {
                    writer.destroyForcibly();
                    writer.waitFor(30, TimeUnit.SECONDS);
                }
                for (Thread reader : readers) {
                    reader.join(Duration.ofSeconds(30));
                }
                if (round % 2 == 0) {
                    server = InletProcesses.server(conf, dir);
                }
                else {
                    tiering = InletProcesses.tiering(conf, dir);
                }
                progress("round %d: killed the %s after %d acknowledged rows", round, round % 2 == 0 ? "hot store" : "tiering daemon", wanted);
                // the union read now (the lake where the kills left it, the hot tail on top) is the hot data exactly
                try (InletClient client = InletClient.connect(ClientConfig.of(URI.create("grpc://127.0.0.1:" + port)));
                        UnionReader reader = new UnionReader(catalog, client, UnionReaderOptions.Settings.defaults())) {
                    for (TablePath table : TABLES) {
                        Map<Long, List<Object>> stored = LakeChecks.hotRows(client, table);
                        assertThat(stored.keySet()).as("round %d: every acknowledged row of %s is in the hot store", round, table).containsAll(acked.get(table).keySet());
                        assertThat(LakeChecks.unionRead(reader, table)).as("round %d: union read of %s", round, table).containsExactlyInAnyOrderElementsOf(stored.values());
                        unionReads++;
                    }
                }
            }
            assertThat(unionReads).isEqualTo(ROUNDS * TABLES.size());
            progress("union reads done");

            // the daemon catches up; the lakes equal the hot store, nothing lost or doubled
            try (InletClient client = InletClient.connect(ClientConfig.of(URI.create("grpc://127.0.0.1:" + port)))) {
                for (TablePath table : TABLES) {
                    LakeChecks.awaitCaughtUp(catalog, client, table);
                    progress("%s caught up", table);
                    Map<Long, List<Object>> stored = LakeChecks.hotRows(client, table);
                    assertThat(stored.keySet()).containsAll(acked.get(table).keySet());
                    assertThat(LakeRows.read(catalog, table)).as("lake of %s", table).containsExactlyInAnyOrderElementsOf(stored.values());
                }
            }
        }
        finally {
            for (Process p : Arrays.asList(server, tiering)) {
                if (p != null) {
                    p.destroy();
                    p.waitFor(30, TimeUnit.SECONDS);
                    p.destroyForcibly();
                }
            }
            ProcessHandle.current().children().forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static final long STARTED = System.nanoTime();

    /** A line with the seconds since the class loaded, in the test's output (where the time goes). */
    private static void progress(String format, Object... args)
    {
        System.out.printf("[%.1f s] %s%n", (System.nanoTime() - STARTED) / 1e9, String.format(format, args));
    }
}
