/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.inlet.it.JdbcRows.rows;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The distribution tarball, unpacked elsewhere, run the way a user runs it: {@code bin/inlet} as a
 * separate process.
 * {@code inlet local} runs in the background with its embedded S3 store, its Trino server and its
 * demo; table commands from other processes create lake tables in it; the printed example queries
 * return their documented results through Trino; SIGTERM stops it, Trino included.
 */
class InletLauncherIT
{
    private static final Path TARBALL = Path.of(System.getProperty("inlet.dist.tarball", "target/inlet-0.1.0-SNAPSHOT.tar.gz"));

    /** The distribution tarball unpacked elsewhere, as a user installs it. */
    private static Path DIST;

    @TempDir
    static Path installDir;

    @BeforeAll
    static void unpackTheTarball()
            throws Exception
    {
        Process tar = new ProcessBuilder("tar", "-xzf", TARBALL.toAbsolutePath().toString(), "-C", installDir.toString()).redirectErrorStream(true).start();
        String out = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tar.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(tar.exitValue()).as(out).isZero();
        try (var folders = Files.list(installDir)) {
            DIST = folders.filter(p -> p.getFileName().toString().startsWith("inlet-")).findFirst().orElseThrow();
        }
        assertThat(DIST.resolve("plugin/inlet")).isDirectory();
        assertThat(DIST.resolve("trino/lib")).isDirectory();
    }

    @TempDir
    Path dir;

    private record Result(int exitCode, String out) {}


