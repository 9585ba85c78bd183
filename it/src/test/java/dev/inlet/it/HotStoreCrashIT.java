/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.it;

import dev.inlet.catalog.CatalogSettings;
import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.config.InletConfig;
import dev.inlet.catalog.model.AggregateFunction;
import dev.inlet.catalog.model.DataType;
import dev.inlet.catalog.model.MergeEngine;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.logstore.client.ClientConfig;
import dev.inlet.logstore.client.InletClient;
import dev.inlet.logstore.client.LogScanner;
import dev.inlet.logstore.client.ScanBatch;
import dev.inlet.logstore.client.ScanOptions;
import dev.inlet.logstore.client.StartPosition;
import dev.inlet.logstore.protocol.Actions;
import dev.inlet.logstore.protocol.ChangeType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Invariant 1: an acknowledged write survives a crash of the server. The hot store runs as a real
 * process ({@code bin/inlet server}); a separate client process appends and reports every ack;
 * the server is killed with SIGKILL in the middle of the ingest, restarted on the same data, and
 * every acknowledged row must be there exactly once, at the offset it was acknowledged with.
 */
class HotStoreCrashIT
{
    private static final int ROUNDS = Integer.getInteger("inlet.it.crash-rounds", 2);

    @TempDir
    Path dir;

    @Test
    void acknowledgedRowsSurviveKillDashNine()
            throws Exception
    {
        Path conf = dir.resolve("inlet.properties");
        int port = dev.inlet.catalog.testing.FreePorts.loopback();
        Files.writeString(conf, String.join("\n", "data-dir=" + dir.resolve("data"), "server.port=" + port, "server.metrics.port=0", "server.lookup.port=-1",
                "server.endpoint=grpc://127.0.0.1:" + port, "log.segment.bytes=1048576"));
        try (InletCatalog catalog = new InletCatalog(CatalogSettings.fromConfig(InletConfig.load(conf)))) {
            catalog.createDatabase("crash", false);
            catalog.createTable(TablePath.parse("crash.rows"), TableDescriptor.builder()
                    .column("id", DataType.bigint(), false)
                    .column("user_id", DataType.string(), false)
                    .column("amount", DataType.decimal(18, 2))
                    .bucketKey("user_id")
                    .bucketCount(4)
                    .build(), false);
        }
        Map<Long, String> acked = new ConcurrentHashMap<>();
        long nextId = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Process server = InletProcesses.server(conf, dir);
            Process writer = InletProcesses.ackingWriter(port, "crash.rows", nextId, nextId + 1_000_000);
            int before = acked.size();
            Thread reader = Thread.ofVirtual().start(() -> InletProcesses.readAcks(writer, acked));
            Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
            while (acked.size() < before + 20_000) {
                assertThat(Instant.now()).as("acks so far: %s", acked.size() - before).isBefore(deadline);
                assertThat(writer.isAlive()).as("writer still writing").isTrue();
                Thread.sleep(20); // polling a counter with a deadline
            }
            server.destroyForcibly(); // SIGKILL, in the middle of the ingest
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
            writer.destroyForcibly();
            writer.waitFor(30, TimeUnit.SECONDS);
            reader.join(Duration.ofSeconds(30));
            nextId += 1_000_000;
        }

