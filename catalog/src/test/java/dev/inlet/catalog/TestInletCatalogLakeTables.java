/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.lake.LakeCheckpoint;
import dev.inlet.catalog.lake.LakeTableBridge;
import dev.inlet.catalog.lake.iceberg.IcebergLakeBridge;
import dev.inlet.catalog.lake.paimon.PaimonLakeBridge;
import dev.inlet.catalog.lake.paimon.S3FileIOLoader;
import dev.inlet.catalog.model.DataType;
import dev.inlet.catalog.model.LakeFormat;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TableInfo;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.catalog.store.CatalogDatabase;
import dev.inlet.catalog.testing.S3TestEndpoint;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.types.Types;
import org.apache.paimon.catalog.Catalog;
import org.apache.paimon.catalog.CatalogContext;
import org.apache.paimon.catalog.CatalogFactory;
import org.apache.paimon.data.BinaryString;
import org.apache.paimon.data.GenericRow;
import org.apache.paimon.options.Options;
import org.apache.paimon.table.FileStoreTable;
import org.apache.paimon.table.sink.BatchTableCommit;
import org.apache.paimon.table.sink.BatchTableWrite;
import org.apache.paimon.table.sink.BatchWriteBuilder;
import org.apache.paimon.table.source.ReadBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Lake tables created by the catalog on real S3, read back with Paimon's and Iceberg's own
 * libraries through catalogs opened independently of Inlet's.
 */
class TestInletCatalogLakeTables
{
    private static final TablePath ORDERS = new TablePath("shop", "orders");

    @TempDir
    Path dir;

    private String bucket;
    private CatalogSettings settings;
    private InletCatalog catalog;

    @BeforeEach
    void setUp()
    {
        S3TestEndpoint s3 = S3TestEndpoint.get();
        bucket = s3.newBucket("lake");
        settings = new CatalogSettings(dir, CatalogDatabase.sqlite(dir.resolve("catalog.db")), s3.settings(),
                "s3://" + bucket + "/paimon", "s3://" + bucket + "/iceberg");
        catalog = new InletCatalog(settings);
        catalog.createDatabase("shop", false);
    }

    @AfterEach
    void tearDown()
    {
        catalog.close();
    }

    private static TableDescriptor.Builder orders(LakeFormat format)
    {
        return TableDescriptor.builder()
                .column("order_id", DataType.bigint(), false)
                .column("dt", DataType.date(), false)
                .column("user_id", DataType.string())
                .column("amount", DataType.decimal(12, 2))
                .column("ts", DataType.timestamp(3))
                .primaryKey("order_id", "dt")
                .partitionKeys("dt")
                .bucketCount(4)
                .lakeFormat(format);
    }

    private Catalog independentPaimonCatalog()
    {
        Options options = new Options();
        PaimonLakeBridge.catalogOptions(settings.paimonWarehouse(), settings.s3()).forEach(options::set);
        return CatalogFactory.createCatalog(CatalogContext.create(options, new org.apache.hadoop.conf.Configuration(false), new S3FileIOLoader(), null));
    }

    private JdbcCatalog independentIcebergCatalog()
    {
        JdbcCatalog c = new JdbcCatalog();
        c.initialize(IcebergLakeBridge.CATALOG_NAME, IcebergLakeBridge.catalogProperties(settings.database(), settings.icebergWarehouse(), settings.s3()));
        return c;
    }