    private Result run(String... args)
            throws Exception
    {
        List<String> command = new ArrayList<>();
        command.add(DIST.resolve("bin/inlet").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("inlet %s finished", String.join(" ", args)).isTrue();
        return new Result(p.exitValue(), out);
    }

    @Test
    void versionAndHelp()
            throws Exception
    {
        Result version = run("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("inlet 0.1.0-SNAPSHOT\nJava 25");
        Result usage = run("no-such-command");
        assertThat(usage.exitCode()).isEqualTo(2);
        assertThat(usage.out()).contains("inlet: Unmatched argument at index 0: 'no-such-command'");
    }

    @Test
    void localDeploymentRunsTheDemoAndServesItThroughTrino()
            throws Exception
    {
        Path data = dir.resolve("data");
        Files.createDirectories(dir.resolve("conf"));
        // the distribution's own configuration, with the data folder moved into this test's folder
        Files.writeString(dir.resolve("conf/inlet.properties"), Files.readString(DIST.resolve("conf/inlet.properties")).replace("data-dir=data", "data-dir=" + data));

        int hotPort = dev.inlet.catalog.testing.FreePorts.loopback();
        Process local = new ProcessBuilder(DIST.resolve("bin/inlet").toString(), "local", "--s3-port", "0", "--trino-port", "0", "--status-interval", "2s",
                "--set", "server.port=" + hotPort, "--set", "server.metrics.port=0", "--set", "server.lookup.port=-1", "--set", "tiering.metrics.port=0").directory(dir.toFile()).redirectErrorStream(true).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(local.getInputStream(), StandardCharsets.UTF_8))) {
                r.lines().forEach(lines::add);
            }
            catch (IOException e) {
                // the process ended
            }
        });
        try {
            List<String> seen = new ArrayList<>();
            String endpoint = null;
            String jdbcUrl = null;
            String trinoServer = null;
            Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
            while (!seen.contains("Running; press Ctrl-C to stop.")) {
                String line = lines.poll(1, TimeUnit.SECONDS);
                assertThat(Instant.now()).as("inlet local did not come up; output so far: %s", seen).isBefore(deadline);
                assertThat(local.isAlive() || line != null).as("inlet local exited: %s", seen).isTrue();
                if (line != null) {
                    seen.add(line);
                    endpoint = match(line, "\\s+S3 endpoint:\\s+(http://\\S+).*", endpoint);
                    jdbcUrl = match(line, "\\s+JDBC URL:\\s+(jdbc:trino://\\S+).*", jdbcUrl);
                    trinoServer = match(line, "\\s+Trino:\\s+(http://\\S+).*", trinoServer);
                }
            }
            assertThat(endpoint).isNotNull();
            assertThat(jdbcUrl).isNotNull().endsWith("/inlet/demo");
            assertThat(seen).contains(
                    "  demo.orders         iceberg  log table, orders stream",
                    "  demo.order_status   paimon   primary key order_id, partial updates from 3 streams",
                    "  demo.users          paimon   dictionary, uid assigned by the server",
                    "  wrote the history: orders 1-1000 with their payments and deliveries (3133 rows)");
            String printedQuery = "  inlet sql --server " + trinoServer + " \"SELECT count(*) AS orders";
            assertThat(seen).anyMatch(l -> l.startsWith(printedQuery));

            Result create = run("table", "create", "shop.orders", "--columns", "order_id BIGINT NOT NULL, amount DECIMAL(12,2)",
                    "--primary-key", "order_id", "--lake", "iceberg", "--set", "s3.endpoint=" + endpoint);
            assertThat(create.exitCode()).as(create.out()).isZero();
            assertThat(create.out()).contains("Created table shop.orders (id 4)\nLake table (iceberg): s3://inlet-lake/iceberg/shop/orders\n");
            Result list = run("table", "list");
            assertThat(list.exitCode()).isZero();
            assertThat(list.out()).isEqualTo("""
                    TABLE              KIND         BUCKETS  LAKE     COLUMNS
                    demo.order_status  primary-key  2        paimon   8
                    demo.orders        log          2        iceberg  4
                    demo.users         primary-key  1        paimon   2
                    shop.orders        primary-key  4        iceberg  2
                    """);

            // the two printed example queries, through the real Trino server inlet local started:
            // the history's documented results, while the live feed and tiering go on
            try (Connection jdbc = DriverManager.getConnection(jdbcUrl, "test", null); Statement sql = jdbc.createStatement()) {
                assertThat(rows(sql, "SELECT count(*) AS orders, sum(amount) AS revenue, count(DISTINCT user_name) AS customers FROM inlet.demo.orders WHERE order_id <= 1000"))
                        .containsExactly(List.of("1000", "25490.00", "40"));
                assertThat(rows(sql, "SELECT carrier, count(*) AS delivered, count(paid_at) AS paid, sum(paid_amount) AS paid_amount FROM inlet.demo.order_status "
                        + "WHERE order_id <= 1000 AND carrier IS NOT NULL GROUP BY carrier ORDER BY carrier"))
                        .containsExactly(List.of("DHL", "111", "89", "2297.11"), List.of("GLS", "111", "89", "2311.11"), List.of("UPS", "111", "89", "2324.11"));
                // one wide row per order from three streams; the dictionary gave each user one id
                assertThat(rows(sql, "SELECT order_id, user_name, amount, paid_amount, carrier, delivered_at FROM order_status WHERE order_id IN (3, 5) ORDER BY order_id"))
                        .containsExactly(List.of("3", "user-22", "3.99", "3.99", "GLS", "2026-11-02 00:03:00.000"), Arrays.asList("5", "user-36", "5.99", null, null, null));
                assertThat(rows(sql, "SELECT count(*), count(DISTINCT uid), count(uid) FROM users")).containsExactly(List.of("40", "40", "40"));
                // the tiering service moves the history into both lake formats
                Instant tieredBy = Instant.now().plus(Duration.ofSeconds(90));
                while (!rows(sql, "SELECT count(*) FROM \"orders$lake\" WHERE order_id <= 1000").equals(List.of(List.of("1000")))
                        || !rows(sql, "SELECT count(*) FROM \"order_status$lake\" WHERE order_id <= 1000 AND carrier IS NOT NULL").equals(List.of(List.of("333")))) {
                    assertThat(Instant.now()).as("the demo history did not reach the lakes").isBefore(tieredBy);
                }
                // live orders keep arriving on top of the history
                assertThat(Long.parseLong(rows(sql, "SELECT count(*) FROM orders WHERE order_id > 1000000").getFirst().getFirst())).isPositive();
                assertThat(rows(sql, "SELECT count(*) - count(DISTINCT order_id) FROM orders")).containsExactly(List.of("0"));
            }
            // the query command the demo prints
            Result query = run("sql", "--server", trinoServer, "SELECT count(*) AS orders FROM inlet.demo.orders WHERE order_id <= 1000");
            assertThat(query.exitCode()).as(query.out()).isZero();
            assertThat(query.out()).isEqualTo("orders\n1000\n(1 row)\n");
            Result bad = run("sql", "--server", trinoServer, "SELECT no_such_column FROM inlet.demo.orders");
            assertThat(bad.exitCode()).isEqualTo(1);
            assertThat(bad.out()).contains("Column 'no_such_column' cannot be resolved");
            // the status line reports ingest and lag per demo table
            Instant statusBy = Instant.now().plus(Duration.ofSeconds(30));
            List<String> more = new ArrayList<>();
            while (more.stream().noneMatch(l -> l.matches("\\[[0-9:]+] ingest \\d+ rows/s \\| lake lag: orders [0-9,]+ rows \\(.*\\) order_status .* users .*"))) {
                String line = lines.poll(1, TimeUnit.SECONDS);
                if (line != null) {
                    more.add(line);
                }
                assertThat(Instant.now()).as("no status line: %s", more).isBefore(statusBy);
            }

            // SIGTERM through the handle: Process.destroy() would also close our end of its stdout
            local.toHandle().destroy();
            assertThat(local.waitFor(90, TimeUnit.SECONDS)).isTrue();
            reader.join(Duration.ofSeconds(10));
            List<String> rest = new ArrayList<>();
            lines.drainTo(rest);
            assertThat(rest).as("output after SIGTERM, exit code %s", local.exitValue()).contains("Inlet local stopped.");
            assertThat(rest.stream().anyMatch(l -> l.startsWith("Stopping (SIGTERM) ..."))).as("%s", rest).isTrue();
            assertThat(local.exitValue()).isZero();
            // the Trino server stopped with it
            assertThat(data.resolve("trino/trino.pid")).doesNotExist();
        }
        finally {
            local.destroyForcibly();
            // a Trino whose parent was killed: stop it as the next inlet local would
            dev.inlet.trinoserver.TrinoServerProcess.stopLeftOver(data.resolve("trino"));
        }
    }

    private static String match(String line, String pattern, String current)
    {
        Matcher m = Pattern.compile(pattern).matcher(line);
        return m.matches() ? m.group(1) : current;
    }
}
