/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.bucket;

import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.DataType;
import org.apache.paimon.catalog.Catalog;
import org.apache.paimon.catalog.CatalogContext;
import org.apache.paimon.catalog.CatalogFactory;
import org.apache.paimon.catalog.Identifier;
import org.apache.paimon.codegen.CodeGenUtils;
import org.apache.paimon.codegen.Projection;
import org.apache.paimon.data.BinaryString;
import org.apache.paimon.data.Decimal;
import org.apache.paimon.data.GenericRow;
import org.apache.paimon.data.Timestamp;
import org.apache.paimon.fs.Path;
import org.apache.paimon.schema.Schema;
import org.apache.paimon.schema.TableSchema;
import org.apache.paimon.table.FileStoreTable;
import org.apache.paimon.table.sink.RowKeyExtractor;
import org.apache.paimon.types.DataTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;

import static dev.inlet.catalog.model.DataType.bigint;
import static dev.inlet.catalog.model.DataType.date;
import static dev.inlet.catalog.model.DataType.decimal;
import static dev.inlet.catalog.model.DataType.integer;
import static dev.inlet.catalog.model.DataType.string;
import static dev.inlet.catalog.model.DataType.timestamp;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves that {@link PaimonBucketFunction} assigns every key the bucket that Paimon 1.4.2 itself
 * assigns: for each key type and composite key, a real fixed-bucket table in a local warehouse, and
 * Paimon's own {@code RowKeyExtractor.bucket()} on the same rows.
 */
class TestPaimonBucketAlignment
{
    private static final int[] BUCKET_COUNTS = {1, 3, 4, 16, 128};
    private static final int RANDOM_KEYS = 2_000;
    private static final String DATABASE = "db";
    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    static java.nio.file.Path warehouse;

    private static Catalog catalog;
    private static int tableCounter;

    @BeforeAll
    static void createCatalog()
            throws Exception
    {
        catalog = CatalogFactory.createCatalog(CatalogContext.create(new Path(warehouse.toUri().toString())));
        catalog.createDatabase(DATABASE, false);
    }

    @AfterAll
    static void closeCatalog()
            throws Exception
    {
        catalog.close();
    }

    static List<DataType> keyTypes()
    {
        return List.of(
                DataType.tinyint(),
                DataType.smallint(),
                integer(),
                bigint(),
                decimal(10, 2),
                decimal(18, 4), // the widest compact decimal
                decimal(19, 0), // the narrowest non-compact one
                decimal(30, 5),
                decimal(38, 10),
                string(),
                DataType.bytes(),
                date(),
                timestamp(0),
                timestamp(3),
                timestamp(4),
                timestamp(6),
                timestamp(9),
                DataType.timestampLtz(3),
                DataType.timestampLtz(6),
                DataType.timestampLtz(9));
    }

    @ParameterizedTest(name = "{0} NOT NULL")
    @MethodSource("keyTypes")
    void singleNotNullColumn(DataType type)
            throws Exception
    {
        assertAligned(List.of(new Column(1, "k", type, false)), TableKind.BUCKET_KEY);
    }