    @Test
    void paimonTableHasTheSchemaKeysPartitionsAndBuckets()
            throws Exception
    {
        TableInfo table = catalog.createTable(ORDERS, orders(LakeFormat.PAIMON).build(), false);
        assertThat(catalog.lakeLocation(table)).contains("s3://" + bucket + "/paimon/shop.db/orders");
        try (Catalog paimon = independentPaimonCatalog()) {
            FileStoreTable lake = (FileStoreTable) paimon.getTable(PaimonLakeBridge.identifier(ORDERS));
            assertThat(lake.schema().fields()).extracting(f -> f.name() + " " + f.type().asSQLString())
                    .containsExactly("order_id BIGINT NOT NULL", "dt DATE NOT NULL", "user_id STRING", "amount DECIMAL(12, 2)", "ts TIMESTAMP(3)");
            assertThat(lake.schema().primaryKeys()).containsExactly("order_id", "dt");
            assertThat(lake.schema().partitionKeys()).containsExactly("dt");
            assertThat(lake.schema().options()).containsEntry("bucket", "4").containsEntry("bucket-key", "order_id")
                    .containsEntry(LakeTableBridge.TABLE_ID_PROPERTY, Long.toString(table.tableId()));
            assertThat(lake.coreOptions().bucket()).isEqualTo(4);

            // the table is usable on S3: write one row with Paimon and read it back
            BatchWriteBuilder writeBuilder = lake.newBatchWriteBuilder();
            try (BatchTableWrite write = writeBuilder.newWrite(); BatchTableCommit commit = writeBuilder.newCommit()) {
                write.write(GenericRow.of(42L, (int) LocalDate.of(2026, 11, 1).toEpochDay(), BinaryString.fromString("u1"),
                        org.apache.paimon.data.Decimal.fromUnscaledLong(1250, 12, 2), null));
                commit.commit(write.prepareCommit());
            }
            ReadBuilder read = lake.newReadBuilder();
            List<String> rows = new ArrayList<>();
            try (var reader = read.newRead().createReader(read.newScan().plan())) {
                reader.forEachRemaining(r -> rows.add(r.getLong(0) + "," + LocalDate.ofEpochDay(r.getInt(1)) + "," + r.getString(2) + "," + r.getDecimal(3, 12, 2)));
            }
            assertThat(rows).containsExactly("42,2026-11-01,u1,12.50");
        }
    }

