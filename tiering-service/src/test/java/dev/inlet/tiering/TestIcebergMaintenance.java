/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering;

import dev.inlet.catalog.model.DataType;
import dev.inlet.catalog.model.LakeFormat;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.logstore.client.UpsertWriter;
import dev.inlet.logstore.client.WriterOptions;
import dev.inlet.tiering.iceberg.IcebergMaintenance;
import org.apache.iceberg.Snapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compaction and snapshot expiry of an Iceberg primary-key table that tiering upserts: the
 * equality deletes of many rounds are folded away with the rows unchanged, old snapshots go, and
 * tiering goes on exactly afterwards.
 */
class TestIcebergMaintenance
{
    private static final String TABLE = "shop.balances";
    private static final TablePath PATH = TablePath.parse(TABLE);

    @TempDir
    Path dir;

    private TieringTestCluster cluster;

    @BeforeEach
    void setUp()
            throws Exception
    {
        cluster = new TieringTestCluster(dir);
        cluster.createTable(TABLE, TableDescriptor.builder()
                .column("id", DataType.bigint(), false)
                .column("balance", DataType.bigint())
                .primaryKey("id")
                .bucketCount(2)
                .lakeFormat(LakeFormat.ICEBERG)
                .build());
    }

    @AfterEach
    void tearDown()
    {
        cluster.close();
    }

    private void upsertRound(Map<Long, List<Object>> model, int round)
    {
        try (UpsertWriter writer = cluster.client().newUpsertWriter(TABLE, null, WriterOptions.defaults())) {
            for (long id = 0; id < 50; id++) {
                if ((id + round) % 3 != 0) {
                    writer.upsert(new Object[] {id, id * 1000 + round});
                    model.put(id, Arrays.asList(id, id * 1000 + round));
                }
            }
            writer.delete(new Object[] {(long) round, null});
            model.remove((long) round);
        }
        cluster.round(RoundHooks.NONE).run(PATH).orElseThrow();
    }

    private long summary(String key)
    {
        org.apache.iceberg.Table table = cluster.icebergTable(TABLE);
        table.refresh();
        return Long.parseLong(table.currentSnapshot().summary().getOrDefault(key, "0"));
    }

    @Test
    void compactionFoldsTheDeletesOfManyRoundsAndExpiryDropsOldSnapshots()
            throws Exception
    {
        Map<Long, List<Object>> model = new TreeMap<>();
        for (int round = 1; round <= 6; round++) {
            upsertRound(model, round);
        }
        assertThat(cluster.readLake(TABLE)).containsExactlyInAnyOrderElementsOf(model.values());
        // the first round wrote the state without deletes; each later one a delete file per bucket
        assertThat(summary("total-delete-files")).isEqualTo(10);

        IcebergMaintenance maintenance = new IcebergMaintenance(cluster.icebergTable(TABLE), 3, 2, Duration.ZERO);
        assertThat(maintenance.compact()).as("partitions rewritten").isEqualTo(2);
        assertThat(summary("total-delete-files")).isZero();
        assertThat(cluster.readLake(TABLE)).containsExactlyInAnyOrderElementsOf(model.values());
        assertThat(maintenance.compact()).as("nothing left to fold").isZero();

        // all older than now, but tiering's newest two (rounds 5 and 6) stay, and the rewrite after them
        assertThat(maintenance.expireSnapshots(Instant.now(), "inlet-tiering")).isEqualTo(3);
        // tiering goes on from its last snapshot, which the rewrite did not hide
        upsertRound(model, 7);
        assertThat(cluster.readLake(TABLE)).containsExactlyInAnyOrderElementsOf(model.values());
        org.apache.iceberg.Table table = cluster.icebergTable(TABLE);
        table.refresh();
        assertThat(table.snapshots()).extracting(Snapshot::operation).contains("replace", "overwrite");
    }
}
