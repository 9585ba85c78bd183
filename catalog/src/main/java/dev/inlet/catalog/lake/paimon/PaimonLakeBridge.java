/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.lake.paimon;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.lake.LakeTableBridge;
import dev.inlet.catalog.lake.hadoop.HadoopSettings;
import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.LakeFormat;
import dev.inlet.catalog.model.TableInfo;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.catalog.s3.S3Settings;
import org.apache.paimon.CoreOptions;
import org.apache.paimon.catalog.Catalog;
import org.apache.paimon.catalog.CatalogContext;
import org.apache.paimon.catalog.CatalogFactory;
import org.apache.paimon.catalog.Identifier;
import org.apache.paimon.options.Options;
import org.apache.paimon.schema.Schema;
import org.apache.paimon.schema.SchemaChange;
import org.apache.paimon.schema.TableSchema;
import org.apache.paimon.table.FileStoreTable;
import org.apache.paimon.table.Table;
import org.apache.paimon.types.DataField;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import static java.util.Objects.requireNonNull;

/**
 * The lake bridge for Paimon: tables in Paimon's filesystem catalog on S3, reached through
 * {@link S3FileIO} (AWS SDK v2, no Hadoop). Snapshot commits are atomic on S3 because
 * {@link S3FileIO} creates snapshot files with a conditional PUT, so two committers cannot both
 * win.
 *
 * <p>A warehouse on {@code s3a://} or {@code hdfs://} goes through Paimon's own
 * {@code HadoopFileIO} instead, with the configuration of {@link HadoopSettings}. There Paimon
 * commits a snapshot by writing a temporary file and renaming it: atomic on HDFS, whose rename
 * fails when the target exists, but not on S3A, whose rename is a check, a copy and a delete.
 *
 * <p>Layout: Inlet database {@code shop} is Paimon database {@code shop} at
 * {@code <warehouse>/shop.db}; see {@link PaimonSchemas} for columns, keys and buckets.
 */