    @Test
    void icebergTableHasTheSchemaKeysPartitionsAndBuckets()
            throws Exception
    {
        TableInfo table = catalog.createTable(ORDERS, orders(LakeFormat.ICEBERG).bucketKey("order_id").build(), false);
        assertThat(catalog.lakeLocation(table)).contains("s3://" + bucket + "/iceberg/shop/orders");
        try (JdbcCatalog iceberg = independentIcebergCatalog()) {
            Table lake = iceberg.loadTable(IcebergLakeBridge.identifier(ORDERS));
            assertThat(lake.schema().columns()).extracting(f -> f.name() + " " + f.type() + (f.isRequired() ? " required" : ""))
                    .containsExactly("order_id long required", "dt date required", "user_id string", "amount decimal(12, 2)", "ts timestamp");
            assertThat(lake.schema().identifierFieldNames()).containsExactlyInAnyOrder("order_id", "dt");
            assertThat(lake.spec().fields()).extracting(PartitionField::name, f -> f.transform().toString())
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("dt", "identity"), org.assertj.core.groups.Tuple.tuple("order_id_bucket", "bucket[4]"));
            assertThat(formatVersion(lake)).isEqualTo(2);
            assertThat(lake.properties()).containsEntry(LakeTableBridge.TABLE_ID_PROPERTY, Long.toString(table.tableId()));
            assertThat(lake.location()).isEqualTo("s3://" + bucket + "/iceberg/shop/orders");

            // the table is usable on S3: append one row with Iceberg's generic writer and read it back
            GenericRecord row = GenericRecord.create(lake.schema());
            row.setField("order_id", 42L);
            row.setField("dt", LocalDate.of(2026, 11, 1));
            row.setField("user_id", "u1");
            row.setField("amount", new java.math.BigDecimal("12.50"));
            IcebergTestWriter.append(lake, List.of(row));
            List<String> rows = new ArrayList<>();
            try (CloseableIterable<Record> records = IcebergGenerics.read(lake).build()) {
                records.forEach(r -> rows.add(r.getField("order_id") + "," + r.getField("dt") + "," + r.getField("user_id") + "," + r.getField("amount")));
            }
            assertThat(rows).containsExactly("42,2026-11-01,u1,12.50");
        }
    }

    @Test
    void addedColumnReachesBothLakeTables()
            throws Exception
    {
        catalog.createTable(ORDERS, orders(LakeFormat.PAIMON).build(), false);
        TablePath icebergOrders = new TablePath("shop", "orders_ice");
        catalog.createTable(icebergOrders, orders(LakeFormat.ICEBERG).build(), false);

        TableInfo paimonAltered = catalog.addColumn(ORDERS, "Note", DataType.string(), true, Optional.of("free text"));
        TableInfo icebergAltered = catalog.addColumn(icebergOrders, "note", DataType.string(), true, Optional.empty());
        assertThat(paimonAltered.schemaId()).isEqualTo(2);
        assertThat(paimonAltered.descriptor().column("note").orElseThrow().id()).isEqualTo(6);
        assertThat(icebergAltered.descriptor().columnNames()).containsExactly("order_id", "dt", "user_id", "amount", "ts", "note");

        try (Catalog paimon = independentPaimonCatalog(); JdbcCatalog iceberg = independentIcebergCatalog()) {
            FileStoreTable p = (FileStoreTable) paimon.getTable(PaimonLakeBridge.identifier(ORDERS));
            assertThat(p.schema().fieldNames()).containsExactly("order_id", "dt", "user_id", "amount", "ts", "note");
            assertThat(p.schema().fields().getLast().description()).isEqualTo("free text");
            Table i = iceberg.loadTable(IcebergLakeBridge.identifier(icebergOrders));
            assertThat(i.schema().findField("note").type()).isEqualTo(Types.StringType.get());
            assertThat(i.schema().findField("note").isOptional()).isTrue();
        }

        assertThatThrownBy(() -> catalog.addColumn(ORDERS, "flag", DataType.booleanType(), false, Optional.empty()))
                .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.INVALID_SCHEMA_CHANGE))
                .hasMessage("Cannot add column 'flag' to shop.orders as NOT NULL: existing rows have no value for it; add it as nullable");
        assertThatThrownBy(() -> catalog.addColumn(ORDERS, "note", DataType.string(), true, Optional.empty()))
                .hasMessage("Table shop.orders already has a column 'note'");
        assertThat(catalog.getTable(ORDERS).schemaId()).isEqualTo(2);
    }

    @Test
    void icebergTableForReadingFollowsCommitsAndATableCreatedAgain()
    {
        TableInfo first = catalog.createTable(ORDERS, orders(LakeFormat.ICEBERG).build(), false);
        IcebergLakeBridge bridge = (IcebergLakeBridge) catalog.bridge(LakeFormat.ICEBERG);
        Table read = bridge.readTable(ORDERS);
        assertThat(read.properties()).containsEntry(LakeCheckpoint.TABLE_ID_PROPERTY, Long.toString(first.tableId()));

        // a commit by someone else (a tiering round, a schema change) is seen by the next read
        bridge.loadTable(ORDERS).updateProperties().set("written-by", "another-process").commit();
        catalog.addColumn(ORDERS, "note", DataType.string(), true, Optional.empty());
        assertThat(bridge.readTable(ORDERS)).isSameAs(read);
        assertThat(read.properties()).containsEntry("written-by", "another-process");
        assertThat(read.schema().findField("note")).isNotNull();

        // dropped and created again under the same name: the new table, not the kept one
        assertThat(catalog.dropTable(ORDERS, false)).isTrue();
        assertThatThrownBy(() -> bridge.readTable(ORDERS))
                .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.LAKE_FAILURE))
                .hasMessageContaining("load the Iceberg table of shop.orders");
        TableInfo second = catalog.createTable(ORDERS, orders(LakeFormat.ICEBERG).build(), false);
        Table again = bridge.readTable(ORDERS);
        assertThat(again).isNotSameAs(read);
        assertThat(again.properties()).containsEntry(LakeCheckpoint.TABLE_ID_PROPERTY, Long.toString(second.tableId()));
        assertThat(again.schema().findField("note")).isNull();
    }

    @Test
    void dropTableDeletesTheLakeTablesAndTheirFiles()
    {
        catalog.createTable(ORDERS, orders(LakeFormat.PAIMON).build(), false);
        TablePath icebergOrders = new TablePath("shop", "orders_ice");
        catalog.createTable(icebergOrders, orders(LakeFormat.ICEBERG).build(), false);
        assertThat(objectCount("paimon/shop.db/orders/")).isPositive();
        assertThat(objectCount("iceberg/shop/orders_ice/")).isPositive();

        assertThat(catalog.dropTable(ORDERS, false)).isTrue();
        assertThat(catalog.dropTable(icebergOrders, false)).isTrue();
        assertThat(catalog.findTable(ORDERS)).isEmpty();
        assertThat(objectCount("paimon/shop.db/orders/")).isZero();
        assertThat(objectCount("iceberg/shop/orders_ice/")).isZero();
        assertThat(catalog.dropTable(ORDERS, true)).isFalse();
        assertThatThrownBy(() -> catalog.dropTable(ORDERS, false))
                .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.TABLE_NOT_FOUND));

        // a table of the same name can be created again, with a new id
        TableInfo again = catalog.createTable(ORDERS, orders(LakeFormat.PAIMON).build(), false);
        assertThat(again.schemaId()).isEqualTo(1);
    }

    @Test
    void failedLakeCreateLeavesNothingBehind()
    {
        CatalogSettings broken = new CatalogSettings(dir, settings.database(), settings.s3(), "s3://no-such-bucket-" + bucket + "/paimon", settings.icebergWarehouse());
        try (InletCatalog other = new InletCatalog(broken)) {
            assertThatThrownBy(() -> other.createTable(ORDERS, orders(LakeFormat.PAIMON).build(), false))
                    .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.LAKE_FAILURE))
                    .hasMessageContaining("no-such-bucket-" + bucket);
            assertThat(other.findTable(ORDERS)).isEmpty();
        }
    }

    @Test
    void nanosecondTimestampsNeedIcebergV3()
    {
        assertThatThrownBy(() -> catalog.createTable(ORDERS, orders(LakeFormat.ICEBERG).column("precise", DataType.timestamp(9)).build(), false))
                .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.INVALID_TABLE_DEFINITION))
                .hasMessage("Invalid table shop.orders: column 'precise' has type TIMESTAMP(9), which Iceberg stores only from format version 3 (timestamp_ns);"
                        + " set lake option format-version=3 or use a precision of at most 6");
        assertThat(catalog.findTable(ORDERS)).isEmpty();

        TableInfo v3 = catalog.createTable(ORDERS, orders(LakeFormat.ICEBERG).column("precise", DataType.timestamp(9)).lakeOption("format-version", "3").build(), false);
        try (JdbcCatalog iceberg = independentIcebergCatalog()) {
            Table lake = iceberg.loadTable(IcebergLakeBridge.identifier(ORDERS));
            assertThat(lake.schema().findField("precise").type()).isEqualTo(Types.TimestampNanoType.withoutZone());
            assertThat(formatVersion(lake)).isEqualTo(3);
        }
        catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(v3.descriptor().lakeOptions()).containsEntry("format-version", "3");
    }

    @Test
    void bridgeAdoptsItsOwnTableButNotAStrangersOne()
    {
        for (LakeFormat format : new LakeFormat[] {LakeFormat.PAIMON, LakeFormat.ICEBERG}) {
            TablePath path = new TablePath("shop", "adopt_" + format.id());
            TableInfo table = catalog.createTable(path, orders(format).build(), false);
            // a retry after a crash creates the same lake table again: accepted
            catalog.bridge(format).createTable(table);
            // a leftover of another Inlet table of the same name is never adopted
            TableInfo stranger = new TableInfo(path, table.tableId() + 1000, 1, 1, table.descriptor(), table.createdAt(), table.updatedAt());
            assertThatThrownBy(() -> catalog.bridge(format).createTable(stranger))
                    .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.LAKE_TABLE_MISMATCH))
                    .hasMessageContaining("belongs to Inlet table id " + table.tableId() + ", not " + (table.tableId() + 1000));
        }
    }

    private static int formatVersion(Table table)
    {
        return ((org.apache.iceberg.HasTableOperations) table).operations().current().formatVersion();
    }

    private int objectCount(String prefix)
    {
        try (S3Client client = settings.s3().newClient()) {
            return client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream().mapToInt(o -> 1).sum();
        }
    }
}
