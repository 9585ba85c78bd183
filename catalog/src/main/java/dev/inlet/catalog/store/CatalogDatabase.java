/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.store;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;
import java.util.ServiceLoader;

import static java.util.Objects.requireNonNull;

/**
 * Opens connections to the catalog database. SQLite connections get WAL journaling and a busy
 * timeout so that several processes (the CLI, the hot store, tiering daemons) can share one file:
 * a writer waits for another's transaction instead of failing at once.
 *
 * <p>Thread-safe: every call opens its own connection, which the caller closes.
 */
public final class CatalogDatabase
{
    private static final int SQLITE_BUSY_TIMEOUT_MS = 30_000;

    private final String url;
    private final Optional<String> user;
    private final Optional<String> password;
    private final Dialect dialect;
    private volatile Driver driver;

    public CatalogDatabase(String url, Optional<String> user, Optional<String> password)
    {
        this.url = requireNonNull(url, "url is null");
        this.user = requireNonNull(user, "user is null");
        this.password = requireNonNull(password, "password is null");
        this.dialect = Dialect.fromJdbcUrl(url);
        if (dialect == Dialect.SQLITE) {
            createParentFolder(url);
        }
    }

    public static CatalogDatabase sqlite(Path file)
    {
        return new CatalogDatabase("jdbc:sqlite:" + file.toAbsolutePath(), Optional.empty(), Optional.empty());
    }

    private static void createParentFolder(String url)
    {
        String file = url.substring("jdbc:sqlite:".length());
        int query = file.indexOf('?');
        if (query >= 0) {
            file = file.substring(0, query);
        }
        if (file.isEmpty() || file.equals(":memory:") || file.startsWith("file:")) {
            return;
        }
        Path parent = Path.of(file).toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        }
        catch (java.io.IOException e) {
            throw new InletException(InletErrorCode.CATALOG_STORE_FAILURE, "Cannot create the folder " + parent + " for the catalog database " + url, e);
        }
    }

    public String url()
    {
        return url;
    }

    public Optional<String> user()
    {
        return user;
    }

    public Optional<String> password()
    {
        return password;
    }

    public Dialect dialect()
    {
        return dialect;
    }

    /**
     * The driver of the URL. The {@link DriverManager} registers only the drivers of the system
     * class loader, so inside a plugin (Trino's plugin class loader) it knows none: the driver is
     * then found among those this class's loader sees, and registered, so that libraries that use
     * the {@code DriverManager} themselves (Iceberg's JDBC catalog) find it too.
     */
    private Driver driver()
            throws SQLException
    {
        Driver cached = driver;
        if (cached != null) {
            return cached;
        }
        try {
            cached = DriverManager.getDriver(url);
        }
        catch (SQLException notRegistered) {
            cached = registerOwnDriver(url).orElseThrow(() -> notRegistered);
        }
        driver = cached;
        return cached;
    }

    private static synchronized Optional<Driver> registerOwnDriver(String url)
            throws SQLException
    {
        for (Driver candidate : ServiceLoader.load(Driver.class, CatalogDatabase.class.getClassLoader())) {
            if (candidate.acceptsURL(url)) {
                DriverManager.registerDriver(candidate);
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    public Connection open()
            throws SQLException
    {
        Properties properties = new Properties();
        user.ifPresent(u -> properties.setProperty("user", u));
        password.ifPresent(p -> properties.setProperty("password", p));
        if (dialect == Dialect.SQLITE) {
            properties.setProperty("busy_timeout", Integer.toString(SQLITE_BUSY_TIMEOUT_MS));
            properties.setProperty("journal_mode", "WAL");
            properties.setProperty("foreign_keys", "true");
            // take the write lock when a transaction starts: a deferred transaction that later
            // upgrades its lock fails at once with SQLITE_BUSY instead of waiting
            properties.setProperty("transaction_mode", "IMMEDIATE");
        }
        Connection connection = driver().connect(url, properties);
        if (connection == null) {
            throw new SQLException("No JDBC driver accepts " + this);
        }
        if (dialect == Dialect.SQLITE) {
            try (Statement s = connection.createStatement()) {
                s.execute("PRAGMA busy_timeout = " + SQLITE_BUSY_TIMEOUT_MS);
            }
        }
        return connection;
    }

    /** The URL without credentials, for messages. */
    @Override
    public String toString()
    {
        return url.replaceAll("password=[^&;]*", "password=***");
    }
}