public final class PaimonLakeBridge
        implements LakeTableBridge
{
    private final Catalog catalog;
    private final String warehouse;

    public PaimonLakeBridge(String warehouse, S3Settings s3, HadoopSettings hadoop)
    {
        this.warehouse = stripSlash(requireNonNull(warehouse, "warehouse is null"));
        try {
            this.catalog = CatalogFactory.createCatalog(catalogContext(this.warehouse, s3, hadoop));
        }
        catch (InletException e) {
            throw e;
        }
        catch (RuntimeException e) {
            throw new InletException(InletErrorCode.LAKE_FAILURE, "Cannot open the Paimon catalog at " + warehouse + ": " + e.getMessage(), e);
        }
    }

    /** The Paimon catalog itself, for the tiering service and readers. */
    public Catalog catalog()
    {
        return catalog;
    }

    public static Identifier identifier(TablePath path)
    {
        return Identifier.create(path.database(), path.table());
    }

    public Table loadTable(TablePath path)
    {
        try {
            return catalog.getTable(identifier(path));
        }
        catch (Catalog.TableNotExistException e) {
            throw new InletException(InletErrorCode.LAKE_FAILURE, "The Paimon table of " + path + " does not exist at " + location(path));
        }
        catch (RuntimeException e) {
            throw failure("load the Paimon table of " + path, e);
        }
    }

    @Override
    public LakeFormat format()
    {
        return LakeFormat.PAIMON;
    }

    @Override
    public void createTable(TableInfo table)
    {
        TablePath path = table.path();
        Schema schema = PaimonSchemas.schema(table);
        try {
            catalog.createDatabase(path.database(), true);
            catalog.createTable(identifier(path), schema, false);
        }
        catch (Catalog.TableAlreadyExistException e) {
            checkSame(table, loadTable(path), schema);
        }
        catch (Catalog.DatabaseNotExistException | Catalog.DatabaseAlreadyExistException e) {
            throw failure("create the Paimon table of " + path + " (its database changed meanwhile)", e);
        }
        catch (RuntimeException e) {
            throw failure("create the Paimon table of " + path, e);
        }
    }

    private void checkSame(TableInfo table, Table existing, Schema expected)
    {
        TableSchema actual = ((FileStoreTable) existing).schema();
        String owner = actual.options().get(TABLE_ID_PROPERTY);
        String problem = null;
        if (!Long.toString(table.tableId()).equals(owner)) {
            problem = "it belongs to Inlet table id " + owner + ", not " + table.tableId();
        }
        else if (!fields(actual.fields()).equals(fields(expected.fields()))) {
            problem = "its columns are " + fields(actual.fields()) + ", expected " + fields(expected.fields());
        }
        else if (!actual.primaryKeys().equals(expected.primaryKeys())) {
            problem = "its primary key is " + actual.primaryKeys() + ", expected " + expected.primaryKeys();
        }
        else if (!actual.partitionKeys().equals(expected.partitionKeys())) {
            problem = "its partition keys are " + actual.partitionKeys() + ", expected " + expected.partitionKeys();
        }
        else if (!Objects.equals(actual.options().get(CoreOptions.BUCKET.key()), expected.options().get(CoreOptions.BUCKET.key()))
                || !Objects.equals(actual.options().get(CoreOptions.BUCKET_KEY.key()), expected.options().get(CoreOptions.BUCKET_KEY.key()))) {
            problem = "its buckets are " + actual.options().get(CoreOptions.BUCKET.key()) + " by " + actual.options().get(CoreOptions.BUCKET_KEY.key())
                    + ", expected " + expected.options().get(CoreOptions.BUCKET.key()) + " by " + expected.options().get(CoreOptions.BUCKET_KEY.key());
        }
        if (problem != null) {
            throw new InletException(InletErrorCode.LAKE_TABLE_MISMATCH, "A Paimon table already exists at " + location(table.path()) + " for " + table.path()
                    + " and differs: " + problem + "; drop it or choose another table name");
        }
    }

    private static List<String> fields(List<DataField> fields)
    {
        return fields.stream().map(f -> f.name() + " " + f.type().asSQLString()).toList();
    }

    @Override
    public void addColumn(TableInfo table, Column column)
    {
        TablePath path = table.path();
        FileStoreTable t = (FileStoreTable) loadTable(path);
        org.apache.paimon.types.DataType type = PaimonSchemas.type(column);
        for (DataField f : t.schema().fields()) {
            if (f.name().equals(column.name())) {
                if (!f.type().equals(type)) {
                    throw new InletException(InletErrorCode.LAKE_TABLE_MISMATCH, "The Paimon table of " + path + " already has a column '" + column.name()
                            + "' of type " + f.type().asSQLString() + ", not " + type.asSQLString());
                }
                return;
            }
        }
        try {
            catalog.alterTable(identifier(path), SchemaChange.addColumn(column.name(), type, column.comment().orElse(null)), false);
        }
        catch (Catalog.TableNotExistException | Catalog.ColumnAlreadyExistException | Catalog.ColumnNotExistException | RuntimeException e) {
            throw failure("add column " + column.name() + " to the Paimon table of " + path, e);
        }
    }

    @Override
    public void dropTable(TablePath path)
    {
        try {
            catalog.dropTable(identifier(path), true);
        }
        catch (Catalog.TableNotExistException e) {
            // cannot happen with ignoreIfNotExists, and would mean it is gone anyway
        }
        catch (RuntimeException e) {
            throw failure("drop the Paimon table of " + path, e);
        }
    }

    @Override
    public String location(TablePath path)
    {
        return warehouse + "/" + path.database() + ".db/" + path.table();
    }

    private InletException failure(String what, Exception e)
    {
        return new InletException(InletErrorCode.LAKE_FAILURE, "Cannot " + what + " (warehouse " + warehouse + "): " + e.getMessage(), e);
    }

    private static String stripSlash(String s)
    {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    @Override
    public void close()
    {
        try {
            catalog.close();
        }
        catch (Exception e) {
            throw new InletException(InletErrorCode.LAKE_FAILURE, "Cannot close the Paimon catalog at " + warehouse + ": " + e.getMessage(), e);
        }
    }

    /**
     * The context Paimon's catalog is opened with, for readers that open their own catalog on the
     * same warehouse.
     *
     * <p>Paimon tries a context's preferred {@code FileIO} loader on every path, whatever its
     * scheme, and keeps it when it can reach the path. {@link S3FileIOLoader} can reach
     * {@code s3a://} paths too, so it is passed only for {@code s3://} warehouses. Without it
     * Paimon picks its {@code HadoopFileIO}, with the context's Hadoop configuration: through the
     * loader it registers for {@code hdfs}, and as its last resort for {@code s3a}, for which it
     * registers none.
     */
    public static CatalogContext catalogContext(String warehouse, S3Settings s3, HadoopSettings hadoop)
    {
        requireNonNull(warehouse, "warehouse is null");
        requireNonNull(s3, "s3 is null");
        requireNonNull(hadoop, "hadoop is null");
        Options options = Options.fromMap(catalogOptions(warehouse, s3));
        if (HadoopSettings.isHadoopWarehouse(warehouse)) {
            return CatalogContext.create(options, hadoop.configuration(s3), null, null);
        }
        // an empty configuration, so that Paimon does not load one from the environment: S3FileIO never reads it
        return CatalogContext.create(options, new org.apache.hadoop.conf.Configuration(false), new S3FileIOLoader(), null);
    }

    /**
     * Options Paimon's catalog was opened with: the warehouse, the filesystem metastore and, for an
     * {@code s3://} warehouse, the S3 options of {@link S3FileIO} (S3A takes its settings from the
     * Hadoop configuration instead).
     */
    public static Map<String, String> catalogOptions(String warehouse, S3Settings s3)
    {
        Map<String, String> options = new java.util.LinkedHashMap<>();
        if (!HadoopSettings.isHadoopWarehouse(warehouse)) {
            options.putAll(s3.paimonOptions());
        }
        options.put("warehouse", stripSlash(warehouse));
        options.put("metastore", "filesystem");
        return options;
    }
}
