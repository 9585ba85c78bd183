/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering.backfill;

import dev.inlet.catalog.config.InletConfig;
import dev.inlet.catalog.model.DataType;
import dev.inlet.catalog.model.LakeFormat;
import dev.inlet.catalog.model.MergeEngine;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.logstore.client.UpsertWriter;
import dev.inlet.logstore.client.WriterOptions;
import dev.inlet.tiering.RoundHooks;
import dev.inlet.tiering.TieringTestCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The primary-key rule: a backfilled row never replaces a newer row of its key (unless
 * {@code --overwrite-keys}; under the versioned engine, unless its version is higher), goes through
 * the hot store so that lookups and partial updates see it, and reaches the lake by tiering.
 */
class TestPrimaryKeyBackfill
{
    @TempDir
    Path dir;

    private TieringTestCluster cluster;
    private BackfillSources sources;

    @BeforeEach
    void setUp()
            throws Exception
    {
        cluster = new TieringTestCluster(dir.resolve("cluster"));
        sources = new BackfillSources();
    }

    @AfterEach
    void tearDown()
    {
        sources.close();
        cluster.close();
    }

    private void createUsers(String name, MergeEngine engine)
    {
        cluster.createTable(name, TableDescriptor.builder()
                .column("id", DataType.bigint(), false)
                .column("name", DataType.string())
                .column("version", DataType.bigint())
                .primaryKey("id")
                .bucketCount(2)
                .mergeEngine(engine)
                .lakeFormat(LakeFormat.PAIMON)
                .build());
    }

    private Backfill.Result backfill(String table, String from, boolean overwriteKeys)
    {
        return new Backfill(cluster.catalog(), InletConfig.of(Map.of()), cluster::client, Backfill.Hooks.NONE)
                .run(new Backfill.Request(TablePath.parse(table), from, Optional.empty(), Map.of(), Backfill.Mode.APPEND, 1, false, false, dir.resolve("rejects"), overwriteKeys),
                        progress -> {});
    }

    private void upsert(String table, Object... row)
            throws Exception
    {
        try (UpsertWriter writer = cluster.client().newUpsertWriter(table, null, WriterOptions.defaults())) {
            writer.upsert(row).get();
        }
    }

    private List<Object[]> lookup(String table, long... ids)
    {
        return cluster.client().lookup(table, java.util.Arrays.stream(ids).mapToObj(id -> new Object[] {id}).toList());
    }

    @Test
    void aBackfilledRowNeverReplacesANewerRowOfItsKey()
            throws Exception
    {
        createUsers("shop.users", MergeEngine.LAST_ROW);
        upsert("shop.users", 1L, "live", 5L);
        sources.text("users/2.csv", "id,name,version\n1,history,1\n2,history,1\n3,,1\n");
        Backfill.Result result = backfill("shop.users", sources.location("users/2.csv"), false);
        assertThat(result.throughHotStore()).isTrue();
        assertThat(result.rows()).isEqualTo(3);
        List<Object[]> rows = lookup("shop.users", 1, 2, 3);
        assertThat(rows.get(0)).containsExactly(1L, "live", 5L);
        assertThat(rows.get(1)).containsExactly(2L, "history", 1L);
        assertThat(rows.get(2)).containsExactly(3L, null, 1L);

        // tiering carries them to the lake, once
        cluster.round(RoundHooks.NONE).run(TablePath.parse("shop.users")).orElseThrow();
        assertThat(cluster.readLake("shop.users")).containsExactlyInAnyOrder(List.of(1L, "live", 5L), List.of(2L, "history", 1L), java.util.Arrays.asList(3L, null, 1L));

        // a second run adds nothing; --overwrite-keys replaces by key
        assertThat(backfill("shop.users", sources.location("users/2.csv"), false).loaded()).isEmpty();
        sources.text("users/forced/1.csv", "id,name,version\n1,forced,0\n");
        backfill("shop.users", sources.location("users/forced/"), true);
        assertThat(lookup("shop.users", 1).getFirst()).containsExactly(1L, "forced", 0L);
    }

    @Test
    void underTheVersionedEngineTheHigherVersionWins()
    {
        createUsers("shop.versioned", MergeEngine.versioned("version"));
        try {
            upsert("shop.versioned", 1L, "live", 5L);
            upsert("shop.versioned", 2L, "live", 5L);
        }
        catch (Exception e) {
            throw new IllegalStateException(e);
        }
        sources.text("versioned/1.csv", "id,name,version\n1,older,4\n2,newer,9\n");
        backfill("shop.versioned", sources.location("versioned/"), false);
        List<Object[]> rows = lookup("shop.versioned", 1, 2);
        assertThat(rows.get(0)).containsExactly(1L, "live", 5L);
        assertThat(rows.get(1)).containsExactly(2L, "newer", 9L);
    }

    @Test
    void aBadRowStopsTheFileBeforeAnyOfItsRowsIsWritten()
    {
        createUsers("shop.checked", MergeEngine.LAST_ROW);
        String file = sources.text("checked/1.csv", "id,name,version\n1,a,1\n,b,2\n");
        assertThatThrownBy(() -> backfill("shop.checked", sources.location("checked/"), false))
                .hasMessageContaining("File " + file)
                .hasMessageContaining("line 3: primary-key column 'id' has no value")
                .hasMessageContaining("nothing of this file was written");
        assertThat(lookup("shop.checked", 1).getFirst()).isNull();
    }
}
