/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.it;

import dev.inlet.catalog.testing.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;

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
        int trinoPort = FreePorts.loopback();
        Path data = dir.resolve("data");
        Path conf = dir.resolve("inlet.properties");
        Files.writeString(conf, String.join("\n", "data-dir=" + data, "server.port=" + hotPort, "server.endpoint=grpc://127.0.0.1:" + hotPort, "server.metrics.port=0",
                "tiering.metrics.port=0", "tiering.discovery-interval=200ms", "s3.endpoint=http://127.0.0.1:" + s3Port) + "\n");
        Process local = new ProcessBuilder(DIST.resolve("bin/inlet").toString(), "local", "--no-demo", "--s3-port", Integer.toString(s3Port), "--config", conf.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("local.log").toFile())
                .start();
        Process trino = null;
        try {
            await("inlet local to start", () -> Files.readString(dir.resolve("local.log")).contains("Running; press Ctrl-C to stop."), local);
            trino = startTrino(trinoPort, hotPort, s3Port, data);
            Process server = trino;
            await("Trino to start", () -> started(trinoPort), server);

            try (Connection jdbc = DriverManager.getConnection("jdbc:trino://127.0.0.1:" + trinoPort + "/inlet/shop", "test", null); Statement sql = jdbc.createStatement()) {
                sql.execute("CREATE SCHEMA inlet.shop");
                sql.execute("CREATE TABLE orders (id bigint NOT NULL, user_id bigint, amount decimal(10, 2)) WITH (lake_format = 'paimon', bucket_key = ARRAY['id'], bucket_count = 2, freshness = '1s')");
                sql.execute("CREATE TABLE users (id bigint NOT NULL, name varchar) WITH (primary_key = ARRAY['id'], lake_format = 'iceberg', bucket_count = 2, freshness = '1s')");
                assertThat(sql.executeUpdate("INSERT INTO orders SELECT x, x % 10, CAST(x AS decimal(10, 2)) / 4 FROM UNNEST(sequence(1, 100)) AS t(x)")).isEqualTo(100);
                assertThat(sql.executeUpdate("INSERT INTO users SELECT x, 'user-' || CAST(x AS varchar) FROM UNNEST(sequence(0, 9)) AS t(x)")).isEqualTo(10);

                // the tiering service (inside inlet local) moves both tables into their lakes
                await("tiering to hold every row in the lakes", () -> rows(sql, "SELECT count(*) FROM \"orders$lake\"").equals(List.of(List.of("100")))
                        && rows(sql, "SELECT count(*) FROM \"users$lake\"").equals(List.of(List.of("10"))), server);
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
            }
        }
        finally {
            if (trino != null) {
                trino.destroy();
                trino.waitFor(30, TimeUnit.SECONDS);
                trino.destroyForcibly();
            }
            local.destroy();
            local.waitFor(30, TimeUnit.SECONDS);
            local.destroyForcibly();
        }
    }

    private Process startTrino(int port, int hotPort, int s3Port, Path data)
            throws IOException
    {
        Path home = dir.resolve("trino");
        Files.createDirectories(home.resolve("etc/catalog"));
        Files.writeString(home.resolve("etc/config.properties"), String.join("\n", "coordinator=true", "node-scheduler.include-coordinator=true",
                "http-server.http.port=" + port, "discovery.uri=http://127.0.0.1:" + port, "node.internal-address=127.0.0.1", "query.max-memory=1GB",
                "query.max-memory-per-node=1GB") + "\n");
        Files.writeString(home.resolve("etc/log.properties"), "io.trino=INFO\n");
        // the shipped catalog file, pointed at this test's services
        String catalog = Files.readString(Path.of("../conf/trino/inlet.properties"))
                .replace("grpc://127.0.0.1:9123", "grpc://127.0.0.1:" + hotPort)
                .replace("http://127.0.0.1:9000", "http://127.0.0.1:" + s3Port)
                .replace("jdbc:sqlite:data/catalog.db", "jdbc:sqlite:" + data.resolve("catalog.db"));
        Files.writeString(home.resolve("etc/catalog/inlet.properties"), catalog);
        unzipPlugin(home.resolve("plugin"));

        String java = ProcessHandle.current().info().command().orElse("java");
        Path jar;
        try (Stream<Path> files = Files.list(TRINO_SERVER)) {
            jar = files.filter(p -> p.getFileName().toString().startsWith("inlet-trino-server") && p.toString().endsWith(".jar")).findFirst().orElseThrow();
        }
        List<String> command = new ArrayList<>(List.of(java, "-cp", TRINO_SERVER.resolve("lib").toAbsolutePath() + "/*:" + jar.toAbsolutePath(),
                "-Xmx2G", "-XX:+ExitOnOutOfMemoryError", "-Djdk.attach.allowAttachSelf=true", "--add-modules=jdk.incubator.vector", "--sun-misc-unsafe-memory-access=allow",
                "--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED", "-Dconfig=etc/config.properties", "-Dlog.levels-file=etc/log.properties",
                "-Dlog.output-file=var/log/server.log", "-Dnode.environment=it", "-Dnode.id=it-1", "-Dnode.data-dir=" + home.resolve("data"), "dev.inlet.trinoserver.TrinoServerMain"));
        return new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true).redirectOutput(home.resolve("console.log").toFile()).start();
    }

    /** The plugin zip as the distribution ships it, unpacked as {@code plugin/inlet}. */
    private static void unzipPlugin(Path plugins)
            throws IOException
    {
        Path zip;
        try (Stream<Path> files = Files.list(PLUGIN)) {
            zip = files.filter(p -> p.getFileName().toString().matches("inlet-trino-plugin-.*\\.zip")).findFirst().orElseThrow(() -> new IllegalStateException(
                    "no plugin zip in " + PLUGIN.toAbsolutePath() + ": build trino-plugin first (./mvnw package)"));
        }
        Path target = plugins.resolve("inlet");
        Files.createDirectories(target);
        try (InputStream in = Files.newInputStream(zip); ZipInputStream entries = new ZipInputStream(in)) {
            for (ZipEntry entry = entries.getNextEntry(); entry != null; entry = entries.getNextEntry()) {
                if (entry.isDirectory()) {
                    continue;
                }
                Path file = target.resolve(Path.of(entry.getName()).getFileName().toString());
                Files.copy(entries, file);
            }
        }
    }

    private static boolean started(int port)
    {
        try {
            HttpResponse<String> info = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/info")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return info.statusCode() == 200 && info.body().contains("\"starting\":false");
        }
        catch (IOException e) {
            return false;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static List<List<String>> rows(Statement sql, String query)
            throws SQLException
    {
        List<List<String>> rows = new ArrayList<>();
        try (ResultSet result = sql.executeQuery(query)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                List<String> row = new ArrayList<>();
                for (int c = 1; c <= columns; c++) {
                    row.add(result.getString(c));
                }
                rows.add(row);
            }
        }
        return rows;
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
