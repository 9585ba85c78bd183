/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * A single-node Apache Kafka cluster (KRaft, one process as broker and controller) in a JVM of its
 * own, started from the jars on this JVM's class path, listening on 127.0.0.1 only, with its data
 * in a given directory. A child JVM rather than an in-process server: the broker then has its own
 * heap and garbage collector as in production (the flags of {@code kafka-server-start.sh}), and
 * stopping it is killing a process. It stops on {@link #close}, on this JVM's shutdown, and by
 * itself when this JVM dies ({@link KafkaBrokerMain}).
 */
public final class KafkaBroker
        implements AutoCloseable
{
    /** The JVM flags of {@code kafka-run-class.sh} and {@code kafka-server-start.sh}. */
    private static final List<String> KAFKA_JVM_FLAGS = List.of(
            "-XX:+UseG1GC",
            "-XX:MaxGCPauseMillis=20",
            "-XX:InitiatingHeapOccupancyPercent=35",
            "-XX:+ExplicitGCInvokesConcurrent",
            "-Djava.awt.headless=true",
            // JDK 25 warns about native access (compression codecs) and sun.misc.Unsafe otherwise
            "--enable-native-access=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow");

    private final Path directory;
    private final Process process;
    private final Thread shutdownHook;
    private final String bootstrapServers;

    private KafkaBroker(Path directory, Process process, Thread shutdownHook, String bootstrapServers)
    {
        this.directory = requireNonNull(directory, "directory is null");
        this.process = requireNonNull(process, "process is null");
        this.shutdownHook = requireNonNull(shutdownHook, "shutdownHook is null");
        this.bootstrapServers = requireNonNull(bootstrapServers, "bootstrapServers is null");
    }

    /**
     * Formats {@code directory} and starts the broker; returns once it answers on its listener.
     *
     * @param heap the broker's {@code -Xms}/{@code -Xmx}, such as {@code 1g} (Kafka's default)
     * @param extraJvmFlags added after Kafka's own
     * @param brokerConfig settings added to (or replacing) the defaults of this class
     */
    public static KafkaBroker start(Path directory, String heap, List<String> extraJvmFlags, Map<String, String> brokerConfig, Duration timeout)
            throws IOException, InterruptedException
    {
        Files.createDirectories(directory);
        int brokerPort = freePort();
        int controllerPort = freePort();
        String bootstrap = "127.0.0.1:" + brokerPort;

        Map<String, String> config = new LinkedHashMap<>();
        config.put("process.roles", "broker,controller");
        config.put("node.id", "1");
        config.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        config.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        config.put("advertised.listeners", "PLAINTEXT://" + bootstrap);
        config.put("controller.listener.names", "CONTROLLER");
        config.put("inter.broker.listener.name", "PLAINTEXT");
        config.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        config.put("log.dirs", directory.resolve("data").toString());
        config.put("auto.create.topics.enable", "false");
        // one node: the internal topics cannot have more replicas
        config.put("offsets.topic.replication.factor", "1");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("share.coordinator.state.topic.replication.factor", "1");
        config.put("share.coordinator.state.topic.min.isr", "1");
        config.put("group.initial.rebalance.delay.ms", "0");
        config.putAll(brokerConfig);

        Path properties = directory.resolve("server.properties");
        StringBuilder text = new StringBuilder("# written by the Inlet benchmark harness\n");
        config.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        Files.writeString(properties, text);

        Path logConfig = directory.resolve("log4j2.xml");
        Files.writeString(logConfig, brokerLogConfig(directory.resolve("logs").resolve("server.log")));

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xms" + heap);
        command.add("-Xmx" + heap);
        // as the Inlet server runs (InletServer): the heap's pages touched at start, not in a measured pass
        command.add("-XX:+AlwaysPreTouch");
        command.addAll(KAFKA_JVM_FLAGS);
        command.addAll(extraJvmFlags);
        command.add("-Dlog4j2.configurationFile=" + logConfig);
        command.add("-cp");
        command.add(absoluteClassPath());
        command.add(KafkaBrokerMain.class.getName());
        command.add(properties.toString());
        command.add(Uuid.randomUuid().toString());

        Path output = directory.resolve("broker.out");
        Process process = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        Thread hook = new Thread(() -> stop(process), "kafka-broker-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        KafkaBroker broker = new KafkaBroker(directory, process, hook, bootstrap);
        try {
            broker.awaitReady(timeout);
        }
        catch (IOException | InterruptedException | RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    public String bootstrapServers()
    {
        return bootstrapServers;
    }

    public Path directory()
    {
        return directory;
    }

    /** Whether the broker's process still runs (it may have died of an error). */
    public boolean isAlive()
    {
        return process.isAlive();
    }

    /** The last lines of the broker's log and console output, for an error message. */
    public String logTail()
    {
        StringBuilder tail = new StringBuilder();
        for (Path file : List.of(directory.resolve("broker.out"), directory.resolve("logs").resolve("server.log"))) {
            try {
                if (Files.exists(file)) {
                    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                    tail.append("--- ").append(file).append(" (last 30 lines)\n");
                    lines.subList(Math.max(0, lines.size() - 30), lines.size()).forEach(line -> tail.append(line).append('\n'));
                }
            }
            catch (IOException | UncheckedIOException e) {
                tail.append("--- ").append(file).append(": ").append(e).append('\n');
            }
        }
        return tail.toString();
    }

    @Override
    public void close()
    {
        stop(process);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        }
        catch (IllegalStateException ignored) {
            // the JVM is shutting down: the hook runs (or ran) anyway
        }
    }

    private void awaitReady(Duration timeout)
            throws IOException, InterruptedException
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> adminConfig = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000);
        try (Admin admin = Admin.create(adminConfig)) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IOException("the Kafka broker exited with status " + process.exitValue() + " while starting\n" + logTail());
                }
                try {
                    Collection<Node> nodes = admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
                    if (!nodes.isEmpty()) {
                        return;
                    }
                }
                catch (ExecutionException | TimeoutException _) {
                    // not listening yet: try again until the deadline
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("the Kafka broker did not answer within " + timeout + "\n" + logTail());
                }
                Thread.sleep(200);
            }
        }
    }

    /** SIGTERM (Kafka's shutdown hook stops it cleanly), then SIGKILL after 20 seconds. */
    private static void stop(Process process)
    {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** This JVM's class path with absolute entries: the broker runs in its own working directory. */
    private static String absoluteClassPath()
    {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.isEmpty())
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static int freePort()
            throws IOException
    {
        // the port is free now; the broker binds it a second later, a race that loopback makes harmless in practice
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static String brokerLogConfig(Path logFile)
    {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <!-- written by the Inlet benchmark harness: the broker logs to a file, not to the benchmark's output -->
                <Configuration status="warn">
                    <Appenders>
                        <File name="server" fileName="%s">
                            <PatternLayout pattern="[%%d] %%p %%m (%%c)%%n"/>
                        </File>
                    </Appenders>
                    <Loggers>
                        <Logger name="kafka.request.logger" level="warn"/>
                        <Logger name="state.change.logger" level="warn"/>
                        <Root level="info">
                            <AppenderRef ref="server"/>
                        </Root>
                    </Loggers>
                </Configuration>
                """.formatted(logFile);
    }
}
