/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.it;

import dev.inlet.catalog.testing.FreePorts;
import dev.inlet.trinoserver.TrinoServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.inlet.it.JdbcRows.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A real Trino 483 server process (assembled from Maven Central by {@code it/trino-server}) with
 * the built Inlet plugin in its {@code plugin/} folder and the catalog file, over a real
 * {@code bin/inlet local} process (hot store, embedded S3 store, SQLite catalog, tiering
 * service), queried through {@code trino-jdbc}: DDL, inserts, a union read across lake and hot
 * rows, a join with dynamic filtering, and the system tables.
 */
class TrinoServerIT
{
    private static final Path DIST = Path.of(System.getProperty("inlet.dist.dir", "target/inlet"));
    private static final Path TRINO_SERVER = Path.of(System.getProperty("inlet.trino.server.dir", "trino-server/target"));
    private static final Path PLUGIN = Path.of(System.getProperty("inlet.trino.plugin.dir", "../trino-plugin/target"));
    private static final Duration DEADLINE = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    @Test
    void aRealTrinoServerCreatesWritesAndReadsInletTables()
            throws Exception
    {
        int hotPort = FreePorts.loopback();
        int s3Port = FreePorts.loopback();
        Path data = dir.resolve("data");
        Path conf = dir.resolve("inlet.properties");
        Files.writeString(conf, String.join("\n", "data-dir=" + data, "server.port=" + hotPort, "server.endpoint=grpc://127.0.0.1:" + hotPort, "server.metrics.port=0", "server.lookup.port=-1",
                "tiering.metrics.port=0", "tiering.discovery-interval=200ms", "s3.endpoint=http://127.0.0.1:" + s3Port) + "\n");
        Process local = new ProcessBuilder(DIST.resolve("bin/inlet").toString(), "local", "--no-demo", "--no-trino", "--s3-port", Integer.toString(s3Port), "--config", conf.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("local.log").toFile())
                .start();
        try {
            await("inlet local to start", () -> Files.readString(dir.resolve("local.log")).contains("Running; press Ctrl-C to stop."), local);
            // the shipped catalog file, pointed at this test's services
            Properties catalog = new Properties();
            try (Reader in = Files.newBufferedReader(Path.of("../conf/trino/inlet.properties"))) {
                catalog.load(in);
            }
            catalog.setProperty("server.endpoint", "grpc://127.0.0.1:" + hotPort);
            catalog.setProperty("s3.endpoint", "http://127.0.0.1:" + s3Port);
            catalog.setProperty("catalog.jdbc.url", "jdbc:sqlite:" + data.resolve("catalog.db"));
            Map<String, String> properties = new HashMap<>();
            catalog.stringPropertyNames().forEach(k -> properties.put(k, catalog.getProperty(k)));
            try (TrinoServerProcess trino = TrinoServerProcess.builder(TRINO_SERVER, dir.resolve("trino")).plugin("inlet", pluginZip()).catalog("inlet", properties).start(DEADLINE);
                    Connection jdbc = DriverManager.getConnection(trino.jdbcUrl("inlet", "shop"), "test", null);
                    Statement sql = jdbc.createStatement()) {
                sql.execute("CREATE SCHEMA inlet.shop");
                sql.execute("CREATE TABLE orders (id bigint NOT NULL, user_id bigint, amount decimal(10, 2)) WITH (lake_format = 'paimon', bucket_key = ARRAY['id'], bucket_count = 2, freshness = '1s')");
                sql.execute("CREATE TABLE users (id bigint NOT NULL, name varchar) WITH (primary_key = ARRAY['id'], lake_format = 'iceberg', bucket_count = 2, freshness = '1s')");
                assertThat(sql.executeUpdate("INSERT INTO orders SELECT x, x % 10, CAST(x AS decimal(10, 2)) / 4 FROM UNNEST(sequence(1, 100)) AS t(x)")).isEqualTo(100);
                assertThat(sql.executeUpdate("INSERT INTO users SELECT x, 'user-' || CAST(x AS varchar) FROM UNNEST(sequence(0, 9)) AS t(x)")).isEqualTo(10);

                // the tiering service (inside inlet local) moves both tables into their lakes
                await("tiering to hold every row in the lakes", () -> rows(sql, "SELECT count(*) FROM \"orders$lake\"").equals(List.of(List.of("100")))
                        && rows(sql, "SELECT count(*) FROM \"users$lake\"").equals(List.of(List.of("10"))), local);
                // then a hot tail on top of the lake snapshots
                assertThat(sql.executeUpdate("INSERT INTO orders VALUES (101, 3, 1.00), (102, 4, 2.00)")).isEqualTo(2);
                assertThat(sql.executeUpdate("INSERT INTO users VALUES (3, 'renamed')")).isEqualTo(1);
                assertThat(sql.executeUpdate("DELETE FROM users WHERE id = 9")).isEqualTo(1);

                assertThat(rows(sql, "SELECT count(*), sum(amount), max(id) FROM orders")).containsExactly(List.of("102", "1265.50", "102"));
                assertThat(rows(sql, "SELECT id, name FROM users WHERE id IN (3, 9)")).containsExactly(List.of("3", "renamed"));
                // a join whose build side is known only at run time: a dynamic filter on orders
                assertThat(rows(sql, "SELECT count(*), sum(o.amount) FROM orders o JOIN users u ON o.user_id = u.id WHERE u.name = 'renamed'"))
                        .containsExactly(List.of("11", "121.00"));
                assertThat(rows(sql, "SELECT count(*) FROM \"orders$tiering\" WHERE lake_snapshot_id IS NOT NULL")).containsExactly(List.of("2"));
                assertThat(rows(sql, "SELECT sum(hot_end_offset) FROM \"orders$tiering\"")).containsExactly(List.of("102"));
                assertThat(Integer.parseInt(rows(sql, "SELECT count(*) FROM \"users$snapshots\" WHERE tiering_round IS NOT NULL").getFirst().getFirst())).isPositive();
                assertThat(rows(sql, "SELECT _change_type, name FROM \"users$changelog\" WHERE id = 3 ORDER BY _offset"))
                        .containsExactly(List.of("+I", "user-3"), List.of("-U", "user-3"), List.of("+U", "renamed"));
                assertThat(rows(sql, "SHOW CREATE TABLE users").getFirst().getFirst()).contains("primary_key = ARRAY['id']").contains("lake_format = 'iceberg'");

                // bad input through Trino: a clear error naming what is wrong, nothing changed, the services still up
                assertThatThrownBy(() -> sql.executeUpdate("INSERT INTO users VALUES (NULL, 'nobody')")).isInstanceOf(SQLException.class)
                        .hasMessageContaining("NULL value not allowed for NOT NULL column: id");
                assertThatThrownBy(() -> sql.executeUpdate("DELETE FROM orders WHERE id = 1")).isInstanceOf(SQLException.class)
                        .hasMessageContaining("shop.orders is a log table");
                assertThatThrownBy(() -> sql.executeUpdate("UPDATE users SET name = 'x' WHERE id = 1")).isInstanceOf(SQLException.class)
                        .hasMessageContaining("UPDATE and MERGE are not supported");
                assertThatThrownBy(() -> sql.execute("CREATE TABLE bad (id bigint) WITH (primary_key = ARRAY['nope'])")).isInstanceOf(SQLException.class)
                        .hasMessageContaining("nope");
                assertThatThrownBy(() -> sql.executeQuery("SELECT * FROM \"orders$changelog\"")).isInstanceOf(SQLException.class)
                        .hasMessageContaining("orders is a log table");
                assertThat(rows(sql, "SELECT count(*), sum(amount), max(id) FROM orders")).containsExactly(List.of("102", "1265.50", "102"));
                assertThat(rows(sql, "SELECT count(*) FROM users")).containsExactly(List.of("9"));
                assertThat(rows(sql, "SHOW TABLES")).containsExactlyInAnyOrder(List.of("orders"), List.of("users"));
            }
        }
        finally {
            local.destroy();
            local.waitFor(30, TimeUnit.SECONDS);
            local.destroyForcibly();
        }
    }

    /** The plugin zip the build made. */
    private static Path pluginZip()
            throws IOException
    {
        try (Stream<Path> files = Files.list(PLUGIN)) {
            return files.filter(p -> p.getFileName().toString().matches("inlet-trino-plugin-.*\\.zip")).findFirst().orElseThrow(() -> new IllegalStateException(
                    "no plugin zip in " + PLUGIN.toAbsolutePath() + ": build trino-plugin first (./mvnw package)"));
        }
    }

    @FunctionalInterface
    private interface Condition
    {
        boolean holds()
                throws Exception;
    }

    /** Polls until the condition holds, failing at the deadline or when the process died. */
    private static void await(String what, Condition condition, Process process)
            throws Exception
    {
        Instant deadline = Instant.now().plus(DEADLINE);
        while (!condition.holds()) {
            assertThat(process.isAlive()).as("%s: the process exited with %s", what, process.isAlive() ? "-" : process.exitValue()).isTrue();
            assertThat(Instant.now()).as("waiting for %s", what).isBefore(deadline);
            // between polls of a process starting or a service tiering; the condition is what is awaited
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
        }
    }
}