        Process server = InletProcesses.server(conf, dir);
        try (InletClient client = InletClient.connect(ClientConfig.of(URI.create("grpc://127.0.0.1:" + port)))) {
            long total = client.offsets("crash.rows", "", Actions.OffsetSpec.LATEST, 0).stream().mapToLong(Actions.BucketOffset::offset).sum();
            Map<Long, String> stored = new HashMap<>();
            try (LogScanner scanner = client.newScanner("crash.rows", ScanOptions.defaults())) {
                scanner.subscribeAll("", StartPosition.earliest());
                Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
                while (stored.size() < total) {
                    assertThat(Instant.now()).isBefore(deadline);
                    for (ScanBatch batch : scanner.poll(Duration.ofMillis(200))) {
                        try (batch) {
                            List<Object[]> rows = batch.rows();
                            for (int r = 0; r < rows.size(); r++) {
                                long id = (Long) rows.get(r)[0];
                                assertThat(rows.get(r)).containsExactly(AckingWriter.row(id));
                                assertThat(stored.put(id, batch.bucket() + " " + (batch.baseOffset() + r))).as("row %s stored once", id).isNull();
                            }
                        }
                    }
                }
            }
            assertThat(acked).isNotEmpty();
            List<Long> missing = new ArrayList<>();
            acked.forEach((id, position) -> {
                if (!position.equals(stored.get(id))) {
                    missing.add(id);
                }
            });
            assertThat(missing).as("acknowledged rows lost or moved (of %s acked, %s stored)", acked.size(), stored.size()).isEmpty();
        }
        finally {
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /**
     * The same for a primary-key table: a separate process sends upserts that add to a sum and a
     * count per key; the server is killed mid-ingest (with snapshots taken meanwhile), restarted,
     * and each key's row must be exactly the fold of a prefix of that key's writes that includes
     * every acknowledged one: nothing acknowledged lost, nothing applied twice. Auto-increment ids
     * stay unique across the restarts, and the changelog replayed from offset 0 gives the same rows.
     */
    @Test
    void acknowledgedUpsertsSurviveKillDashNineExactlyOnce()
            throws Exception
    {
        Path conf = dir.resolve("inlet.properties");
        int port = dev.inlet.catalog.testing.FreePorts.loopback();
        Files.writeString(conf, String.join("\n", "data-dir=" + dir.resolve("data"), "server.port=" + port, "server.metrics.port=0", "server.lookup.port=-1",
                "server.endpoint=grpc://127.0.0.1:" + port, "log.segment.bytes=1048576", "kv.snapshot.interval=2s", "kv.auto-increment.range=50"));
        try (InletCatalog catalog = new InletCatalog(CatalogSettings.fromConfig(InletConfig.load(conf)))) {
            catalog.createDatabase("crash", false);
            catalog.createTable(TablePath.parse("crash.kv"), TableDescriptor.builder()
                    .column("k", DataType.bigint(), false)
                    .column("total", DataType.bigint())
                    .column("cnt", DataType.bigint())
                    .column("uid", DataType.bigint())
                    .primaryKey("k")
                    .autoIncrementColumn("uid")
                    .mergeEngine(MergeEngine.aggregation(Map.of("total", AggregateFunction.SUM, "cnt", AggregateFunction.COUNT)))
                    .bucketCount(4)
                    .build(), false);
        }
        Set<Long> acked = ConcurrentHashMap.newKeySet();
        for (int round = 0; round < ROUNDS; round++) {
            long from = round * 1_000_000L;
            Process server = InletProcesses.server(conf, dir);
            Process writer = InletProcesses.java(AckingUpserter.class, "grpc://127.0.0.1:" + port, "crash.kv", Long.toString(from), Long.toString(from + 1_000_000));
            int before = acked.size();
            Thread reader = Thread.ofVirtual().start(() -> InletProcesses.readLines(writer, line -> {
                if (line.startsWith("ACK ")) {
                    acked.add(Long.parseLong(line.substring(4)));
                }
            }));
            Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
            while (acked.size() < before + 10_000) {
                assertThat(Instant.now()).as("acks so far: %s", acked.size() - before).isBefore(deadline);
                assertThat(writer.isAlive()).as("writer still writing").isTrue();
                Thread.sleep(20); // polling a counter with a deadline
            }
            server.destroyForcibly(); // SIGKILL, in the middle of the ingest
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
            writer.destroyForcibly();
            writer.waitFor(30, TimeUnit.SECONDS);
            reader.join(Duration.ofSeconds(30));
        }

        Process server = InletProcesses.server(conf, dir);
        try (InletClient client = InletClient.connect(ClientConfig.of(URI.create("grpc://127.0.0.1:" + port)))) {
            List<Object[]> keys = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                for (long k = 0; k < AckingUpserter.KEYS; k++) {
                    keys.add(new Object[] {round * 1_000_000L + k});
                }
            }
            List<Object[]> rows = client.lookup("crash.kv", keys);
            Set<Object> uids = new HashSet<>();
            for (int i = 0; i < keys.size(); i++) {
                long key = (Long) keys.get(i)[0];
                long round = key / 1_000_000;
                long first = round * 1_000_000 + key % 1_000_000;
                // the key's writes are first, first + KEYS, first + 2 KEYS, ...: how many were applied?
                Object[] row = rows.get(i);
                long applied = row == null ? 0 : (Long) row[2];
                long ackedOfKey = 0;
                for (long op = first; acked.contains(op); op += AckingUpserter.KEYS) {
                    ackedOfKey++;
                }
                long ackedAnywhere = acked.stream().filter(op -> op / 1_000_000 == round && op % AckingUpserter.KEYS == key % 1_000_000).count();
                assertThat(ackedAnywhere).as("acks of key %s form a prefix of its writes", key).isEqualTo(ackedOfKey);
                assertThat(applied).as("writes applied to key %s (%s acknowledged)", key, ackedOfKey).isGreaterThanOrEqualTo(ackedOfKey);
                long expectedTotal = 0;
                for (long m = 0; m < applied; m++) {
                    expectedTotal += first + m * AckingUpserter.KEYS + 1;
                }
                if (applied > 0) {
                    assertThat(row[1]).as("total of key %s: the sum of its first %s writes, each once", key, applied).isEqualTo(expectedTotal);
                    assertThat(uids.add(row[3])).as("auto-increment id %s of key %s is unique", row[3], key).isTrue();
                }
            }
            assertThat(acked).isNotEmpty();

            // the changelog from offset 0, folded, gives the same rows
            Map<Long, List<Object>> folded = new HashMap<>();
            long total = client.offsets("crash.kv", "", Actions.OffsetSpec.LATEST, 0).stream().mapToLong(Actions.BucketOffset::offset).sum();
            long read = 0;
            try (LogScanner scanner = client.newScanner("crash.kv", ScanOptions.defaults())) {
                scanner.subscribeAll("", StartPosition.earliest());
                Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
                while (read < total) {
                    assertThat(Instant.now()).isBefore(deadline);
                    for (ScanBatch batch : scanner.poll(Duration.ofMillis(200))) {
                        try (batch) {
                            List<Object[]> changes = batch.rows();
                            for (int r = 0; r < changes.size(); r++) {
                                ChangeType type = batch.changeType(r);
                                if (type.isUpsert()) {
                                    folded.put((Long) changes.get(r)[0], Arrays.asList(changes.get(r)));
                                }
                                else if (type == ChangeType.DELETE) {
                                    folded.remove((Long) changes.get(r)[0]);
                                }
                            }
                            read += changes.size();
                        }
                    }
                }
            }
            Map<Long, List<Object>> looked = new HashMap<>();
            for (Object[] row : rows) {
                if (row != null) {
                    looked.put((Long) row[0], Arrays.asList(row));
                }
            }
            assertThat(folded).isEqualTo(looked);
        }
        finally {
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
