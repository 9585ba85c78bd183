/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.arrow;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.DataType;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TablePath;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestArrowSchemas
{
    private static final TablePath TABLE = new TablePath("shop", "orders");

    private static final TableDescriptor ORDERS = TableDescriptor.builder()
            .column("id", DataType.bigint(), false)
            .column("amount", DataType.decimal(12, 2))
            .column("note", DataType.string())
            .build();

    @Test
    void testTypeMapping()
    {
        assertThat(ArrowSchemas.toArrowType(DataType.booleanType())).isEqualTo(ArrowType.Bool.INSTANCE);
        assertThat(ArrowSchemas.toArrowType(DataType.tinyint())).isEqualTo(new ArrowType.Int(8, true));
        assertThat(ArrowSchemas.toArrowType(DataType.smallint())).isEqualTo(new ArrowType.Int(16, true));
        assertThat(ArrowSchemas.toArrowType(DataType.integer())).isEqualTo(new ArrowType.Int(32, true));
        assertThat(ArrowSchemas.toArrowType(DataType.bigint())).isEqualTo(new ArrowType.Int(64, true));
        assertThat(ArrowSchemas.toArrowType(DataType.floatType())).isEqualTo(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE));
        assertThat(ArrowSchemas.toArrowType(DataType.doubleType())).isEqualTo(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE));
        assertThat(ArrowSchemas.toArrowType(DataType.decimal(12, 2))).isEqualTo(new ArrowType.Decimal(12, 2, 128));
        assertThat(ArrowSchemas.toArrowType(DataType.decimal(38, 38))).isEqualTo(new ArrowType.Decimal(38, 38, 128));
        assertThat(ArrowSchemas.toArrowType(DataType.decimal(1, 0))).isEqualTo(new ArrowType.Decimal(1, 0, 128));
        assertThat(ArrowSchemas.toArrowType(DataType.string())).isEqualTo(ArrowType.Utf8.INSTANCE);
        assertThat(ArrowSchemas.toArrowType(DataType.bytes())).isEqualTo(ArrowType.Binary.INSTANCE);
        assertThat(ArrowSchemas.toArrowType(DataType.date())).isEqualTo(new ArrowType.Date(DateUnit.DAY));
    }

    @Test
    void testTimestampUnitByPrecision()
    {
        for (int precision = 0; precision <= 9; precision++) {
            TimeUnit unit = precision <= 3 ? TimeUnit.MILLISECOND : precision <= 6 ? TimeUnit.MICROSECOND : TimeUnit.NANOSECOND;
            assertThat(ArrowSchemas.timeUnit(precision)).isEqualTo(unit);
            assertThat(ArrowSchemas.toArrowType(DataType.timestamp(precision))).isEqualTo(new ArrowType.Timestamp(unit, null));
            assertThat(ArrowSchemas.toArrowType(DataType.timestampLtz(precision))).isEqualTo(new ArrowType.Timestamp(unit, "UTC"));
        }
        assertThatThrownBy(() -> ArrowSchemas.timeUnit(10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timestamp precision must be between 0 and 9, got 10");
        assertThatThrownBy(() -> ArrowSchemas.timeUnit(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timestamp precision must be between 0 and 9, got -1");
    }

    @Test
    void testSchema()
    {
        TableDescriptor table = TableDescriptor.builder()
                .column(new Column(7, "id", DataType.bigint(), false))
                .column(new Column(3, "ts", DataType.timestampLtz(9), true))
                .build();
        Schema schema = ArrowSchemas.toArrowSchema(table);
        assertThat(schema).isEqualTo(new Schema(List.of(
                new Field("id", new FieldType(false, new ArrowType.Int(64, true), null, Map.of("inlet.column.id", "7")), List.of()),
                new Field("ts", new FieldType(true, new ArrowType.Timestamp(TimeUnit.NANOSECOND, "UTC"), null, Map.of("inlet.column.id", "3")), List.of()))));
        assertThat(schema.getFields().get(0).isNullable()).isFalse();
        assertThat(schema.getFields().get(1).isNullable()).isTrue();
        assertThat(schema.getFields().get(0).getMetadata()).containsExactly(Map.entry(ArrowSchemas.COLUMN_ID_METADATA_KEY, "7"));
        assertThat(ArrowSchemas.toArrowSchema(table.columns())).isEqualTo(schema);
    }

    @Test
    void testCompatibleSchemas()
    {
        ArrowSchemas.checkCompatible(TABLE, ORDERS, ArrowSchemas.toArrowSchema(ORDERS));
        // a writer that is not Inlet's: no column ids, every field nullable
        ArrowSchemas.checkCompatible(TABLE, ORDERS, new Schema(List.of(
                Field.nullable("id", new ArrowType.Int(64, true)),
                Field.nullable("amount", new ArrowType.Decimal(12, 2, 128)),
                Field.nullable("note", ArrowType.Utf8.INSTANCE))));
        // declaring a nullable column NOT NULL is fine
        ArrowSchemas.checkCompatible(TABLE, ORDERS, new Schema(List.of(
                Field.notNullable("id", new ArrowType.Int(64, true)),
                Field.notNullable("amount", new ArrowType.Decimal(12, 2, 128)),
                Field.notNullable("note", ArrowType.Utf8.INSTANCE))));
    }

    @Test
    void testTypeMismatch()
    {
        assertMismatch(withField(1, Field.nullable("amount", new ArrowType.Int(64, true))),
                "Batch for table shop.orders has column 'amount' of Arrow type Int(64, true), expected Decimal(12, 2, 128) (the column is DECIMAL(12,2))");
        assertMismatch(withField(1, Field.nullable("amount", new ArrowType.Decimal(12, 3, 128))),
                "Batch for table shop.orders has column 'amount' of Arrow type Decimal(12, 3, 128), expected Decimal(12, 2, 128) (the column is DECIMAL(12,2))");
        assertMismatch(withField(0, Field.nullable("id", new ArrowType.Int(64, false))),
                "Batch for table shop.orders has column 'id' of Arrow type Int(64, false), expected Int(64, true) (the column is BIGINT)");
        assertMismatch(withField(2, Field.nullable("note", ArrowType.LargeUtf8.INSTANCE)),
                "Batch for table shop.orders has column 'note' of Arrow type LargeUtf8, expected Utf8 (the column is STRING)");
        assertMismatch(withField(2, new Field("note", FieldType.nullable(ArrowType.List.INSTANCE), List.of(Field.nullable("item", ArrowType.Utf8.INSTANCE)))),
                "Batch for table shop.orders has column 'note' of Arrow type List, expected Utf8 (the column is STRING)");

        TableDescriptor events = TableDescriptor.builder()
                .column("at", DataType.timestampLtz(3))
                .column("local", DataType.timestamp(6))
                .build();
        TablePath path = new TablePath("logs", "events");
        assertThatThrownBy(() -> ArrowSchemas.checkCompatible(path, events, new Schema(List.of(
                Field.nullable("at", new ArrowType.Timestamp(TimeUnit.MILLISECOND, null)),
                Field.nullable("local", new ArrowType.Timestamp(TimeUnit.MICROSECOND, null))))))
                .isInstanceOf(InletException.class)
                .hasMessage("Batch for table logs.events has column 'at' of Arrow type Timestamp(MILLISECOND, null), expected Timestamp(MILLISECOND, UTC) (the column is TIMESTAMP_LTZ(3))");
        assertThatThrownBy(() -> ArrowSchemas.checkCompatible(path, events, new Schema(List.of(
                Field.nullable("at", new ArrowType.Timestamp(TimeUnit.MILLISECOND, "UTC")),
                Field.nullable("local", new ArrowType.Timestamp(TimeUnit.NANOSECOND, null))))))
                .isInstanceOf(InletException.class)
                .hasMessage("Batch for table logs.events has column 'local' of Arrow type Timestamp(NANOSECOND, null), expected Timestamp(MICROSECOND, null) (the column is TIMESTAMP(6))");
    }

    @Test
    void testDictionaryEncoded()
    {
        Field dictionary = new Field("note", new FieldType(true, ArrowType.Utf8.INSTANCE, new DictionaryEncoding(1, false, new ArrowType.Int(32, true))), List.of());
        assertMismatch(withField(2, dictionary),
                "Batch for table shop.orders has column 'note' dictionary-encoded; expected plain Utf8 values (the column is STRING)");
    }

    @Test
    void testColumnIdMismatch()
    {
        Field stale = new Field("note", new FieldType(true, ArrowType.Utf8.INSTANCE, null, Map.of("inlet.column.id", "9")), List.of());
        assertMismatch(withField(2, stale),
                "Batch for table shop.orders has column 'note' with inlet.column.id 9, but the table's column 'note' has id 3; the column was dropped and added again since the writer read the table's schema");
    }

    @Test
    void testMissingColumn()
    {
        List<Field> fields = new ArrayList<>(ArrowSchemas.toArrowSchema(ORDERS).getFields());
        fields.remove(1);
        assertMismatch(new Schema(fields),
                "Batch for table shop.orders is missing column 'amount'; a batch must carry every column of the table, in table order: id, amount, note");
        assertMismatch(new Schema(List.of()),
                "Batch for table shop.orders is missing column 'id'; a batch must carry every column of the table, in table order: id, amount, note");
    }

    @Test
    void testExtraColumn()
    {
        List<Field> fields = new ArrayList<>(ArrowSchemas.toArrowSchema(ORDERS).getFields());
        fields.add(Field.nullable("discount", new ArrowType.Int(32, true)));
        assertMismatch(new Schema(fields),
                "Batch for table shop.orders has column 'discount', which the table does not have; the table's columns are: id, amount, note");
        // names are matched exactly: Inlet names are lower-case
        fields = new ArrayList<>(ArrowSchemas.toArrowSchema(ORDERS).getFields());
        fields.set(0, Field.nullable("ID", new ArrowType.Int(64, true)));
        assertMismatch(new Schema(fields),
                "Batch for table shop.orders has column 'ID', which the table does not have; the table's columns are: id, amount, note");
    }

    @Test
    void testRepeatedColumn()
    {
        List<Field> fields = new ArrayList<>(ArrowSchemas.toArrowSchema(ORDERS).getFields());
        fields.add(fields.get(2));
        assertMismatch(new Schema(fields), "Batch for table shop.orders has column 'note' more than once");
    }

    @Test
    void testReorderedColumns()
    {
        List<Field> fields = ArrowSchemas.toArrowSchema(ORDERS).getFields();
        assertMismatch(new Schema(List.of(fields.get(0), fields.get(2), fields.get(1))),
                "Batch for table shop.orders has column 'note' at position 2, where the table has column 'amount'; a batch must carry the table's columns in table order: id, amount, note");
    }

    @Test
    void testNotNullColumns()
    {
        try (BufferAllocator allocator = new RootAllocator();
                VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(List.of(
                        Field.nullable("id", new ArrowType.Int(32, true)),
                        Field.nullable("name", ArrowType.Utf8.INSTANCE))), allocator)) {
            IntVector id = (IntVector) root.getVector(0);
            VarCharVector name = (VarCharVector) root.getVector(1);
            id.allocateNew(3);
            name.allocateNew(3);
            id.set(0, 1);
            id.setNull(1);
            id.setNull(2);
            name.setSafe(0, "a".getBytes(StandardCharsets.UTF_8));
            name.setNull(1);
            name.setSafe(2, "".getBytes(StandardCharsets.UTF_8));
            root.setRowCount(3);
            ByteBuffer message = ArrowIpc.serialize(root);

            TablePath path = new TablePath("db", "people");
            TableDescriptor nullableId = TableDescriptor.builder().column("id", DataType.integer()).column("name", DataType.string(), false).build();
            assertThatThrownBy(() -> ArrowSchemas.checkNotNullColumns(path, nullableId, message))
                    .isInstanceOf(InletException.class)
                    .hasMessage("Batch for table db.people has 1 null values in column 'name', which is NOT NULL")
                    .extracting(e -> ((InletException) e).errorCode()).isEqualTo(InletErrorCode.BATCH_SCHEMA_MISMATCH);
            TableDescriptor notNullId = TableDescriptor.builder().column("id", DataType.integer(), false).column("name", DataType.string(), false).build();
            assertThatThrownBy(() -> ArrowSchemas.checkNotNullColumns(path, notNullId, message))
                    .isInstanceOf(InletException.class)
                    .hasMessage("Batch for table db.people has 2 null values in column 'id', which is NOT NULL");
            TableDescriptor allNullable = TableDescriptor.builder().column("id", DataType.integer()).column("name", DataType.string()).build();
            ArrowSchemas.checkNotNullColumns(path, allNullable, message);
            assertThat(message.position()).isZero();

            TableDescriptor oneColumn = TableDescriptor.builder().column("id", DataType.integer()).build();
            assertThatThrownBy(() -> ArrowSchemas.checkNotNullColumns(path, oneColumn, message))
                    .isInstanceOf(InvalidIpcMessageException.class)
                    .hasMessage("Invalid Arrow IPC record batch message: the message has 2 field nodes, but table db.people has 1 columns");
        }
    }

    @Test
    void testErrorCode()
    {
        assertThat(InletErrorCode.BATCH_SCHEMA_MISMATCH.code()).isEqualTo(2001);
        assertThatThrownBy(() -> ArrowSchemas.checkCompatible(TABLE, ORDERS, new Schema(List.of())))
                .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.BATCH_SCHEMA_MISMATCH));
    }

    private static Schema withField(int index, Field field)
    {
        List<Field> fields = new ArrayList<>(ArrowSchemas.toArrowSchema(ORDERS).getFields());
        fields.set(index, field);
        return new Schema(fields);
    }

    private static void assertMismatch(Schema batchSchema, String message)
    {
        assertThatThrownBy(() -> ArrowSchemas.checkCompatible(TABLE, ORDERS, batchSchema))
                .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.BATCH_SCHEMA_MISMATCH))
                .hasMessage(message);
    }
}
