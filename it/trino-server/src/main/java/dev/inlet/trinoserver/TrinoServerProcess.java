/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.trinoserver;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A Trino 483 server as a separate process, from this module's {@code target/lib} and jar: a
 * coordinator that also runs tasks, on 127.0.0.1, with the plugins and catalogs given. Used by the
 * end-to-end tests and the benchmarks (it depends on nothing but the JDK, so they can use it
 * without Trino's libraries on their own class path).
 */
public final class TrinoServerProcess
        implements AutoCloseable
{
    private final Process process;
    private final int port;
    private final Path home;

    private TrinoServerProcess(Process process, int port, Path home)
    {
        this.process = process;
        this.port = port;
        this.home = home;
    }

    /** What to start: plugins (a zip or a folder of jars each) and catalog files. */
    public static final class Builder
    {
        private final Path serverTarget;
        private final Path home;
        private final Map<String, Path> plugins = new LinkedHashMap<>();
        private final Map<String, Map<String, String>> catalogs = new LinkedHashMap<>();
        private String heap = "2G";
        private int port;
        private final List<String> jvmOptions = new ArrayList<>();

        private Builder(Path serverTarget, Path home)
        {
            this.serverTarget = serverTarget;
            this.home = home;
        }

        /** A plugin from a zip (its jars, at any depth) or a folder of jars (and of more folders of jars). */
        public Builder plugin(String name, Path zipOrFolder)
        {
            plugins.put(name, zipOrFolder);
            return this;
        }

        public Builder catalog(String name, Map<String, String> properties)
        {
            catalogs.put(name, Map.copyOf(properties));
            return this;
        }

        public Builder heap(String value)
        {
            heap = value;
            return this;
        }

        /** More JVM options for the server, after the built-in ones (e.g. a flight recording). */
        public Builder jvmOptions(List<String> options)
        {
            jvmOptions.addAll(options);
            return this;
        }

        /** The HTTP port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int value)
        {
            port = value;
            return this;
        }

        /** Starts the server and waits until it accepts queries, at most {@code timeout}. */
        public TrinoServerProcess start(Duration timeout)
                throws IOException, InterruptedException
        {
            int port = this.port == 0 ? freePort() : this.port;
            stopLeftOver(home);
            Files.createDirectories(home.resolve("etc/catalog"));
            Files.writeString(home.resolve("etc/config.properties"), String.join("\n", "coordinator=true", "node-scheduler.include-coordinator=true",
                    "http-server.http.port=" + port, "discovery.uri=http://127.0.0.1:" + port, "node.internal-address=127.0.0.1", "query.max-memory=1GB",
                    "query.max-memory-per-node=1GB") + "\n");
            Files.writeString(home.resolve("etc/log.properties"), "io.trino=INFO\n");
            for (Map.Entry<String, Map<String, String>> catalog : catalogs.entrySet()) {
                StringBuilder text = new StringBuilder();
                catalog.getValue().forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
                Files.writeString(home.resolve("etc/catalog/" + catalog.getKey() + ".properties"), text.toString());
            }
            for (Map.Entry<String, Path> plugin : plugins.entrySet()) {
                install(plugin.getValue(), home.resolve("plugin").resolve(plugin.getKey()));
            }
            Path jar;
            try (Stream<Path> files = Files.list(serverTarget)) {
                jar = files.filter(p -> p.getFileName().toString().startsWith("inlet-trino-server") && p.toString().endsWith(".jar")).findFirst()
                        .orElseThrow(() -> new IllegalStateException("no inlet-trino-server jar in " + serverTarget.toAbsolutePath() + ": build it/trino-server first"));
            }
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> command = new ArrayList<>(List.of(java, "-cp", serverTarget.resolve("lib").toAbsolutePath() + "/*:" + jar.toAbsolutePath(),
                    "-Xmx" + heap, "-XX:+ExitOnOutOfMemoryError", "-Djdk.attach.allowAttachSelf=true", "--add-modules=jdk.incubator.vector",
                    "--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
                    "-Dconfig=etc/config.properties", "-Dlog.levels-file=etc/log.properties", "-Dlog.output-file=var/log/server.log", "-Dnode.environment=inlet",
                    "-Dnode.id=inlet-1", "-Dnode.data-dir=" + home.resolve("data").toAbsolutePath()));
            command.addAll(jvmOptions);
            command.add(TrinoServerMain.class.getName());
            Process process = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true).redirectOutput(home.resolve("console.log").toFile()).start();
            // a server whose parent was killed (kill -9) keeps running: the next start stops it
            Files.writeString(home.resolve(PID_FILE), Long.toString(process.pid()));
            TrinoServerProcess server = new TrinoServerProcess(process, port, home);
            Instant deadline = Instant.now().plus(timeout);
            while (!server.started()) {
                if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                    server.close();
                    throw new IllegalStateException("Trino did not start within " + timeout + (process.isAlive() ? "" : " (exit " + process.exitValue() + ")") + "; see "
                            + home.resolve("var/log/server.log") + " and " + home.resolve("console.log"));
                }
                // polling a starting process; what is awaited is its answer
                TimeUnit.MILLISECONDS.sleep(250);
            }
            return server;
        }
    }

    private static final String PID_FILE = "trino.pid";

    /** Stops the server an earlier, killed parent started in {@code home}, if it still runs. */
    public static void stopLeftOver(Path home)
            throws IOException, InterruptedException
    {
        Path pidFile = home.resolve(PID_FILE);
        if (!Files.exists(pidFile)) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile).strip());
        }
        catch (NumberFormatException e) {
            Files.delete(pidFile);
            return;
        }
        java.util.Optional<ProcessHandle> left = ProcessHandle.of(pid)
                .filter(h -> h.info().commandLine().map(c -> c.contains(TrinoServerMain.class.getName())).orElse(false));
        if (left.isPresent()) {
            left.get().destroy();
            try {
                left.get().onExit().get(30, TimeUnit.SECONDS);
            }
            catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                left.get().destroyForcibly();
            }
        }
        Files.delete(pidFile);
    }

    public static Builder builder(Path serverTarget, Path home)
    {
        return new Builder(serverTarget, home);
    }

    public int port()
    {
        return port;
    }

    public String jdbcUrl(String catalog, String schema)
    {
        return "jdbc:trino://127.0.0.1:" + port + "/" + catalog + "/" + schema;
    }

    public Path home()
    {
        return home;
    }

    private boolean started()
    {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> info = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/info")).build(), HttpResponse.BodyHandlers.ofString());
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

    private static void install(Path source, Path target)
            throws IOException
    {
        Files.createDirectories(target);
        if (Files.isDirectory(source)) {
            try (Stream<Path> files = Files.walk(source)) {
                for (Path file : files.filter(p -> p.toString().endsWith(".jar")).toList()) {
                    Files.copy(file, target.resolve(file.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return;
        }
        try (InputStream in = Files.newInputStream(source); ZipInputStream entries = new ZipInputStream(in)) {
            for (ZipEntry entry = entries.getNextEntry(); entry != null; entry = entries.getNextEntry()) {
                if (!entry.isDirectory() && entry.getName().endsWith(".jar")) {
                    Files.copy(entries, target.resolve(Path.of(entry.getName()).getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the server process still runs. */
    public boolean isAlive()
    {
        return process.isAlive();
    }

    @Override
    public void close()
    {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(home.resolve(PID_FILE));
        }
        catch (IOException e) {
            // a stale pid file is checked against the process it names on the next start
        }
    }
}
