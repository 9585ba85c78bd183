/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.testing;

import dev.inlet.catalog.store.CatalogDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for the catalog tests, chosen once per test JVM:
 * <ol>
 *     <li>{@code -Dinlet.test.postgres.url=jdbc:postgresql://host:port/db} (with
 *     {@code inlet.test.postgres.user} / {@code .password}): a server you run yourself;</li>
 *     <li>otherwise a private server started from the PostgreSQL binaries of this machine
 *     ({@code initdb}, {@code pg_ctl} under {@code /usr/lib/postgresql/<version>/bin}) on a
 *     temporary folder and a free port, stopped when the JVM exits. As root it runs as the
 *     {@code postgres} user, since PostgreSQL refuses to run as root.</li>
 * </ol>
 * {@code .ci/run} installs Debian's {@code postgresql} package so that the second way always works
 * there. Each test gets a fresh database from {@link #newDatabase(String)}.
 */
public final class PostgresTestDatabase
{
    private static final Logger LOG = LoggerFactory.getLogger(PostgresTestDatabase.class);
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static volatile PostgresTestDatabase instance;

    private final String baseUrl;
    private final String user;
    private final String password;

    private PostgresTestDatabase(String baseUrl, String user, String password)
    {
        this.baseUrl = baseUrl;
        this.user = user;
        this.password = password;
    }

    public static synchronized PostgresTestDatabase get()
    {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    private static PostgresTestDatabase start()
    {
        String url = System.getProperty("inlet.test.postgres.url");
        if (url != null && !url.isBlank()) {
            return new PostgresTestDatabase(url.replaceAll("/[^/]*$", ""), System.getProperty("inlet.test.postgres.user", "postgres"),
                    System.getProperty("inlet.test.postgres.password", ""));
        }
        try {
            return startLocal();
        }
        catch (Exception e) {
            throw new IllegalStateException("No PostgreSQL for the catalog tests: set -Dinlet.test.postgres.url or install PostgreSQL "
                    + "(Debian: apt-get install postgresql); " + e.getMessage(), e);
        }
    }

    private static PostgresTestDatabase startLocal()
            throws Exception
    {
        Path bin = findBinaries().orElseThrow(() -> new IOException("no initdb/pg_ctl found under /usr/lib/postgresql/*/bin"));
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("inlet-pg-");
        Path data = dir.resolve("data");
        if (root) {
            run(List.of("chown", "-R", "postgres:postgres", dir.toString()));
        }
        int port = dev.inlet.catalog.testing.FreePorts.loopback();
        run(asPostgres(root, List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")));
        run(asPostgres(root, List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "60", "-l", dir.resolve("server.log").toString(),
                "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", "start")));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                run(asPostgres(root, List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "stop")));
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            catch (Exception e) {
                // the JVM is exiting; a leftover temp folder is all that can remain
            }
        }));
        String baseUrl = "jdbc:postgresql://127.0.0.1:" + port;
        waitReady(baseUrl + "/postgres");
        LOG.info("Tests use a private PostgreSQL ({}) at {} on {}", bin.getParent().getFileName(), baseUrl, dir);
        return new PostgresTestDatabase(baseUrl, "postgres", "");
    }

    private static List<String> asPostgres(boolean root, List<String> command)
    {
        if (!root) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    private static Optional<Path> findBinaries()
            throws IOException
    {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparing(p -> p.getParent().getFileName().toString(), Comparator.comparingInt(PostgresTestDatabase::version)));
        }
    }

    private static int version(String name)
    {
        try {
            return Integer.parseInt(name);
        }
        catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void run(List<String> command)
            throws Exception
    {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }

    private static void waitReady(String url)
            throws Exception
    {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
                if (c.isValid(5)) {
                    return;
                }
            }
            catch (java.sql.SQLException e) {
                if (Instant.now().isAfter(deadline)) {
                    throw e;
                }
                Thread.sleep(100); // polling readiness with a deadline
            }
        }
    }


    /** Creates an empty database with a unique name and returns how to reach it. */
    public CatalogDatabase newDatabase(String prefix)
    {
        String name = (prefix.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_") + "_" + DATABASES.incrementAndGet() + "_" + ProcessHandle.current().pid());
        try (Connection c = DriverManager.getConnection(baseUrl + "/postgres", user, password); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        catch (java.sql.SQLException e) {
            throw new IllegalStateException("Cannot create the test database " + name + " at " + baseUrl + ": " + e.getMessage(), e);
        }
        return new CatalogDatabase(baseUrl + "/" + name, Optional.of(user), password.isEmpty() ? Optional.empty() : Optional.of(password));
    }
}
