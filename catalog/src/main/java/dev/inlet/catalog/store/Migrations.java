/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.store;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Brings a catalog database to the schema this build knows, step by step. Safe to run from
 * several processes at once: each step takes the database's write lock (SQLite: an immediate
 * transaction; PostgreSQL: an exclusive lock on {@code inlet_schema_version}) and re-reads the
 * version under it, so a step is applied exactly once. A database newer than this build is refused
 * rather than used.
 */
public final class Migrations
{
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    static final List<Migration> ALL = List.of(
            new Migration(1, "databases, tables, schema history, tiered offsets", dialect -> List.of(
                    """
                    CREATE TABLE inlet_databases (
                        name TEXT PRIMARY KEY,
                        comment TEXT,
                        created_at BIGINT NOT NULL)""",
                    """
                    CREATE TABLE inlet_tables (
                        table_id %s,
                        database_name TEXT NOT NULL REFERENCES inlet_databases (name),
                        table_name TEXT NOT NULL,
                        schema_id INT NOT NULL,
                        version BIGINT NOT NULL,
                        descriptor TEXT NOT NULL,
                        created_at BIGINT NOT NULL,
                        updated_at BIGINT NOT NULL,
                        UNIQUE (database_name, table_name))""".formatted(dialect.generatedIdColumn()),
                    """
                    CREATE TABLE inlet_table_schemas (
                        table_id BIGINT NOT NULL,
                        schema_id INT NOT NULL,
                        descriptor TEXT NOT NULL,
                        created_at BIGINT NOT NULL,
                        PRIMARY KEY (table_id, schema_id))""",
                    """
                    CREATE TABLE inlet_tiered_offsets (
                        table_id BIGINT NOT NULL,
                        partition_name TEXT NOT NULL,
                        bucket INT NOT NULL,
                        lake_snapshot_id BIGINT NOT NULL,
                        tiered_offset BIGINT NOT NULL,
                        updated_at BIGINT NOT NULL,
                        PRIMARY KEY (table_id, partition_name, bucket))""")),
            new Migration(2, "auto-increment id allocations", dialect -> List.of(
                    """
                    CREATE TABLE inlet_auto_increment (
                        table_id BIGINT PRIMARY KEY,
                        next_id BIGINT NOT NULL,
                        updated_at BIGINT NOT NULL)""")),
            new Migration(3, "tiering leases", dialect -> List.of(
                    """
                    CREATE TABLE inlet_tiering_leases (
                        table_id BIGINT PRIMARY KEY,
                        owner TEXT NOT NULL,
                        epoch BIGINT NOT NULL,
                        expires_at BIGINT NOT NULL)""")),
            new Migration(4, "backfilled files, lease requests", dialect -> List.of(
                    """
                    CREATE TABLE inlet_backfill_files (
                        table_id BIGINT NOT NULL,
                        location TEXT NOT NULL,
                        size BIGINT NOT NULL,
                        row_count BIGINT NOT NULL,
                        lake_snapshot_id BIGINT NOT NULL,
                        committed_at BIGINT NOT NULL,
                        PRIMARY KEY (table_id, location))""",
                    // a backfill asks the tiering daemon to hand a table's lease over (see MetadataStore.acquireTieringLease)
                    "ALTER TABLE inlet_tiering_leases ADD COLUMN requested_by TEXT NOT NULL DEFAULT ''",
                    "ALTER TABLE inlet_tiering_leases ADD COLUMN requested_until BIGINT NOT NULL DEFAULT 0")));

    private Migrations() {}

    /** The schema version this build writes. */
    public static int latestVersion()
    {
        return ALL.getLast().version();
    }

