/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.server;

import dev.inlet.catalog.CatalogSettings;
import dev.inlet.catalog.model.DataType;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TableInfo;
import dev.inlet.catalog.testing.FaultInjectingProxy;
import dev.inlet.catalog.testing.S3TestEndpoint;
import dev.inlet.logstore.client.InletClient;
import dev.inlet.logstore.client.UpsertWriter;
import dev.inlet.logstore.client.WriterOptions;
import dev.inlet.logstore.kv.KvStoreOptions;
import dev.inlet.logstore.kv.KvTablet;
import dev.inlet.logstore.kv.RowCodec;
import dev.inlet.logstore.kv.TableSchema;
import dev.inlet.logstore.protocol.Actions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Key-value snapshots uploaded to S3 through a proxy that answers with 503s and resets
 * connections: uploads cut short are made again, the remote side ends with the newest two
 * snapshots complete and nothing half-written, and the newest one, downloaded, restores the state.
 */
class TestKvSnapshotsUnderS3Faults
{
    private static final int KEYS = 100;
    private static final int ROUNDS = 6;

    @TempDir
    Path dir;

    @Test
    void uploadsCutShortAreMadeAgainAndOnlyCompleteSnapshotsRemain()
            throws Exception
    {
        Map<String, String> s3Settings = S3TestEndpoint.get().lakeSettings("hot");
        // an S3 bucket the embedded S3 server already has: the lake warehouse's
        String lakeBucket = URI.create(CatalogSettings.fromConfig(dev.inlet.catalog.config.InletConfig.of(s3Settings)).paimonWarehouse()).getHost();
        String remoteDir = "s3://" + lakeBucket + "/inlet/kv-faults";
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(URI.create(s3Settings.get("s3.endpoint")));
                TestingHotStore hot = new TestingHotStore(dir.resolve("hot"), Map.of("kv.snapshot.remote-dir", remoteDir, "s3.endpoint", proxy.endpoint().toString()))) {
            TableInfo table = hot.createTable("kv.faults", TableDescriptor.builder()
                    .column("id", DataType.integer(), false)
                    .column("round", DataType.integer())
                    .primaryKey("id")
                    .bucketCount(1)
                    .build());
            String prefix = "inlet/kv-faults/" + table.tableId() + "/_/0/";
            // an upload cut short before this server's first snapshot: files without a manifest
            try (S3Client s3 = CatalogSettings.fromConfig(hot.config().with(Map.of("s3.endpoint", s3Settings.get("s3.endpoint")))).s3().newClient()) {
                s3.putObject(b -> b.bucket(lakeBucket).key(prefix + "50/000009.sst"), software.amazon.awssdk.core.sync.RequestBody.fromString("cut short"));
            }
            List<Long> offsets = new ArrayList<>();
            int failedRuns = 0;
            proxy.faults(0.5, 0.1, Duration.ZERO);
            proxy.failNextConnections(2);
            try (InletClient client = hot.client(); UpsertWriter writer = client.newUpsertWriter("kv.faults", null, WriterOptions.defaults())) {
                for (int round = 0; round < ROUNDS; round++) {
                    for (int id = 0; id < KEYS; id++) {
                        writer.upsert(new Object[] {id, round});
                    }
                    writer.flush();
                    offsets.add(client.offsets("kv.faults", "", Actions.OffsetSpec.LATEST, 0).getFirst().offset());
                    try {
                        hot.server().snapshotKvState();
                    }
                    catch (RuntimeException e) {
                        failedRuns++;
                    }
                }
            }
            assertThat(proxy.injectedErrors() + proxy.injectedResets()).as("faults injected").isGreaterThanOrEqualTo(1);
            proxy.faults(0, 0, Duration.ZERO);
            // no writes since: the newest local snapshot is uploaded now if a fault cut it short
            hot.server().snapshotKvState();
            long last = offsets.getLast();
            // +I for each key, then -U/+U for each key in every later round
            assertThat(last).isEqualTo(KEYS + (ROUNDS - 1) * 2L * KEYS);

            // read directly, not through the proxy
            try (S3Client s3 = CatalogSettings.fromConfig(hot.config().with(Map.of("s3.endpoint", s3Settings.get("s3.endpoint")))).s3().newClient()) {
                TreeMap<Long, List<String>> folders = new TreeMap<>();
                s3.listObjectsV2Paginator(b -> b.bucket(lakeBucket).prefix(prefix)).contents().forEach(o -> {
                    String rest = o.key().substring(prefix.length());
                    folders.computeIfAbsent(Long.parseLong(rest.substring(0, rest.indexOf('/'))), k -> new ArrayList<>()).add(rest.substring(rest.indexOf('/') + 1));
                });
                assertThat(folders.lastKey()).as("the newest snapshot is uploaded (%s runs failed)", failedRuns).isEqualTo(last);
                // the newest two complete ones kept, the unfinished upload deleted
                assertThat(folders.size()).as("at most the newest two are kept: %s", folders.keySet()).isBetween(1, 2);
                assertThat(folders).doesNotContainKey(50L);
                assertThat(offsets).containsAll(folders.keySet());
                for (var folder : folders.entrySet()) {
                    String manifest = s3.getObjectAsBytes(b -> b.bucket(lakeBucket).key(prefix + folder.getKey() + "/" + KvSnapshotUploader.MANIFEST)).asUtf8String();
                    List<String> listed = new ArrayList<>(manifest.lines().map(line -> line.split(" ")[0]).toList());
                    for (String line : manifest.lines().toList()) {
                        String[] parts = line.split(" ");
                        long size = s3.headObject(b -> b.bucket(lakeBucket).key(prefix + folder.getKey() + "/" + parts[0])).contentLength();
                        assertThat(size).as("%s of snapshot %s", parts[0], folder.getKey()).isEqualTo(Long.parseLong(parts[1]));
                    }
                    listed.add(KvSnapshotUploader.MANIFEST);
                    // nothing but what the manifest lists: no files of an upload cut short
                    assertThat(folder.getValue()).containsExactlyInAnyOrderElementsOf(listed);
                }

                // the newest snapshot, downloaded as a bucket's local snapshot, restores every key's last row
                Path bucketDir = dir.resolve("restored");
                Path snapshotDir = bucketDir.resolve(KvTablet.SNAPSHOTS_DIR).resolve(Long.toString(last));
                Files.createDirectories(snapshotDir);
                for (String file : folders.get(last)) {
                    if (!file.equals(KvSnapshotUploader.MANIFEST)) {
                        s3.getObject(b -> b.bucket(lakeBucket).key(prefix + last + "/" + file), snapshotDir.resolve(file));
                    }
                }
                TableSchema schema = new TableSchema(table.schemaId(), table.descriptor());
                TreeMap<Integer, Integer> restored = new TreeMap<>();
                long[] restoredOffset = new long[1];
                try (KvStoreOptions options = new KvStoreOptions(8 << 20);
                        KvTablet tablet = KvTablet.open("restored", bucketDir, new RowCodec(id -> table.descriptor()), options)) {
                    tablet.scan(schema, new KvTablet.ScanVisitor()
                    {
                        @Override
                        public void start(long offset)
                        {
                            restoredOffset[0] = offset;
                        }

                        @Override
                        public void row(Object[] row)
                        {
                            restored.put((Integer) row[0], (Integer) row[1]);
                        }
                    });
                }
                assertThat(restoredOffset[0]).isEqualTo(last);
                assertThat(restored).hasSize(KEYS);
                assertThat(restored.values()).containsOnly(ROUNDS - 1);
            }
        }
    }
}
