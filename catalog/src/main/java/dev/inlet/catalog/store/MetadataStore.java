/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.store;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.lake.BackfilledFile;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TableInfo;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.catalog.model.TieredOffset;
import dev.inlet.catalog.model.TieringLease;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The catalog's records in its JDBC database: databases, tables (with their schema history) and
 * tiered offsets. It stores what it is given; validation happens before (see
 * {@link dev.inlet.catalog.model.TableValidator}).
 *
 * <p>Concurrency: each table record carries a version. {@link #updateTable} stores a change only
 * if the record is still at the version the caller read, so two writers can never silently
 * overwrite each other: the second gets {@link InletErrorCode#CONCURRENT_MODIFICATION}.
 * Thread-safe; every method runs in its own connection and transaction.
 */
public final class MetadataStore
{
    private final CatalogDatabase database;

    public MetadataStore(CatalogDatabase database)
    {
        this.database = requireNonNull(database, "database is null");
        Migrations.migrate(database);
    }

    public CatalogDatabase database()
    {
        return database;
    }

    // --- databases ---

    /** @return false if it already existed */
    public boolean createDatabase(String name, Optional<String> comment)
    {
        try {
            return insertDatabase(name, comment);
        }
        catch (InletException e) {
            if (e.errorCode() == InletErrorCode.CONCURRENT_MODIFICATION) {
                return false; // created concurrently
            }
            throw e;
        }
    }

    private boolean insertDatabase(String name, Optional<String> comment)
    {
        return inTransaction("create database " + name, c -> {
            if (databaseExists(c, name)) {
                return false;
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO inlet_databases (name, comment, created_at) VALUES (?, ?, ?)")) {
                p.setString(1, name);
                p.setString(2, comment.orElse(null));
                p.setLong(3, System.currentTimeMillis());
                p.executeUpdate();
            }
            return true;
        });
    }

    public boolean databaseExists(String name)
    {
        return inTransaction("look up database " + name, c -> databaseExists(c, name));
    }

    public List<String> listDatabases()
    {
        return inTransaction("list databases", c -> {
            List<String> names = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT name FROM inlet_databases ORDER BY name"); ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    names.add(r.getString(1));
                }
            }
            return names;
        });
    }

    /** Drops an empty database. @return false if it did not exist */
    public boolean dropDatabase(String name)
    {
        return inTransaction("drop database " + name, c -> {
            if (!databaseExists(c, name)) {
                return false;
            }
            if (!listTables(c, name).isEmpty()) {
                throw new InletException(InletErrorCode.DATABASE_NOT_EMPTY, "Database " + name + " still has tables " + listTables(c, name)
                        + "; drop them first or drop the database with cascade");
            }
            try (PreparedStatement p = c.prepareStatement("DELETE FROM inlet_databases WHERE name = ?")) {
                p.setString(1, name);
                p.executeUpdate();
            }
            return true;
        });
    }

    // --- tables ---

    /**
     * Stores a new table at schema 1, version 1.
     *
     * @throws InletException {@link InletErrorCode#DATABASE_NOT_FOUND} or
     *     {@link InletErrorCode#TABLE_ALREADY_EXISTS}
     */
    public TableInfo insertTable(TablePath path, TableDescriptor descriptor)
    {
        String json = DescriptorCodec.encode(descriptor);
        try {
            return insertTableRecord(path, descriptor, json);
        }
        catch (InletException e) {
            if (e.errorCode() == InletErrorCode.CONCURRENT_MODIFICATION) {
                // the unique key (database, table) caught a concurrent create of the same table
                throw new InletException(InletErrorCode.TABLE_ALREADY_EXISTS, "Table " + path + " already exists (created concurrently)", e);
            }
            throw e;
        }
    }

    private TableInfo insertTableRecord(TablePath path, TableDescriptor descriptor, String json)
    {
        return inTransaction("create table " + path, c -> {
            if (!databaseExists(c, path.database())) {
                throw new InletException(InletErrorCode.DATABASE_NOT_FOUND, "Database " + path.database() + " does not exist (creating table " + path + ")");
            }
            if (findTable(c, path).isPresent()) {
                throw new InletException(InletErrorCode.TABLE_ALREADY_EXISTS, "Table " + path + " already exists");
            }
            long now = System.currentTimeMillis();
            long tableId;
            try (PreparedStatement p = c.prepareStatement("""
                    INSERT INTO inlet_tables (database_name, table_name, schema_id, version, descriptor, created_at, updated_at)
                    VALUES (?, ?, 1, 1, ?, ?, ?) RETURNING table_id""")) {
                p.setString(1, path.database());
                p.setString(2, path.table());
                p.setString(3, json);
                p.setLong(4, now);
                p.setLong(5, now);
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    tableId = r.getLong(1);
                }
            }
            insertSchema(c, tableId, 1, json, now);
            return new TableInfo(path, tableId, 1, 1, descriptor, Instant.ofEpochMilli(now), Instant.ofEpochMilli(now));
        });
    }

    public Optional<TableInfo> findTable(TablePath path)
    {
        return inTransaction("look up table " + path, c -> findTable(c, path));
    }

    public Optional<TableInfo> findTable(long tableId)
    {
        return inTransaction("look up table id " + tableId, c -> {
            try (PreparedStatement p = c.prepareStatement(SELECT_TABLE + " WHERE table_id = ?")) {
                p.setLong(1, tableId);
                return readTable(p);
            }
        });
    }

    public List<TablePath> listTables(String databaseName)
    {
        return inTransaction("list tables of " + databaseName, c -> {
            if (!databaseExists(c, databaseName)) {
                throw new InletException(InletErrorCode.DATABASE_NOT_FOUND, "Database " + databaseName + " does not exist");
            }
            return listTables(c, databaseName);
        });
    }

    /** The descriptor a table had at one schema id. */
    public Optional<TableDescriptor> schema(long tableId, int schemaId)
    {
        return inTransaction("read schema " + schemaId + " of table id " + tableId, c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT descriptor FROM inlet_table_schemas WHERE table_id = ? AND schema_id = ?")) {
                p.setLong(1, tableId);
                p.setInt(2, schemaId);
                try (ResultSet r = p.executeQuery()) {
                    return r.next() ? Optional.of(DescriptorCodec.decode(r.getString(1))) : Optional.empty();
                }
            }
        });
    }

    /**
     * Replaces a table's descriptor if its record is still at {@code base.version()}.
     *
     * @param schemaChange whether the columns changed: the schema id then advances and the new
     *     schema joins the history
     * @throws InletException {@link InletErrorCode#CONCURRENT_MODIFICATION} if someone changed or
     *     dropped the table since {@code base} was read
     */
    public TableInfo updateTable(TableInfo base, TableDescriptor descriptor, boolean schemaChange)
    {
        String json = DescriptorCodec.encode(descriptor);
        return inTransaction("alter table " + base.path(), c -> {
            long now = System.currentTimeMillis();
            int schemaId = schemaChange ? base.schemaId() + 1 : base.schemaId();
            try (PreparedStatement p = c.prepareStatement("""
                    UPDATE inlet_tables SET descriptor = ?, schema_id = ?, version = version + 1, updated_at = ?
                    WHERE table_id = ? AND version = ?""")) {
                p.setString(1, json);
                p.setInt(2, schemaId);
                p.setLong(3, now);
                p.setLong(4, base.tableId());
                p.setLong(5, base.version());
                if (p.executeUpdate() != 1) {
                    throw new InletException(InletErrorCode.CONCURRENT_MODIFICATION, "Table " + base.path() + " was changed or dropped by someone else after version "
                            + base.version() + " was read; re-read it and retry");
                }
            }
            if (schemaChange) {
                insertSchema(c, base.tableId(), schemaId, json, now);
            }
            return new TableInfo(base.path(), base.tableId(), schemaId, base.version() + 1, descriptor, base.createdAt(), Instant.ofEpochMilli(now));
        });
    }

    /** Deletes a table's records (schemas and tiered offsets too). @return false if it was not there */
    public boolean deleteTable(TableInfo table)
    {
        return inTransaction("drop table " + table.path(), c -> {
            int deleted;
            try (PreparedStatement p = c.prepareStatement("DELETE FROM inlet_tables WHERE table_id = ?")) {
                p.setLong(1, table.tableId());
                deleted = p.executeUpdate();
            }
            for (String sql : List.of("DELETE FROM inlet_table_schemas WHERE table_id = ?", "DELETE FROM inlet_tiered_offsets WHERE table_id = ?",
                    "DELETE FROM inlet_auto_increment WHERE table_id = ?", "DELETE FROM inlet_tiering_leases WHERE table_id = ?",
                    "DELETE FROM inlet_backfill_files WHERE table_id = ?")) {
                try (PreparedStatement p = c.prepareStatement(sql)) {
                    p.setLong(1, table.tableId());
                    p.executeUpdate();
                }
            }
            return deleted == 1;
        });
    }

    // --- auto-increment ids ---

    /**
     * Reserves the next {@code count} ids of a table's auto-increment column, starting at 1, and
     * returns the first. The reservation is committed before this returns, so an id handed out
     * from it is never handed out again, even if the server that reserved it crashes before using
     * it (its unused ids are skipped).
     */
    public long allocateAutoIncrement(TablePath path, long tableId, long count)
    {
        if (count <= 0) {
            throw new IllegalArgumentException("count must be positive: " + count);
        }
        return inTransaction("allocate auto-increment ids of " + path, c -> {
            if (findTableById(c, tableId).isEmpty()) {
                throw new InletException(InletErrorCode.TABLE_NOT_FOUND, "Table " + path + " (id " + tableId + ") no longer exists; no ids allocated");
            }
            try (PreparedStatement p = c.prepareStatement("""
                    INSERT INTO inlet_auto_increment (table_id, next_id, updated_at) VALUES (?, ?, ?)
                    ON CONFLICT (table_id) DO UPDATE SET next_id = inlet_auto_increment.next_id + ?, updated_at = excluded.updated_at""")) {
                p.setLong(1, tableId);
                p.setLong(2, 1 + count);
                p.setLong(3, System.currentTimeMillis());
                p.setLong(4, count);
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement("SELECT next_id FROM inlet_auto_increment WHERE table_id = ?")) {
                p.setLong(1, tableId);
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    return r.getLong(1) - count;
                }
            }
        });
    }

    // --- tiering state ---

    public List<TieredOffset> tieredOffsets(long tableId)
    {
        return inTransaction("read tiered offsets of table id " + tableId, c -> {
            List<TieredOffset> offsets = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("""
                    SELECT partition_name, bucket, lake_snapshot_id, tiered_offset, updated_at FROM inlet_tiered_offsets
                    WHERE table_id = ? ORDER BY partition_name, bucket""")) {
                p.setLong(1, tableId);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        offsets.add(new TieredOffset(r.getString(1), r.getInt(2), r.getLong(3), r.getLong(4), Instant.ofEpochMilli(r.getLong(5))));
                    }
                }
            }
            return offsets;
        });
    }

    /**
     * Records that lake snapshot {@code lakeSnapshotId} holds the given offsets. All buckets are
     * recorded in one transaction. An offset never moves backwards: a bucket whose recorded offset
     * is already larger makes the whole call fail and change nothing.
     */
    public void recordTieredOffsets(TablePath path, long tableId, long lakeSnapshotId, List<TieredOffset> offsets)
    {
        inTransaction("record tiered offsets of " + path, c -> {
            if (findTableById(c, tableId).isEmpty()) {
                throw new InletException(InletErrorCode.TABLE_NOT_FOUND, "Table " + path + " (id " + tableId + ") no longer exists; tiered offsets not recorded");
            }
            long now = System.currentTimeMillis();
            for (TieredOffset o : offsets) {
                recordTieredOffset(c, path, tableId, lakeSnapshotId, o, now);
            }
            return null;
        });
    }

    /**
     * Replaces a table's tiered offsets with those of lake snapshot {@code lakeSnapshotId}, also
     * where that moves them back: for tiering only, after it rolled back a lake snapshot that had
     * been committed under a lapsed lease (the lake is the truth, and it no longer has those rows).
     */
    public void replaceTieredOffsets(TablePath path, long tableId, long lakeSnapshotId, List<TieredOffset> offsets)
    {
        inTransaction("replace tiered offsets of " + path, c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM inlet_tiered_offsets WHERE table_id = ?")) {
                p.setLong(1, tableId);
                p.executeUpdate();
            }
            long now = System.currentTimeMillis();
            for (TieredOffset o : offsets) {
                recordTieredOffset(c, path, tableId, lakeSnapshotId, o, now);
            }
            return null;
        });
    }

    /** Records one bucket's offset; fails if the recorded one is already larger (offsets never move back). */
    private static void recordTieredOffset(Connection c, TablePath path, long tableId, long lakeSnapshotId, TieredOffset o, long now)
            throws SQLException
    {
        try (PreparedStatement p = c.prepareStatement("""
                INSERT INTO inlet_tiered_offsets (table_id, partition_name, bucket, lake_snapshot_id, tiered_offset, updated_at)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (table_id, partition_name, bucket) DO UPDATE
                SET lake_snapshot_id = excluded.lake_snapshot_id, tiered_offset = excluded.tiered_offset, updated_at = excluded.updated_at
                WHERE inlet_tiered_offsets.tiered_offset <= excluded.tiered_offset""")) {
            p.setLong(1, tableId);
            p.setString(2, o.partition());
            p.setInt(3, o.bucket());
            p.setLong(4, lakeSnapshotId);
            p.setLong(5, o.offset());
            p.setLong(6, now);
            if (p.executeUpdate() != 1) {
                throw new InletException(InletErrorCode.CONCURRENT_MODIFICATION, "Table " + path + " bucket " + o.bucket()
                        + (o.partition().isEmpty() ? "" : " of partition " + o.partition())
                        + ": the recorded tiered offset is already beyond " + o.offset() + "; offsets never move back");
            }
        }
    }

    // --- tiering leases ---

    /**
     * Takes the tiering lease of a table for {@code owner} until {@code now + ttl}, or extends it if
     * {@code owner} holds it already. One conditional update: of several processes asking at once,
     * exactly one gets a lapsed or free lease, and its epoch is one higher than any before.
     *
     * <p>While another process's request stands ({@link #requestTieringLease}), the lease is given
     * to nobody else, and its holder gives it up here, at its next turn: between two rounds, never
     * inside one.
     *
     * @return the lease, or empty if another owner holds it and it has not lapsed, or another
     *     process has requested it
     */
    public Optional<TieringLease> acquireTieringLease(long tableId, String owner, Duration ttl, Instant now)
    {
        return inTransaction("acquire the tiering lease of table id " + tableId, c -> {
            insertLeaseRow(c, tableId);
            // a holder asked to hand over releases the lease now
            try (PreparedStatement p = c.prepareStatement("""
                    UPDATE inlet_tiering_leases SET expires_at = 0
                    WHERE table_id = ? AND owner = ? AND requested_by <> '' AND requested_by <> ? AND requested_until > ?""")) {
                p.setLong(1, tableId);
                p.setString(2, owner);
                p.setString(3, owner);
                p.setLong(4, now.toEpochMilli());
                p.executeUpdate();
            }
            // the same owner before it lapsed keeps its epoch; anyone else, or a lapsed owner, raises it
            try (PreparedStatement p = c.prepareStatement("""
                    UPDATE inlet_tiering_leases
                    SET epoch = CASE WHEN owner = ? AND expires_at > ? THEN epoch ELSE epoch + 1 END, owner = ?, expires_at = ?
                    WHERE table_id = ? AND (owner = ? OR expires_at <= ?) AND (requested_by = '' OR requested_by = ? OR requested_until <= ?)""")) {
                p.setString(1, owner);
                p.setLong(2, now.toEpochMilli());
                p.setString(3, owner);
                p.setLong(4, now.plus(ttl).toEpochMilli());
                p.setLong(5, tableId);
                p.setString(6, owner);
                p.setLong(7, now.toEpochMilli());
                p.setString(8, owner);
                p.setLong(9, now.toEpochMilli());
                p.executeUpdate();
            }
            return tieringLease(c, tableId).filter(lease -> lease.owner().equals(owner) && lease.expiresAt().isAfter(now));
        });
    }

    private static void insertLeaseRow(Connection c, long tableId)
            throws SQLException
    {
        try (PreparedStatement p = c.prepareStatement("""
                INSERT INTO inlet_tiering_leases (table_id, owner, epoch, expires_at) VALUES (?, '', 0, 0)
                ON CONFLICT (table_id) DO NOTHING""")) {
            p.setLong(1, tableId);
            p.executeUpdate();
        }
    }

    /**
     * Asks for a table's tiering lease on behalf of {@code requester} (a backfill) until
     * {@code now + ttl}: its holder hands it over at its next turn, and nobody else takes it while
     * the request stands. Renewed by asking again; withdrawn when done.
     *
     * @return false if another process's request stands
     */
    public boolean requestTieringLease(long tableId, String requester, Duration ttl, Instant now)
    {
        return inTransaction("request the tiering lease of table id " + tableId, c -> {
            insertLeaseRow(c, tableId);
            try (PreparedStatement p = c.prepareStatement("""
                    UPDATE inlet_tiering_leases SET requested_by = ?, requested_until = ?
                    WHERE table_id = ? AND (requested_by = '' OR requested_by = ? OR requested_until <= ?)""")) {
                p.setString(1, requester);
                p.setLong(2, now.plus(ttl).toEpochMilli());
                p.setLong(3, tableId);
                p.setString(4, requester);
                p.setLong(5, now.toEpochMilli());
                return p.executeUpdate() == 1;
            }
        });
    }

    /** Withdraws {@code requester}'s request for a table's lease (someone else's request is left alone). */
    public void withdrawTieringLeaseRequest(long tableId, String requester)
    {
        inTransaction("withdraw the tiering lease request of table id " + tableId, c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE inlet_tiering_leases SET requested_by = '', requested_until = 0 WHERE table_id = ? AND requested_by = ?")) {
                p.setLong(1, tableId);
                p.setString(2, requester);
                p.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Extends a lease its owner still holds under {@code epoch} and that has not lapsed.
     *
     * @return false if it lapsed or was taken over: the owner must stop and acquire it again
     */
    public boolean renewTieringLease(long tableId, String owner, long epoch, Duration ttl, Instant now)
    {
        return inTransaction("renew the tiering lease of table id " + tableId, c -> {
            try (PreparedStatement p = c.prepareStatement("""
                    UPDATE inlet_tiering_leases SET expires_at = ? WHERE table_id = ? AND owner = ? AND epoch = ? AND expires_at > ?""")) {
                p.setLong(1, now.plus(ttl).toEpochMilli());
                p.setLong(2, tableId);
                p.setString(3, owner);
                p.setLong(4, epoch);
                p.setLong(5, now.toEpochMilli());
                return p.executeUpdate() == 1;
            }
        });
    }

    /** Gives a lease up at once (the next owner raises the epoch); a lease held by someone else is left alone. */
    public void releaseTieringLease(long tableId, String owner, long epoch)
    {
        inTransaction("release the tiering lease of table id " + tableId, c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE inlet_tiering_leases SET expires_at = 0 WHERE table_id = ? AND owner = ? AND epoch = ?")) {
                p.setLong(1, tableId);
                p.setString(2, owner);
                p.setLong(3, epoch);
                p.executeUpdate();
            }
            return null;
        });
    }

    /** The table's tiering lease as recorded (lapsed or not), or empty if none was ever taken. */
    public Optional<TieringLease> tieringLease(long tableId)
    {
        return inTransaction("read the tiering lease of table id " + tableId, c -> tieringLease(c, tableId));
    }

    private static Optional<TieringLease> tieringLease(Connection c, long tableId)
            throws SQLException
    {
        try (PreparedStatement p = c.prepareStatement("SELECT owner, epoch, expires_at FROM inlet_tiering_leases WHERE table_id = ?")) {
            p.setLong(1, tableId);
            try (ResultSet r = p.executeQuery()) {
                if (!r.next() || r.getString(1).isEmpty()) {
                    return Optional.empty();
                }
                return Optional.of(new TieringLease(tableId, r.getString(1), r.getLong(2), Instant.ofEpochMilli(r.getLong(3))));
            }
        }
    }

    // --- backfilled files ---

    /** Records source files a backfill committed in lake snapshot {@code lakeSnapshotId}; files recorded already are left as they are. */
    public void recordBackfilledFiles(long tableId, long lakeSnapshotId, List<BackfilledFile> files)
    {
        if (files.isEmpty()) {
            return;
        }
        inTransaction("record backfilled files of table id " + tableId, c -> {
            long now = System.currentTimeMillis();
            try (PreparedStatement p = c.prepareStatement("""
                    INSERT INTO inlet_backfill_files (table_id, location, size, row_count, lake_snapshot_id, committed_at) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (table_id, location) DO NOTHING""")) {
                for (BackfilledFile f : files) {
                    p.setLong(1, tableId);
                    p.setString(2, f.location());
                    p.setLong(3, f.size());
                    p.setLong(4, f.rows());
                    p.setLong(5, lakeSnapshotId);
                    p.setLong(6, now);
                    p.executeUpdate();
                }
            }
            return null;
        });
    }

    /** The source files backfills committed to a table, by location. */
    public Map<String, BackfilledFile> backfilledFiles(long tableId)
    {
        return inTransaction("read backfilled files of table id " + tableId, c -> {
            Map<String, BackfilledFile> files = new java.util.TreeMap<>();
            try (PreparedStatement p = c.prepareStatement("SELECT location, size, row_count FROM inlet_backfill_files WHERE table_id = ?")) {
                p.setLong(1, tableId);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        files.put(r.getString(1), new BackfilledFile(r.getString(1), r.getLong(2), r.getLong(3)));
                    }
                }
            }
            return files;
        });
    }

    // --- internals ---

    private static final String SELECT_TABLE = "SELECT table_id, database_name, table_name, schema_id, version, descriptor, created_at, updated_at FROM inlet_tables";

    private static boolean databaseExists(Connection c, String name)
            throws SQLException
    {
        try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM inlet_databases WHERE name = ?")) {
            p.setString(1, name);
            try (ResultSet r = p.executeQuery()) {
                return r.next();
            }
        }
    }

    private static List<TablePath> listTables(Connection c, String databaseName)
            throws SQLException
    {
        List<TablePath> tables = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT table_name FROM inlet_tables WHERE database_name = ? ORDER BY table_name")) {
            p.setString(1, databaseName);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    tables.add(new TablePath(databaseName, r.getString(1)));
                }
            }
        }
        return tables;
    }

    private static Optional<TableInfo> findTable(Connection c, TablePath path)
            throws SQLException
    {
        try (PreparedStatement p = c.prepareStatement(SELECT_TABLE + " WHERE database_name = ? AND table_name = ?")) {
            p.setString(1, path.database());
            p.setString(2, path.table());
            return readTable(p);
        }
    }

    private static Optional<TableInfo> findTableById(Connection c, long tableId)
            throws SQLException
    {
        try (PreparedStatement p = c.prepareStatement(SELECT_TABLE + " WHERE table_id = ?")) {
            p.setLong(1, tableId);
            return readTable(p);
        }
    }

    private static Optional<TableInfo> readTable(PreparedStatement p)
            throws SQLException
    {
        try (ResultSet r = p.executeQuery()) {
            if (!r.next()) {
                return Optional.empty();
            }
            return Optional.of(new TableInfo(
                    new TablePath(r.getString(2), r.getString(3)),
                    r.getLong(1),
                    r.getInt(4),
                    r.getLong(5),
                    DescriptorCodec.decode(r.getString(6)),
                    Instant.ofEpochMilli(r.getLong(7)),
                    Instant.ofEpochMilli(r.getLong(8))));
        }
    }

    private static void insertSchema(Connection c, long tableId, int schemaId, String json, long now)
            throws SQLException
    {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO inlet_table_schemas (table_id, schema_id, descriptor, created_at) VALUES (?, ?, ?, ?)")) {
            p.setLong(1, tableId);
            p.setInt(2, schemaId);
            p.setString(3, json);
            p.setLong(4, now);
            p.executeUpdate();
        }
    }

    @FunctionalInterface
    private interface Work<T>
    {
        T run(Connection c)
                throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction. A unique-key violation on insert means another writer
     * created the same record between our check and our insert: reported as a conflict, never as
     * a store failure.
     */
    private <T> T inTransaction(String what, Work<T> work)
    {
        try (Connection c = database.open()) {
            c.setAutoCommit(false);
            if (database.dialect() == Dialect.POSTGRESQL) {
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            }
            try {
                T result = work.run(c);
                c.commit();
                return result;
            }
            catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        catch (SQLException e) {
            if (isUniqueViolation(e)) {
                throw new InletException(InletErrorCode.CONCURRENT_MODIFICATION, "Cannot " + what + ": another writer did the same at the same time (" + e.getMessage() + ")", e);
            }
            throw new InletException(InletErrorCode.CATALOG_STORE_FAILURE, "Cannot " + what + " in the catalog database " + database + ": " + e.getMessage(), e);
        }
    }

    private static boolean isUniqueViolation(SQLException e)
    {
        return "23505".equals(e.getSQLState()) || (e.getMessage() != null && e.getMessage().contains("UNIQUE constraint failed"));
    }
}
