/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.trino;

import dev.inlet.catalog.model.DataType;
import dev.inlet.catalog.model.LakeFormat;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.logstore.client.AppendWriter;
import dev.inlet.logstore.client.UpsertWriter;
import dev.inlet.logstore.client.WriterOptions;
import dev.inlet.tiering.RoundHooks;
import dev.inlet.tiering.TieringTestCluster;
import io.trino.Session;
import io.trino.testing.AbstractTestQueryFramework;
import io.trino.testing.DistributedQueryRunner;
import io.trino.testing.MaterializedRow;
import io.trino.testing.QueryRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.trino.testing.TestingSession.testSessionBuilder;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code inlet} connector in a distributed Trino (a coordinator and a worker, so handles and
 * splits travel serialized) over a real hot store, real tiering rounds and lake tables on S3:
 * queries return the union of lake and hot rows, exactly; pushdown shows in EXPLAIN.
 */
class TestInletConnector
        extends AbstractTestQueryFramework
{
    private TieringTestCluster cluster;

    @Override
    protected QueryRunner createQueryRunner()
            throws Exception
    {
        Path dir = Files.createTempDirectory("inlet-trino-test");
        cluster = new TieringTestCluster(dir);
        for (LakeFormat format : List.of(LakeFormat.PAIMON, LakeFormat.ICEBERG)) {
            String suffix = format.name().toLowerCase(java.util.Locale.ROOT);
            cluster.createTable("shop.orders_" + suffix, TableDescriptor.builder()
                    .column("id", DataType.bigint(), false)
                    .column("region", DataType.string(), false)
                    .column("amount", DataType.decimal(10, 2))
                    .column("note", DataType.string())
                    .partitionKeys("region")
                    .bucketKey("id")
                    .bucketCount(2)
                    .lakeFormat(format)
                    .build());
            append("shop.orders_" + suffix, 0, 60);
            cluster.round(RoundHooks.NONE).run(TablePath.parse("shop.orders_" + suffix)).orElseThrow();
            append("shop.orders_" + suffix, 60, 80);

            cluster.createTable("shop.users_" + suffix, TableDescriptor.builder()
                    .column("id", DataType.bigint(), false)
                    .column("name", DataType.string())
                    .column("score", DataType.doubleType())
                    .primaryKey("id")
                    .bucketCount(2)
                    .lakeFormat(format)
                    .build());
            try (UpsertWriter writer = cluster.client().newUpsertWriter("shop.users_" + suffix, List.of("id", "name", "score"), WriterOptions.defaults())) {
                for (long id = 0; id < 10; id++) {
                    writer.upsert(new Object[] {id, "user-" + id, (double) id});
                }
            }
            cluster.round(RoundHooks.NONE).run(TablePath.parse("shop.users_" + suffix)).orElseThrow();
            try (UpsertWriter writer = cluster.client().newUpsertWriter("shop.users_" + suffix, List.of("id", "name", "score"), WriterOptions.defaults())) {
                writer.upsert(new Object[] {3L, "renamed", 30.0});
                writer.delete(new Object[] {4L, null, null});
                writer.upsert(new Object[] {10L, "user-10", 10.0});
            }
        }

        Session session = testSessionBuilder().setCatalog("inlet").setSchema("shop").build();
        QueryRunner runner = DistributedQueryRunner.builder(session).setWorkerCount(1).build();
        runner.installPlugin(new InletPlugin());
        runner.createCatalog("inlet", "inlet", cluster.clientSettings());
        return runner;
    }

    @AfterAll
    void closeCluster()
    {
        if (cluster != null) {
            cluster.close();
        }
    }

    private void append(String table, long from, long to)
    {
        try (AppendWriter writer = cluster.client().newWriter(table, WriterOptions.defaults())) {
            for (long id = from; id < to; id++) {
                writer.append(new Object[] {id, id % 2 == 0 ? "eu" : "us", new java.math.BigDecimal(id).movePointLeft(1).setScale(2), id % 3 == 0 ? null : "n" + id});
            }
        }
    }

    @Test
    void listsSchemasTablesAndColumns()
    {
        assertThat(computeActual("SHOW SCHEMAS").getOnlyColumnAsSet()).contains("shop");
        assertThat(computeActual("SHOW TABLES").getOnlyColumnAsSet()).containsExactlyInAnyOrder("orders_paimon", "orders_iceberg", "users_paimon", "users_iceberg");
        assertQuery("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'orders_paimon'",
                "VALUES ('id', 'bigint'), ('region', 'varchar'), ('amount', 'decimal(10,2)'), ('note', 'varchar')");
    }

    @Test
    void logTablesAreTheLakeSnapshotPlusTheHotTail()
    {
        for (String table : List.of("orders_paimon", "orders_iceberg")) {
            assertQuery("SELECT count(*), sum(id), count(note), sum(amount) FROM " + table, "VALUES (80, 3160, 53, 316.00)");
            assertQuery("SELECT id, region, amount, note FROM " + table + " WHERE id IN (0, 61, 79)",
                    "VALUES (0, 'eu', 0.00, NULL), (61, 'us', 6.10, 'n61'), (79, 'us', 7.90, 'n79')");
        }
    }

    @Test
    void primaryKeyTablesAreTheCurrentState()
    {
        for (String table : List.of("users_paimon", "users_iceberg")) {
            assertQuery("SELECT id, name, score FROM " + table,
                    "VALUES (0, 'user-0', 0.0), (1, 'user-1', 1.0), (2, 'user-2', 2.0), (3, 'renamed', 30.0), (5, 'user-5', 5.0), (6, 'user-6', 6.0), "
                            + "(7, 'user-7', 7.0), (8, 'user-8', 8.0), (9, 'user-9', 9.0), (10, 'user-10', 10.0)");
        }
    }

    @Test
    void filtersProjectionsAndLimitsArePushedDown()
    {
        assertThat((String) computeActual("EXPLAIN SELECT amount FROM orders_iceberg WHERE region = 'eu' AND id >= 40").getOnlyValue())
                .contains("constraint=[")
                .contains("columns=[");
        // fully enforced by the connector: no filter node remains above the scan
        assertThat(query("SELECT amount FROM orders_paimon WHERE region = 'eu' AND id >= 40")).isFullyPushedDown();
        assertQuery("SELECT count(*) FROM orders_paimon WHERE region = 'eu' AND id >= 40", "VALUES 20");
        assertThat((String) computeActual("EXPLAIN SELECT id FROM orders_paimon LIMIT 3").getOnlyValue()).contains("limit=3");
        assertThat(computeActual("SELECT id FROM orders_paimon LIMIT 3").getRowCount()).isEqualTo(3);
        assertQuery("SELECT name FROM users_iceberg WHERE id = 3", "VALUES 'renamed'");
    }

    @Test
    void createInsertDeleteAlterAndDropThroughTrino()
    {
        assertUpdate("CREATE SCHEMA ddl");
        assertUpdate("CREATE TABLE ddl.accounts (id bigint NOT NULL, name varchar, balance decimal(12,2)) "
                + "WITH (primary_key = ARRAY['id'], bucket_count = 2, lake_format = 'paimon', freshness = '1m')");
        String created = (String) computeActual("SHOW CREATE TABLE ddl.accounts").getOnlyValue();
        assertThat(created)
                .contains("id bigint NOT NULL")
                .contains("balance decimal(12, 2)")
                .contains("primary_key = ARRAY['id']")
                .contains("bucket_count = 2")
                .contains("lake_format = 'paimon'")
                .contains("freshness = '1m'")
                .contains("merge_engine = 'last_row'");
        // SHOW CREATE TABLE round-trips: its text creates an identical table
        assertUpdate(created.replace("ddl.accounts", "ddl.accounts_copy"));
        assertThat((String) computeActual("SHOW CREATE TABLE ddl.accounts_copy").getOnlyValue()).isEqualTo(created.replace("ddl.accounts", "ddl.accounts_copy"));

        assertUpdate("INSERT INTO ddl.accounts VALUES (1, 'ann', 10.50), (2, 'bob', NULL), (3, 'cy', 3.00)", 3);
        // an insert of an existing key of a primary-key table replaces its row
        assertUpdate("INSERT INTO ddl.accounts VALUES (2, 'bob', 7.25)", 1);
        assertQuery("SELECT id, name, balance FROM ddl.accounts", "VALUES (1, 'ann', 10.50), (2, 'bob', 7.25), (3, 'cy', 3.00)");
        assertUpdate("DELETE FROM ddl.accounts WHERE id = 1", 1);
        assertUpdate("DELETE FROM ddl.accounts WHERE id IN (3, 99)", 1);
        assertQuery("SELECT id, name FROM ddl.accounts", "VALUES (2, 'bob')");

        assertUpdate("ALTER TABLE ddl.accounts ADD COLUMN note varchar");
        assertUpdate("INSERT INTO ddl.accounts (id, name, note) VALUES (4, 'dee', 'new')", 1);
        assertQuery("SELECT id, name, balance, note FROM ddl.accounts", "VALUES (2, 'bob', 7.25, NULL), (4, 'dee', NULL, 'new')");

        assertUpdate("CREATE TABLE ddl.clicks (url varchar, at timestamp(3)) WITH (lake_format = 'iceberg')");
        assertUpdate("INSERT INTO ddl.clicks VALUES ('/a', TIMESTAMP '2026-11-26 10:00:00.123'), ('/b', NULL)", 2);
        assertQuery("SELECT url, at FROM ddl.clicks", "VALUES ('/a', TIMESTAMP '2026-11-26 10:00:00.123'), ('/b', NULL)");
        assertQueryFails("DELETE FROM ddl.clicks WHERE url = '/a'", ".*ddl.clicks is a log table: rows of a log table cannot be deleted.*");
        assertQueryFails("CREATE TABLE ddl.bad (id bigint) WITH (primary_key = ARRAY['nope'])", ".*nope.*");

        assertUpdate("DROP TABLE ddl.accounts");
        assertUpdate("DROP TABLE ddl.accounts_copy");
        assertUpdate("DROP TABLE ddl.clicks");
        assertUpdate("DROP SCHEMA ddl");
        assertThat(computeActual("SHOW SCHEMAS").getOnlyColumnAsSet()).doesNotContain("ddl");
    }

    @Test
    void systemTablesShowTheLakeTieringSnapshotsAndChangelog()
    {
        for (String format : List.of("paimon", "iceberg")) {
            // the lake snapshot alone: the rows the first round tiered
            assertQuery("SELECT count(*), max(id) FROM \"orders_" + format + "$lake\"", "VALUES (60, 59)");
            assertQuery("SELECT id, name FROM \"users_" + format + "$lake\" WHERE id IN (3, 4, 10)", "VALUES (3, 'user-3'), (4, 'user-4')");

            assertQuery("SELECT count(*), sum(tiered_offset), sum(hot_end_offset - tiered_offset), count(lake_snapshot_id), count(lake_snapshot_time) FROM \"orders_" + format + "$tiering\"",
                    "VALUES (4, 60, 20, 4, 4)");
            assertQuery("SELECT count(*) FROM \"orders_" + format + "$tiering\" WHERE hot_end_offset > tiered_offset AND lag_seconds <= 0", "VALUES 0");

            assertQuery("SELECT count(*), max(tiering_round), max(tiering_epoch) FROM \"orders_" + format + "$snapshots\" WHERE tiering_round IS NOT NULL", "VALUES (1, 1, 0)");

            assertQuery("SELECT _change_type, id, name FROM \"users_" + format + "$changelog\" WHERE id IN (3, 4, 10)",
                    "VALUES ('+I', 3, 'user-3'), ('-U', 3, 'user-3'), ('+U', 3, 'renamed'), ('+I', 4, 'user-4'), ('-D', 4, 'user-4'), ('+I', 10, 'user-10')");
            assertQuery("SELECT count(*) FROM \"users_" + format + "$changelog\"", "VALUES 14");
        }
        assertQueryFails("SELECT * FROM \"orders_paimon$changelog\"", ".*orders_paimon is a log table.*");
    }

    @Test
    void statisticsAndDynamicFiltering()
    {
        for (String format : List.of("paimon", "iceberg")) {
            List<MaterializedRow> stats = computeActual("SHOW STATS FOR orders_" + format).getMaterializedRows();
            // the summary row of SHOW STATS (no column name) carries the row count: lake and hot tail
            assertThat(stats).filteredOn(row -> row.getField(0) == null).singleElement().satisfies(row -> assertThat(row.getField(4)).isEqualTo(80.0));
            // the columns' null fractions and ranges come from the lake's file metadata (ids 0-59 tiered;
            // amount = id / 10; note null for every third id): estimates that leave out the hot tail
            assertThat(columnStats(stats, "id")).as(format).containsExactly(0.0, "0", "59");
            assertThat(columnStats(stats, "amount")).as(format).containsExactly(0.0, "0.0", "5.9");
            assertThat(columnStats(stats, "note")).as(format).containsExactly(20.0 / 60, null, null);
        }

        // the build side (users named 'renamed': id 3) is only known at run time; its dynamic filter
        // reaches the orders scan, whose splits then read only the matching rows
        String join = "SELECT o.id, o.note FROM orders_iceberg o JOIN users_iceberg u ON o.id = u.id WHERE u.name = 'renamed'";
        assertQuery(join, "VALUES (3, NULL)");
        Session noDynamicFilters = Session.builder(getSession()).setSystemProperty("enable_dynamic_filtering", "false").build();
        long filtered = inputPositions(getSession(), join);
        long unfiltered = inputPositions(noDynamicFilters, join);
        assertThat(unfiltered).as("without dynamic filters the scan reads every order").isEqualTo(80 + 1);
        assertThat(filtered).as("with them, only the order of user 3").isEqualTo(1 + 1);
    }

    /** A column's nulls fraction, low value and high value in SHOW STATS. */
    private static List<Object> columnStats(List<MaterializedRow> stats, String column)
    {
        MaterializedRow row = stats.stream().filter(r -> column.equals(r.getField(0))).findFirst().orElseThrow();
        return java.util.Arrays.asList(row.getField(3), row.getField(5), row.getField(6));
    }

    private long inputPositions(Session session, String sql)
    {
        DistributedQueryRunner runner = (DistributedQueryRunner) getQueryRunner();
        var result = runner.executeWithPlan(session, sql);
        return runner.getCoordinator().getQueryManager().getFullQueryInfo(result.queryId()).getQueryStats().getPhysicalInputPositions();
    }
}
