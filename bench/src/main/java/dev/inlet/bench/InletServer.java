/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.bench;

import dev.inlet.catalog.CatalogSettings;
import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.config.InletConfig;
import dev.inlet.logstore.client.ClientConfig;
import dev.inlet.logstore.client.InletClient;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * An Inlet hot-store server in a child JVM ({@link InletServerMain}) on 127.0.0.1, with a data
 * directory of its own, as the Kafka broker of the hot-store benchmark runs: 1 GiB heap, G1, the
 * heap's pages touched at start ({@code -XX:+AlwaysPreTouch}). A long-running server has touched
 * them all after its first pass through the heap; a fresh JVM without it takes a page fault at the
 * first touch of each, and in the primary-key benchmark those faults were a tenth of the merge
 * threads' time in the measured passes.
 * Extra JVM flags come from the environment variable {@code INLET_BENCH_SERVER_JVM_OPTS} (e.g.
 * {@code -XX:StartFlightRecording=filename=server.jfr} to profile the server). Closing it closes
 * the server's standard input, on which the server stops.
 */
public final class InletServer
        implements AutoCloseable
{
    public static final String HEAP = "1g";

    private final Path directory;
    private final Process process;
    private final int port;

    private InletServer(Path directory, Process process, int port)
    {
        this.directory = directory;
        this.process = process;
        this.port = port;
    }

    /**
     * Writes {@code inlet.properties} under {@code directory} with the data directory, a free
     * port and {@code settings}, lets {@code catalog} create tables through the catalog, then
     * starts the server and waits until it serves.
     */
    public static InletServer start(Path directory, Map<String, String> settings, Consumer<InletCatalog> catalog)
            throws IOException
    {
        return start(directory, settings, catalog, List.of());
    }

    /** As {@link #start(Path, Map, Consumer)}, with extra flags for the server JVM (tests: a quicker start). */
    static InletServer start(Path directory, Map<String, String> settings, Consumer<InletCatalog> catalog, List<String> jvmOptions)
            throws IOException
    {
        requireNonNull(settings, "settings is null");
        Files.createDirectories(directory);
        int port = freePort();
        List<String> lines = new ArrayList<>(List.of("data-dir=" + directory.resolve("data"), "server.port=" + port, "server.metrics.port=0", "server.lookup.port=-1"));
        settings.forEach((key, value) -> lines.add(key + "=" + value));
        lines.add("");
        Path conf = directory.resolve("inlet.properties");
        Files.writeString(conf, String.join("\n", lines));
        try (InletCatalog opened = new InletCatalog(CatalogSettings.fromConfig(InletConfig.load(conf)))) {
            catalog.accept(opened);
        }
        String extra = System.getenv("INLET_BENCH_SERVER_JVM_OPTS");
        // G1 unless the extra options choose another collector (e.g. -XX:+UseZGC)
        String collector = extra != null && extra.matches(".*-XX:\\+Use\\w+GC.*") ? null : "-XX:+UseG1GC";
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xms" + HEAP, "-Xmx" + HEAP, "-XX:+AlwaysPreTouch",
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "--add-opens=java.base/java.nio=ALL-UNNAMED"));
        if (collector != null) {
            command.add(collector);
        }
        command.addAll(jvmOptions);
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.strip().split("\\s+")));
        }
        command.addAll(List.of("-cp", Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                        .map(p -> Path.of(p).toAbsolutePath().toString())
                        .collect(Collectors.joining(File.pathSeparator)),
                InletServerMain.class.getName(), conf.toString()));
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        boolean ready = false;
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("READY ")) {
                ready = true;
                break;
            }
            seen.append(line).append('\n');
        }
        if (!ready || !process.isAlive()) {
            process.destroyForcibly();
            throw new IOException("Inlet server did not start:\n" + seen);
        }
        // keep draining its output, so that it never blocks on a full pipe
        Thread.ofVirtual().start(() -> out.lines().forEach(_ -> { }));
        return new InletServer(directory, process, port);
    }

    public InletClient connect()
    {
        return InletClient.connect(new ClientConfig(URI.create("grpc://127.0.0.1:" + port), Optional.empty(), Duration.ofMinutes(5)));
    }

    public Path directory()
    {
        return directory;
    }

    /** The port of the server's Flight endpoint on 127.0.0.1. */
    public int port()
    {
        return port;
    }

    /** CPU time the server JVM has used so far (every thread). */
    public long cpuNanos()
    {
        return process.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    @Override
    public void close()
            throws IOException, InterruptedException
    {
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static int freePort()
            throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
