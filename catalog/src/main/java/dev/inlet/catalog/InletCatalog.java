/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.lake.LakeTableBridge;
import dev.inlet.catalog.lake.iceberg.IcebergLakeBridge;
import dev.inlet.catalog.lake.paimon.PaimonLakeBridge;
import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.DataType;
import dev.inlet.catalog.model.LakeFormat;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TableInfo;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.catalog.model.TableValidator;
import dev.inlet.catalog.store.MetadataStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import static java.util.Objects.requireNonNull;

/**
 * The catalog: Inlet's tables in the catalog database, and the lake tables behind them.
 *
 * <p>Creating a table validates it, records it, then creates its lake table; if the lake table
 * cannot be created the record is removed again, so a failed create leaves nothing. Adding a column
 * changes the lake table first (idempotently) and then the record, guarded by the record's version,
 * so two concurrent changes never silently overwrite each other. Dropping removes the record, then
 * the lake table and its files.
 *
 * <p>Thread-safe. Lake catalogs are opened on first use, so a catalog without lake tables never
 * needs S3.
 */
public final class InletCatalog
        implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(InletCatalog.class);

    private final CatalogSettings settings;
    private final MetadataStore store;
    private final Map<LakeFormat, LakeTableBridge> bridges = new EnumMap<>(LakeFormat.class);

    public InletCatalog(CatalogSettings settings)
    {
        this.settings = requireNonNull(settings, "settings is null");
        this.store = new MetadataStore(settings.database());
    }

    public CatalogSettings settings()
    {
        return settings;
    }

    /** The records themselves, for the tiering service's offsets. */
    public MetadataStore store()
    {
        return store;
    }

    // --- databases ---

    /** @return false if it already existed */
    public boolean createDatabase(String name, boolean ignoreIfExists)
    {
        String db = TablePath.checkIdentifier("database", name);
        boolean created = store.createDatabase(db, Optional.empty());
        if (!created && !ignoreIfExists) {
            throw new InletException(InletErrorCode.DATABASE_ALREADY_EXISTS, "Database " + db + " already exists");
        }
        return created;
    }

    public List<String> listDatabases()
    {
        return store.listDatabases();
    }

    /** Drops a database; with {@code cascade}, its tables (and their lake tables) first. */
    public boolean dropDatabase(String name, boolean ignoreIfMissing, boolean cascade)
    {
        String db = TablePath.checkIdentifier("database", name);
        if (!store.databaseExists(db)) {
            if (ignoreIfMissing) {
                return false;
            }
            throw new InletException(InletErrorCode.DATABASE_NOT_FOUND, "Database " + db + " does not exist");
        }
        if (cascade) {
            for (TablePath table : store.listTables(db)) {
                dropTable(table, true);
            }
        }
        return store.dropDatabase(db);
    }

    // --- tables ---

    /**
     * Creates a table and its lake table.
     *
     * @return the table as recorded (lower-cased names, table id, schema id 1)
     */
    public TableInfo createTable(TablePath path, TableDescriptor descriptor, boolean ignoreIfExists)
    {
        requireNonNull(path, "path is null");
        TableDescriptor d = TableValidator.validate(path, descriptor);
        if (d.lakeFormat() == LakeFormat.ICEBERG) {
            // lake-specific rules (e.g. nanosecond timestamps need format version 3) before anything is written
            dev.inlet.catalog.lake.iceberg.IcebergSchemas.schema(path, d, IcebergLakeBridge.formatVersion(d));
        }
        Optional<TableInfo> existing = store.findTable(path);
        if (existing.isPresent()) {
            if (ignoreIfExists) {
                return existing.get();
            }
            throw new InletException(InletErrorCode.TABLE_ALREADY_EXISTS, "Table " + path + " already exists");
        }
        TableInfo table;
        try {
            table = store.insertTable(path, d);
        }
        catch (InletException e) {
            if (ignoreIfExists && e.errorCode() == InletErrorCode.TABLE_ALREADY_EXISTS) {
                return store.findTable(path).orElseThrow(() -> e);
            }
            throw e;
        }
        if (d.lakeFormat() != LakeFormat.NONE) {
            try {
                bridge(d.lakeFormat()).createTable(table);
            }
            catch (RuntimeException e) {
                try {
                    store.deleteTable(table);
                }
                catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
        }
        LOG.info("Created table {} (id {}, lake {})", path, table.tableId(), d.lakeFormat().id());
        return table;
    }

    public Optional<TableInfo> findTable(TablePath path)
    {
        return store.findTable(path);
    }

    public TableInfo getTable(TablePath path)
    {
        return store.findTable(path).orElseThrow(() -> new InletException(InletErrorCode.TABLE_NOT_FOUND, "Table " + path + " does not exist"));
    }

    public List<TablePath> listTables(String database)
    {
        return store.listTables(TablePath.checkIdentifier("database", database));
    }

    /**
     * Adds a nullable column at the end of the table and of its lake table.
     *
     * @throws InletException {@code INVALID_SCHEMA_CHANGE} for a NOT NULL column or a name in use;
     *     {@code CONCURRENT_MODIFICATION} if the table changed meanwhile
     */
    public TableInfo addColumn(TablePath path, String name, DataType type, boolean nullable, Optional<String> comment)
    {
        TableInfo base = getTable(path);
        String columnName = name.strip().toLowerCase(java.util.Locale.ROOT);
        if (!nullable) {
            throw new InletException(InletErrorCode.INVALID_SCHEMA_CHANGE, "Cannot add column '" + columnName + "' to " + path
                    + " as NOT NULL: existing rows have no value for it; add it as nullable");
        }
        if (base.descriptor().column(columnName).isPresent()) {
            throw new InletException(InletErrorCode.INVALID_SCHEMA_CHANGE, "Table " + path + " already has a column '" + columnName + "'");
        }
        Column column = new Column(base.descriptor().maxColumnId() + 1, columnName, type, true, comment);
        List<Column> columns = new ArrayList<>(base.descriptor().columns());
        columns.add(column);
        TableDescriptor changed = TableValidator.validate(path, base.descriptor().withColumns(columns));
        if (changed.lakeFormat() != LakeFormat.NONE) {
            bridge(changed.lakeFormat()).addColumn(base, column);
        }
        TableInfo updated = store.updateTable(base, changed, true);
        LOG.info("Added column {} {} to {} (schema {})", columnName, type, path, updated.schemaId());
        return updated;
    }

    /**
     * Changes settings that do not touch the columns or the lake layout (freshness, hot retention,
     * comment), guarded by the table's version.
     */
    public TableInfo alterProperties(TablePath path, UnaryOperator<TableDescriptor> change)
    {
        TableInfo base = getTable(path);
        TableDescriptor changed = TableValidator.validate(path, change.apply(base.descriptor()));
        TableDescriptor old = base.descriptor();
        if (!changed.columns().equals(old.columns()) || !changed.primaryKey().equals(old.primaryKey()) || !changed.partitionKeys().equals(old.partitionKeys())
                || changed.bucketCount() != old.bucketCount() || !changed.effectiveBucketKey().equals(old.effectiveBucketKey())
                || changed.lakeFormat() != old.lakeFormat() || !changed.mergeEngine().equals(old.mergeEngine())
                || !changed.autoIncrementColumn().equals(old.autoIncrementColumn()) || !changed.lakeOptions().equals(old.lakeOptions())) {
            throw new InletException(InletErrorCode.INVALID_SCHEMA_CHANGE, "Table " + path + ": only freshness, hot retention and the comment can be altered in place;"
                    + " columns can only be added, and keys, buckets, merge engine and lake format are fixed at creation");
        }
        return store.updateTable(base, changed, false);
    }

    /** Drops a table and its lake table (with the lake files). @return false if it did not exist */
    public boolean dropTable(TablePath path, boolean ignoreIfMissing)
    {
        Optional<TableInfo> table = store.findTable(path);
        if (table.isEmpty()) {
            if (ignoreIfMissing) {
                return false;
            }
            throw new InletException(InletErrorCode.TABLE_NOT_FOUND, "Table " + path + " does not exist");
        }
        store.deleteTable(table.get());
        LakeFormat format = table.get().descriptor().lakeFormat();
        if (format != LakeFormat.NONE) {
            bridge(format).dropTable(path);
        }
        LOG.info("Dropped table {} (id {})", path, table.get().tableId());
        return true;
    }

    /** Where the table's lake table lives, if it has one. */
    public Optional<String> lakeLocation(TableInfo table)
    {
        LakeFormat format = table.descriptor().lakeFormat();
        return format == LakeFormat.NONE ? Optional.empty() : Optional.of(bridge(format).location(table.path()));
    }

    /** The bridge of one lake format, opened on first use. */
    public synchronized LakeTableBridge bridge(LakeFormat format)
    {
        if (format == LakeFormat.NONE) {
            throw new IllegalArgumentException("a table without lake format has no lake bridge");
        }
        return bridges.computeIfAbsent(format, f -> switch (f) {
            case PAIMON -> new PaimonLakeBridge(settings.paimonWarehouse(), settings.s3(), settings.hadoop());
            case ICEBERG -> new IcebergLakeBridge(settings.database(), settings.icebergWarehouse(), settings.s3(), settings.hadoop());
            case NONE -> throw new IllegalStateException();
        });
    }

    @Override
    public synchronized void close()
    {
        RuntimeException failure = null;
        for (LakeTableBridge bridge : bridges.values()) {
            try {
                bridge.close();
            }
            catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                }
                else {
                    failure.addSuppressed(e);
                }
            }
        }
        bridges.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
