/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.it;

import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.model.DataType;
import dev.inlet.catalog.model.LakeFormat;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.catalog.testing.S3TestEndpoint;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The distribution's services started the way users start them ({@code bin/inlet server},
 * {@code bin/inlet tiering}, each a separate process with its log in the test's folder), and the
 * acknowledging writer process, for the crash and fault tests.
 */
final class InletProcesses
{
    static final Path DIST = Path.of(System.getProperty("inlet.dist.dir", "target/inlet"));

    private InletProcesses() {}

    /** {@code bin/inlet server}, returned once it accepts connections on its {@code server.port}. */
    static Process server(Path conf, Path logs)
            throws Exception
    {
        Process server = new ProcessBuilder(DIST.resolve("bin/inlet").toString(), "server", "--config", conf.toString())
                .redirectErrorStream(true).redirectOutput(logs.resolve("server-" + System.nanoTime() + ".log").toFile()).start();
        int port = Integer.parseInt(Files.readAllLines(conf).stream().filter(l -> l.startsWith("server.port=")).findFirst().orElseThrow().substring(12));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return server;
            }
            catch (IOException e) {
                assertThat(server.isAlive()).as("server process running").isTrue();
                assertThat(Instant.now()).as("server listening within 60s").isBefore(deadline);
                TimeUnit.MILLISECONDS.sleep(100); // polling a starting process's port, with a deadline
            }
        }
    }

    /** {@code bin/inlet tiering}, its output appended to {@code tiering.log}. */
    static Process tiering(Path conf, Path logs)
            throws IOException
    {
        return new ProcessBuilder(DIST.resolve("bin/inlet").toString(), "tiering", "--config", conf.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve("tiering.log").toFile()))
                .start();
    }

    /** An {@link AckingWriter} process appending ids {@code [from, to)} to {@code table}. */
    static Process ackingWriter(int port, String table, long from, long to)
            throws IOException
    {
        return java(AckingWriter.class, "grpc://127.0.0.1:" + port, table, Long.toString(from), Long.toString(to));
    }

    /** A JVM running {@code main} on this test's class path, with the options Inlet's clients need. */
    static Process java(Class<?> main, String... args)
            throws IOException
    {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(javaBinary(), "-cp", System.getProperty("java.class.path"),
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "--add-opens=java.base/java.nio=ALL-UNNAMED", main.getName()));
        command.addAll(java.util.List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    static String javaBinary()
    {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** Reads a process's output lines until it ends. */
    static void readLines(Process process, Consumer<String> lines)
    {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.accept(line);
            }
        }
        catch (IOException e) {
            // the process was killed
        }
    }

    /** Collects an {@link AckingWriter}'s acknowledgements: id to {@code "bucket offset"}. */
    static void readAcks(Process writer, Map<Long, String> acked)
    {
        readLines(writer, line -> {
            if (line.startsWith("ACK ")) {
                String[] parts = line.split(" ");
                acked.put(Long.parseLong(parts[1]), parts[2] + " " + parts[3]);
            }
        });
    }

    /**
     * The configuration file the crash tests run the distribution with: the hot store on
     * {@code port}, quick tiering turns (200 ms discovery, 3 s lease), metrics off, the test S3
     * endpoint's lake settings, and {@code extra} lines.
     */
    static Path conf(Path dir, int port, String lakeBucketPrefix, String... extra)
            throws IOException
    {
        List<String> lines = new ArrayList<>(List.of("data-dir=" + dir.resolve("data"), "server.port=" + port, "server.metrics.port=0", "server.lookup.port=-1",
                "server.endpoint=grpc://127.0.0.1:" + port, "tiering.metrics.port=0", "tiering.discovery-interval=200ms", "tiering.lease.ttl=3s",
                "tiering.retry.initial-backoff=100ms", "tiering.retry.max-backoff=1s"));
        lines.addAll(List.of(extra));
        S3TestEndpoint.get().lakeSettings(lakeBucketPrefix).forEach((k, v) -> lines.add(k + "=" + v));
        Path conf = dir.resolve("inlet.properties");
        Files.writeString(conf, String.join("\n", lines) + "\n");
        return conf;
    }

    /** Log tables of {@link AckingWriter} rows, tiered every second: Paimon for names starting with "paimon", Iceberg otherwise. */
    static void createAckingTables(InletCatalog catalog, List<TablePath> tables)
    {
        for (TablePath table : tables) {
            catalog.createDatabase(table.database(), true);
            catalog.createTable(table, TableDescriptor.builder()
                    .column("id", DataType.bigint(), false)
                    .column("user_id", DataType.string(), false)
                    .column("amount", DataType.decimal(18, 2))
                    .bucketKey("user_id")
                    .bucketCount(3)
                    .lakeFormat(table.table().startsWith("paimon") ? LakeFormat.PAIMON : LakeFormat.ICEBERG)
                    .freshness(Duration.ofSeconds(1))
                    .build(), false);
        }
    }
}
