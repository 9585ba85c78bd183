/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.lake.iceberg;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.lake.LakeTableBridge;
import dev.inlet.catalog.lake.hadoop.HadoopSettings;
import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.LakeFormat;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TableInfo;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.catalog.s3.S3Settings;
import dev.inlet.catalog.store.CatalogDatabase;
import dev.inlet.catalog.store.Dialect;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.io.SupportsPrefixOperations;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.types.Types;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The lake bridge for Iceberg: tables in Iceberg's {@link JdbcCatalog}, kept in the same database
 * as Inlet's own catalog, with data and metadata files on S3 through Iceberg's {@code S3FileIO}.
 *
 * <p>Layout: Inlet database {@code shop} is Iceberg namespace {@code shop}; the primary key becomes
 * the identifier fields; partition keys become {@code identity} partitions; the bucket key becomes
 * {@code bucket(N, key)}, Iceberg's murmur3 bucket transform, which is the hash Inlet's hot store
 * uses for Iceberg tables. Format version 2 unless the table's lake options say
 * {@code format-version=3}.
 *
 * <p>A warehouse on {@code s3a://} or {@code hdfs://} goes through Iceberg's {@code HadoopFileIO}
 * instead, with the Hadoop configuration of {@link HadoopSettings}. Commits are atomic on every
 * warehouse: the JDBC catalog swaps the metadata pointer in one conditional database update.
 */
public final class IcebergLakeBridge
        implements LakeTableBridge
{
    public static final String CATALOG_NAME = "inlet";
    public static final int DEFAULT_FORMAT_VERSION = 2;

    private final JdbcCatalog catalog;
    // tables loaded for reading, by path (see readTable); bounded, least recently used out first
    private final Map<TablePath, Table> readTables = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true)
    {
        @Override
        protected boolean removeEldestEntry(Map.Entry<TablePath, Table> eldest)
        {
            return size() > 64;
        }
    });
    private final String warehouse;

    public IcebergLakeBridge(CatalogDatabase database, String warehouse, S3Settings s3, HadoopSettings hadoop)
    {
        requireNonNull(database, "database is null");
        this.warehouse = stripSlash(requireNonNull(warehouse, "warehouse is null"));
        try {
            this.catalog = openCatalog(database, this.warehouse, s3, hadoop);
        }
        catch (InletException e) {
            throw e;
        }
        catch (RuntimeException e) {
            throw new InletException(InletErrorCode.LAKE_FAILURE, "Cannot open the Iceberg catalog in " + database + " with warehouse " + warehouse + ": " + e.getMessage(), e);
        }
    }

    /**
     * A new Iceberg JDBC catalog as the bridge opens it, for readers that open their own; the
     * caller closes it. For an {@code s3a://} or {@code hdfs://} warehouse it gets the Hadoop
     * configuration before it initializes, since it hands that to its {@code HadoopFileIO} then.
     */
    public static JdbcCatalog openCatalog(CatalogDatabase database, String warehouse, S3Settings s3, HadoopSettings hadoop)
    {
        requireNonNull(hadoop, "hadoop is null");
        Map<String, String> properties = catalogProperties(database, warehouse, s3);
        JdbcCatalog catalog = new JdbcCatalog();
        if (HadoopSettings.isHadoopWarehouse(warehouse)) {
            catalog.setConf(hadoop.configuration(s3));
        }
        catalog.initialize(CATALOG_NAME, properties);
        return catalog;
    }

    /**
     * The properties of Iceberg's JDBC catalog for Inlet's database, warehouse and S3 settings:
     * {@code S3FileIO} for an {@code s3://} warehouse, {@code HadoopFileIO} (which takes its
     * settings from the Hadoop configuration, not from these properties) for {@code s3a://} and
     * {@code hdfs://}.
     */
    public static Map<String, String> catalogProperties(CatalogDatabase database, String warehouse, S3Settings s3)
    {
        requireNonNull(database, "database is null");
        requireNonNull(warehouse, "warehouse is null");
        requireNonNull(s3, "s3 is null");
        Map<String, String> p = new HashMap<>();
        p.put(CatalogProperties.URI, database.url());
        database.user().ifPresent(u -> p.put("jdbc.user", u));
        database.password().ifPresent(pw -> p.put("jdbc.password", pw));
        if (database.dialect() == Dialect.SQLITE) {
            // Iceberg opens its own connections: let them wait for a busy database like Inlet's do
            p.put("jdbc.busy_timeout", "30000");
        }
        p.put("jdbc.schema-version", "V1");
        p.put(CatalogProperties.WAREHOUSE_LOCATION, warehouse);
        // manifests never change once written: keep them in memory, so that planning a query (and
        // its statistics) of an unchanged table reads nothing from S3; bounded to 32 MiB a catalog
        p.put(CatalogProperties.IO_MANIFEST_CACHE_ENABLED, "true");
        p.put(CatalogProperties.IO_MANIFEST_CACHE_MAX_TOTAL_BYTES, Long.toString(32L << 20));
        if (HadoopSettings.isHadoopWarehouse(warehouse)) {
            p.put(CatalogProperties.FILE_IO_IMPL, "org.apache.iceberg.hadoop.HadoopFileIO");
        }
        else {
            p.put(CatalogProperties.FILE_IO_IMPL, "org.apache.iceberg.aws.s3.S3FileIO");
            p.putAll(s3.icebergProperties());
        }
        return p;
    }

    /** The Iceberg catalog itself, for the tiering service and readers. */
    public JdbcCatalog catalog()
    {
        return catalog;
    }

    public static TableIdentifier identifier(TablePath path)
    {
        return TableIdentifier.of(Namespace.of(path.database()), path.table());
    }

    public static int formatVersion(TableDescriptor d)
    {
        String v = d.lakeOptions().getOrDefault(TableProperties.FORMAT_VERSION, Integer.toString(DEFAULT_FORMAT_VERSION));
        try {
            return Integer.parseInt(v);
        }
        catch (NumberFormatException e) {
            throw new InletException(InletErrorCode.INVALID_TABLE_DEFINITION, "Lake option format-version must be 2 or 3, got '" + v + "'");
        }
    }

    public Table loadTable(TablePath path)
    {
        return lake("load the Iceberg table of " + path, () -> catalog.loadTable(identifier(path)));
    }

    /**
     * The table for reading, brought up to date: a table read before is refreshed, which asks the
     * catalog database for the current metadata file and parses it only if it changed (a new
     * commit), so a query against an unchanged table reads nothing from S3 to plan. Only for
     * readers: writers load their own table, as a commit changes the object.
     */
    public Table readTable(TablePath path)
    {
        Table cached = readTables.get(path);
        if (cached != null) {
            try {
                cached.refresh();
                return cached;
            }
            catch (RuntimeException e) {
                // dropped, or dropped and created again: load it as new (which reports a missing table)
                readTables.remove(path, cached);
            }
        }
        Table table = loadTable(path);
        readTables.put(path, table);
        return table;
    }

    @Override
    public LakeFormat format()
    {
        return LakeFormat.ICEBERG;
    }

    @Override
    public void createTable(TableInfo table)
    {
        TablePath path = table.path();
        TableDescriptor d = table.descriptor();
        int formatVersion = formatVersion(d);
        if (formatVersion != 2 && formatVersion != 3) {
            throw new InletException(InletErrorCode.INVALID_TABLE_DEFINITION, "Invalid table " + path + ": lake option format-version must be 2 or 3, got " + formatVersion);
        }
        Schema schema = IcebergSchemas.schema(path, d, formatVersion);
        PartitionSpec spec = IcebergSchemas.spec(schema, d);
        Map<String, String> properties = new HashMap<>(d.lakeOptions());
        properties.put(TableProperties.FORMAT_VERSION, Integer.toString(formatVersion));
        properties.put(TableProperties.DEFAULT_FILE_FORMAT, properties.getOrDefault(TableProperties.DEFAULT_FILE_FORMAT, "parquet"));
        properties.put(TABLE_ID_PROPERTY, Long.toString(table.tableId()));
        lake("create the Iceberg table of " + path, () -> {
            Namespace namespace = Namespace.of(path.database());
            if (!catalog.namespaceExists(namespace)) {
                try {
                    catalog.createNamespace(namespace);
                }
                catch (AlreadyExistsException e) {
                    // created concurrently: what we wanted
                }
            }
            try {
                catalog.buildTable(identifier(path), schema).withPartitionSpec(spec).withProperties(properties).create();
            }
            catch (AlreadyExistsException e) {
                checkSame(table, catalog.loadTable(identifier(path)), schema, spec);
            }
            return null;
        });
    }

    private void checkSame(TableInfo table, Table existing, Schema schema, PartitionSpec spec)
    {
        String owner = existing.properties().get(TABLE_ID_PROPERTY);
        String problem = null;
        if (!Long.toString(table.tableId()).equals(owner)) {
            problem = "it belongs to Inlet table id " + owner + ", not " + table.tableId();
        }
        else if (!columns(existing.schema()).equals(columns(schema))) {
            problem = "its columns are " + columns(existing.schema()) + ", expected " + columns(schema);
        }
        else if (!existing.schema().identifierFieldNames().equals(schema.identifierFieldNames())) {
            problem = "its identifier fields are " + existing.schema().identifierFieldNames() + ", expected " + schema.identifierFieldNames();
        }
        else if (!partitioning(existing.spec()).equals(partitioning(spec))) {
            problem = "its partitioning is " + partitioning(existing.spec()) + ", expected " + partitioning(spec);
        }
        if (problem != null) {
            throw new InletException(InletErrorCode.LAKE_TABLE_MISMATCH, "An Iceberg table already exists at " + existing.location() + " for " + table.path()
                    + " and differs: " + problem + "; drop it or choose another table name");
        }
    }

    private static List<String> columns(Schema schema)
    {
        return schema.columns().stream().map(f -> f.name() + " " + f.type() + (f.isRequired() ? " not null" : "")).toList();
    }

    private static List<String> partitioning(PartitionSpec spec)
    {
        return spec.fields().stream().map(PartitionField::toString).map(s -> s.replaceAll("^\\d+: ", "")).toList();
    }

    @Override
    public void addColumn(TableInfo table, Column column)
    {
        TablePath path = table.path();
        lake("add column " + column.name() + " to the Iceberg table of " + path, () -> {
            Table t = catalog.loadTable(identifier(path));
            var type = IcebergSchemas.type(path, column, formatVersion(table.descriptor()));
            Types.NestedField existing = t.schema().findField(column.name());
            if (existing != null) {
                if (!Objects.equals(existing.type(), type)) {
                    throw new InletException(InletErrorCode.LAKE_TABLE_MISMATCH, "The Iceberg table of " + path + " already has a column '" + column.name()
                            + "' of type " + existing.type() + ", not " + type);
                }
                return null;
            }
            t.updateSchema().addColumn(column.name(), type, column.comment().orElse(null)).commit();
            return null;
        });
    }

    @Override
    public void dropTable(TablePath path)
    {
        lake("drop the Iceberg table of " + path, () -> {
            Table table;
            try {
                table = catalog.loadTable(identifier(path));
                catalog.dropTable(identifier(path), true);
            }
            catch (NoSuchTableException e) {
                // already gone
                return null;
            }
            if (HadoopSettings.isHadoopWarehouse(warehouse) && table.io() instanceof SupportsPrefixOperations io) {
                // Iceberg deletes the table's files but not their folders (on S3A: directory
                // markers); the folder belongs to the table alone, as Paimon's does
                io.deletePrefix(table.location());
            }
            return null;
        });
    }

    @Override
    public String location(TablePath path)
    {
        return warehouse + "/" + path.database() + "/" + path.table();
    }

    private <T> T lake(String what, Supplier<T> action)
    {
        try {
            return action.get();
        }
        catch (InletException e) {
            throw e;
        }
        catch (RuntimeException e) {
            throw new InletException(InletErrorCode.LAKE_FAILURE, "Cannot " + what + " (warehouse " + warehouse + "): " + e.getMessage(), e);
        }
    }

    private static String stripSlash(String s)
    {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    @Override
    public void close()
    {
        catalog.close();
    }
}