    /** Applies every missing step; returns the number applied. */
    public static int migrate(CatalogDatabase database)
    {
        try (Connection c = openRetryingBusy(database)) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS inlet_schema_version (version INT PRIMARY KEY, description TEXT NOT NULL, applied_at BIGINT NOT NULL)");
            }
            catch (SQLException e) {
                // two processes racing to create the table: the loser sees it exist now
                if (!tableExists(c)) {
                    throw e;
                }
            }
            int applied = 0;
            for (Migration m : ALL) {
                if (applyRetryingBusy(database, c, m)) {
                    applied++;
                }
            }
            int current = currentVersion(c);
            if (current > latestVersion()) {
                throw new InletException(InletErrorCode.CATALOG_SCHEMA_TOO_NEW, "The catalog database " + database + " has schema version " + current
                        + ", newer than this Inlet build knows (" + latestVersion() + "); upgrade Inlet");
            }
            return applied;
        }
        catch (SQLException e) {
            throw new InletException(InletErrorCode.CATALOG_STORE_FAILURE, "Cannot migrate the catalog database " + database + ": " + e.getMessage(), e);
        }
    }

    private static boolean tableExists(Connection c)
    {
        try (Statement s = c.createStatement()) {
            s.executeQuery("SELECT COUNT(*) FROM inlet_schema_version").close();
            return true;
        }
        catch (SQLException e) {
            return false;
        }
    }

    /** Opening a new SQLite file sets its journal mode, which SQLite also refuses at once while another process sets it up. */
    private static Connection openRetryingBusy(CatalogDatabase database)
            throws SQLException
    {
        for (int attempt = 1; ; attempt++) {
            try {
                return database.open();
            }
            catch (SQLException e) {
                if (!isBusy(database, e) || attempt >= 100) {
                    throw e;
                }
                backoff(attempt);
            }
        }
    }

    private static boolean isBusy(CatalogDatabase database, SQLException e)
    {
        return database.dialect() == Dialect.SQLITE && String.valueOf(e.getMessage()).contains("SQLITE_BUSY");
    }

    private static void backoff(int attempt)
    {
        java.util.concurrent.locks.LockSupport.parkNanos(java.time.Duration.ofMillis(Math.min(200, 5L * attempt)).toNanos()); // before the retry
    }

    /**
     * SQLite refuses at once (SQLITE_BUSY, without waiting for its busy timeout) a transaction that
     * read and then wants to write after another connection wrote meanwhile: what several
     * processes migrating one new file at the same time do. The step is tried again.
     */
    private static boolean applyRetryingBusy(CatalogDatabase database, Connection c, Migration m)
            throws SQLException
    {
        for (int attempt = 1; ; attempt++) {
            try {
                return apply(database, c, m);
            }
            catch (SQLException e) {
                if (!isBusy(database, e) || attempt >= 100) {
                    throw e;
                }
                backoff(attempt);
            }
        }
    }

    private static boolean apply(CatalogDatabase database, Connection c, Migration m)
            throws SQLException
    {
        c.setAutoCommit(false);
        try {
            if (database.dialect() == Dialect.POSTGRESQL) {
                try (Statement s = c.createStatement()) {
                    s.execute("LOCK TABLE inlet_schema_version IN EXCLUSIVE MODE");
                }
            }
            if (currentVersion(c) >= m.version()) {
                c.rollback();
                return false;
            }
            try (Statement s = c.createStatement()) {
                for (String sql : m.statements().apply(database.dialect())) {
                    s.execute(sql);
                }
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO inlet_schema_version (version, description, applied_at) VALUES (?, ?, ?)")) {
                p.setInt(1, m.version());
                p.setString(2, m.description());
                p.setLong(3, System.currentTimeMillis());
                p.executeUpdate();
            }
            c.commit();
            LOG.info("Catalog database {}: applied schema version {} ({})", database, m.version(), m.description());
            return true;
        }
        catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        }
        finally {
            c.setAutoCommit(true);
        }
    }

    static int currentVersion(Connection c)
            throws SQLException
    {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT MAX(version) FROM inlet_schema_version")) {
            r.next();
            return r.getInt(1);
        }
    }
}
