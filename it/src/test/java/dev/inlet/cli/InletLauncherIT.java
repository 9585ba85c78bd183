/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged distribution run the way a user runs it: {@code bin/inlet} as a separate process.
 * {@code inlet local} runs in the background with its embedded S3 store; table commands from other
 * processes create lake tables in it; SIGTERM stops it cleanly.
 */
class InletLauncherIT
{
    private static final Path DIST = Path.of(System.getProperty("inlet.dist.dir", "target/inlet"));

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
    void localDeploymentServesTableCommandsFromOtherProcesses()
            throws Exception
    {
        Path data = dir.resolve("data");
        Files.createDirectories(dir.resolve("conf"));
        // the distribution's own configuration, with the data folder moved into this test's folder
        Files.writeString(dir.resolve("conf/inlet.properties"), Files.readString(DIST.resolve("conf/inlet.properties")).replace("data-dir=data", "data-dir=" + data));

        int hotPort = dev.inlet.catalog.testing.FreePorts.loopback();
        Process local = new ProcessBuilder(DIST.resolve("bin/inlet").toString(), "local", "--s3-port", "0", "--set", "server.port=" + hotPort,
                "--set", "server.metrics.port=0", "--set", "tiering.metrics.port=0").directory(dir.toFile()).redirectErrorStream(true).start();
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
            Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
            while (!seen.contains("Running; press Ctrl-C to stop.")) {
                String line = lines.poll(1, TimeUnit.SECONDS);
                assertThat(Instant.now()).as("inlet local did not come up; output so far: %s", seen).isBefore(deadline);
                assertThat(local.isAlive() || line != null).as("inlet local exited: %s", seen).isTrue();
                if (line != null) {
                    seen.add(line);
                    Matcher m = Pattern.compile("\\s+S3 endpoint:\\s+(http://\\S+).*").matcher(line);
                    if (m.matches()) {
                        endpoint = m.group(1);
                    }
                }
            }
            assertThat(endpoint).isNotNull();
            assertThat(seen).contains("  demo.orders_paimon -> paimon table at s3://inlet-lake/paimon/demo.db/orders_paimon",
                    "  demo.orders_iceberg -> iceberg table at s3://inlet-lake/iceberg/demo/orders_iceberg");

            Result create = run("table", "create", "shop.orders", "--columns", "order_id BIGINT NOT NULL, amount DECIMAL(12,2)",
                    "--primary-key", "order_id", "--lake", "iceberg", "--set", "s3.endpoint=" + endpoint);
            assertThat(create.exitCode()).as(create.out()).isZero();
            assertThat(create.out()).contains("Created table shop.orders (id 4)\nLake table (iceberg): s3://inlet-lake/iceberg/shop/orders\n");

            Result list = run("table", "list");
            assertThat(list.exitCode()).isZero();
            assertThat(list.out()).isEqualTo("""
                    TABLE                KIND         BUCKETS  LAKE     COLUMNS
                    demo.clicks          log          4        paimon   4
                    demo.orders_iceberg  primary-key  4        iceberg  4
                    demo.orders_paimon   primary-key  4        paimon   4
                    shop.orders          primary-key  4        iceberg  2
                    """);
            // the demo's rows are in the hot store, readable by another process
            Result tail = run("tail", "demo.clicks", "--from", "earliest", "--limit", "3", "--columns", "click_id", "--set", "server.endpoint=grpc://127.0.0.1:" + hotPort);
            assertThat(tail.exitCode()).as(tail.out()).isZero();
            assertThat(tail.out().lines().filter(l -> l.startsWith("{")).toList()).hasSize(3).allMatch(l -> l.matches("\\{\"_bucket\":[0-3],\"_offset\":\\d+,\"click_id\":\\d+}"));
            // the tiering service inside inlet local writes the demo's clicks to their Paimon table
            Instant tieredBy = Instant.now().plus(Duration.ofSeconds(90));
            while (true) {
                Result status = run("tiering", "status", "--set", "server.endpoint=grpc://127.0.0.1:" + hotPort);
                assertThat(status.exitCode()).as(status.out()).isZero();
                List<String[]> clicks = status.out().lines().filter(l -> l.startsWith("demo.clicks ")).map(l -> l.trim().split("\\s+")).toList();
                assertThat(clicks).as(status.out()).hasSize(4);
                if (clicks.stream().allMatch(c -> !c[2].equals("-") && c[c.length - 1].equals("0"))) {
                    assertThat(clicks.stream().mapToLong(c -> Long.parseLong(c[c.length - 3])).sum()).as(status.out()).isEqualTo(100);
                    break;
                }
                assertThat(Instant.now()).as("demo.clicks not tiered yet: %s", status.out()).isBefore(tieredBy);
            }
            // the lake files are in the embedded store's folder
            assertThat(data.resolve("s3/inlet-lake/paimon/demo.db/orders_paimon/schema/schema-0")).exists();

            // SIGTERM through the handle: Process.destroy() would also close our end of its stdout
            local.toHandle().destroy();
            assertThat(local.waitFor(60, TimeUnit.SECONDS)).isTrue();
            reader.join(Duration.ofSeconds(10));
            List<String> rest = new ArrayList<>();
            lines.drainTo(rest);
            assertThat(rest).as("output after SIGTERM, exit code %s", local.exitValue()).contains("Stopping (SIGTERM) ...", "Inlet local stopped.");
            assertThat(local.exitValue()).isZero();
        }
        finally {
            local.destroyForcibly();
        }
    }
}