    @ParameterizedTest(name = "{0} NULL")
    @MethodSource("keyTypes")
    void singleNullableColumn(DataType type)
            throws Exception
    {
        assertAligned(List.of(new Column(1, "k", type, true)), TableKind.BUCKET_KEY);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keyTypes")
    void singleColumnPrimaryKey(DataType type)
            throws Exception
    {
        // bucket key defaults to the primary key: Paimon takes its trimmed-primary-key projection
        assertAligned(List.of(new Column(1, "k", type, false)), TableKind.PRIMARY_KEY);
    }

    @Test
    void typesInletRefusesAsBucketKeys()
            throws Exception
    {
        // not reachable through a valid table, but the row layout handles them, raw bits and all
        for (DataType type : List.of(DataType.booleanType(), DataType.floatType(), DataType.doubleType())) {
            assertAligned(List.of(new Column(1, "k", type, true)), TableKind.BUCKET_KEY);
        }
    }

    @Test
    void stringAndBigint()
            throws Exception
    {
        assertAligned(List.of(new Column(1, "s", string(), false), new Column(2, "n", bigint(), false)), TableKind.PRIMARY_KEY);
        assertAligned(List.of(new Column(1, "s", string(), true), new Column(2, "n", bigint(), true)), TableKind.BUCKET_KEY);
    }

    @Test
    void intDateString()
            throws Exception
    {
        assertAligned(List.of(new Column(1, "i", integer(), false), new Column(2, "d", date(), false), new Column(3, "s", string(), false)),
                TableKind.PRIMARY_KEY);
    }

    @Test
    void severalVariableLengthFields()
            throws Exception
    {
        // pieces of the variable part follow field order, each at a word boundary, nulls included
        assertAligned(List.of(
                new Column(1, "s", string(), true),
                new Column(2, "d", decimal(30, 5), true),
                new Column(3, "b", DataType.bytes(), true),
                new Column(4, "t", timestamp(9), true),
                new Column(5, "l", DataType.timestampLtz(6), true),
                new Column(6, "c", decimal(12, 3), true),
                new Column(7, "s2", string(), true)), TableKind.BUCKET_KEY);
    }

    @Test
    void keyWiderThanOneNullBitWord()
            throws Exception
    {
        // 57 fields plus the 8 header bits need a second word of null bits
        List<Column> columns = IntStream.rangeClosed(1, 57)
                .mapToObj(i -> new Column(i, "k" + i, i % 3 == 0 ? string() : integer(), true))
                .toList();
        assertThat(PaimonBinaryRow.nullBitsSizeInBytes(columns.size())).isEqualTo(16);
        assertAligned(columns, TableKind.BUCKET_KEY);
    }

    @Test
    void partitionedPrimaryKeyTable()
            throws Exception
    {
        // primary key (p, k) partitioned by p: Paimon's bucket key is the trimmed primary key (k),
        // as Inlet's effectiveBucketKey()
        List<Column> key = List.of(new Column(2, "k", string(), false));
        List<Object[]> keys = BucketKeySamples.keys(key, RANDOM_KEYS);
        for (int buckets : BUCKET_COUNTS) {
            String name = "t" + (++tableCounter);
            Schema schema = Schema.newBuilder()
                    .column("p", DataTypes.INT().notNull())
                    .column("k", DataTypes.STRING().notNull())
                    .column("v", DataTypes.INT())
                    .primaryKey("p", "k")
                    .partitionKeys("p")
                    .option("bucket", String.valueOf(buckets))
                    .build();
            FileStoreTable table = createTable(name, schema);
            RowKeyExtractor extractor = table.createRowKeyExtractor();
            PaimonBucketFunction function = new PaimonBucketFunction(key, buckets);
            for (int i = 0; i < keys.size(); i++) {
                Object[] values = keys.get(i);
                extractor.setRecord(GenericRow.of(i % 7, toPaimon(key.getFirst().type(), values[0]), i));
                assertThat(function.bucket(values))
                        .as("bucket of %s for key (k STRING) with %d buckets", BucketKeySamples.describe(values), buckets)
                        .isEqualTo(extractor.bucket());
            }
        }
    }

    private enum TableKind
    {
        /** An append table with {@code bucket-key}; the only kind whose key columns may be null. */
        BUCKET_KEY,
        /** A primary-key table whose bucket key is its primary key. */
        PRIMARY_KEY,
    }

    private static void assertAligned(List<Column> key, TableKind kind)
            throws Exception
    {
        List<Object[]> keys = BucketKeySamples.keys(key, RANDOM_KEYS);
        String description = key.stream().map(Column::toSql).toList().toString();
        long distinct = keys.stream().map(BucketKeySamples::describe).distinct().count();
        List<DataType> types = key.stream().map(Column::type).toList();
        for (int buckets : BUCKET_COUNTS) {
            FileStoreTable table = createTable(key, kind, buckets);
            RowKeyExtractor extractor = table.createRowKeyExtractor();
            // the projection FixedBucketRowKeyExtractor hashes, to compare bytes as well as buckets
            TableSchema schema = table.schema();
            Projection projection = CodeGenUtils.newProjection(schema.logicalRowType(), schema.projection(schema.bucketKeys()));
            PaimonBucketFunction function = new PaimonBucketFunction(key, buckets);
            int[] seen = new int[buckets];
            for (Object[] values : keys) {
                Object[] row = new Object[key.size() + 1];
                for (int i = 0; i < key.size(); i++) {
                    row[i] = toPaimon(key.get(i).type(), values[i]);
                }
                row[key.size()] = 1;
                // the extractor is reused across records, as Paimon's writers reuse it
                GenericRow record = GenericRow.of(row);
                extractor.setRecord(record);
                int expected = extractor.bucket();
                if (buckets == BUCKET_COUNTS[0]) {
                    Object[] normalized = new Object[values.length];
                    for (int i = 0; i < values.length; i++) {
                        normalized[i] = BucketKeyValues.normalize(key.get(i), values[i]);
                    }
                    assertThat(HEX.formatHex(PaimonBinaryRow.toBytes(types, normalized)))
                            .as("BinaryRow bytes of key %s of %s", BucketKeySamples.describe(values), description)
                            .isEqualTo(HEX.formatHex(projection.apply(record).toBytes()));
                }
                assertThat(function.bucket(values))
                        .as("bucket of key %s of %s with %d buckets", BucketKeySamples.describe(values), description, buckets)
                        .isEqualTo(expected);
                seen[expected]++;
            }
            if (buckets <= 16 && distinct >= 8 * buckets) {
                // a sanity check that keys really spread, so equality is not vacuous
                assertThat(IntStream.of(seen).min().orElseThrow()).as("fewest keys in a bucket for %s with %d buckets", description, buckets).isPositive();
            }
        }
    }

    private static FileStoreTable createTable(List<Column> key, TableKind kind, int buckets)
            throws Exception
    {
        Schema.Builder schema = Schema.newBuilder();
        for (Column column : key) {
            org.apache.paimon.types.DataType type = paimonType(column.type());
            schema.column(column.name(), column.nullable() ? type.nullable() : type.notNull());
        }
        schema.column("v", DataTypes.INT());
        List<String> names = key.stream().map(Column::name).toList();
        switch (kind) {
            case BUCKET_KEY -> schema.option("bucket-key", String.join(",", names));
            case PRIMARY_KEY -> schema.primaryKey(names);
        }
        schema.option("bucket", String.valueOf(buckets));
        return createTable("t" + (++tableCounter), schema.build());
    }

    private static FileStoreTable createTable(String name, Schema schema)
            throws Exception
    {
        Identifier identifier = Identifier.create(DATABASE, name);
        catalog.createTable(identifier, schema, false);
        return (FileStoreTable) catalog.getTable(identifier);
    }

    /** The production mapping, so this test also covers the lake tables Inlet creates. */
    private static org.apache.paimon.types.DataType paimonType(DataType type)
    {
        return dev.inlet.catalog.lake.paimon.PaimonSchemas.type(type);
    }

    /** Paimon's internal value for an Inlet Java value, converted with Paimon's own factories. */
    @SuppressWarnings("deprecation") // Timestamp.fromInstant is how Paimon's own connectors convert an instant
    private static Object toPaimon(DataType type, Object value)
    {
        if (value == null) {
            return null;
        }
        return switch (type.root()) {
            case DECIMAL -> Decimal.fromBigDecimal((BigDecimal) value, type.precision(), type.scale());
            case STRING -> BinaryString.fromString((String) value);
            case DATE -> (int) ((LocalDate) value).toEpochDay();
            case TIMESTAMP -> Timestamp.fromLocalDateTime((LocalDateTime) value);
            case TIMESTAMP_LTZ -> Timestamp.fromInstant((Instant) value);
            default -> value;
        };
    }
}
