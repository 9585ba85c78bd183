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
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The mapping between Inlet column types and Arrow, and the check that an incoming batch fits its
 * table.
 *
 * <p>A batch appended to a table must carry exactly the table's columns, in table order, each with
 * the Arrow type {@link #toArrowType(DataType)} gives. Requiring the full column list (rather than
 * filling absent columns with nulls or matching by name) keeps the stored payload the exact layout
 * of the table's schema, which is what lets a fetch prune columns by buffer position
 * ({@link IpcProjection}) without a per-batch schema.
 */
public final class ArrowSchemas
{
    /** Arrow field metadata key holding the Inlet column id, in decimal. */
    public static final String COLUMN_ID_METADATA_KEY = "inlet.column.id";

    /** The time zone of {@code TIMESTAMP_LTZ} columns in Arrow: values are instants. */
    public static final String LTZ_TIME_ZONE = "UTC";

    /** The column that a primary-key table's changelog adds after the table's columns: a {@link dev.inlet.logstore.protocol.ChangeType} code. */
    public static final String CHANGE_TYPE_COLUMN = "_change_type";

    /** The column that an upsert batch adds after its target columns: a {@link dev.inlet.logstore.protocol.UpsertOp} code. */
    public static final String OP_COLUMN = "_op";

    private ArrowSchemas() {}

    /** A non-null TINYINT field. */
    public static Field systemField(String name)
    {
        return new Field(name, new FieldType(false, new ArrowType.Int(8, true), null), List.of());
    }

    /**
     * The schema of the batches stored in (and read from) a table's log: a log table's columns; a
     * primary-key table's columns followed by {@link #CHANGE_TYPE_COLUMN}.
     */
    public static Schema toLogSchema(TableDescriptor table)
    {
        if (!table.hasPrimaryKey()) {
            return toArrowSchema(table);
        }
        List<Field> fields = new java.util.ArrayList<>(toArrowSchema(table).getFields());
        fields.add(systemField(CHANGE_TYPE_COLUMN));
        return new Schema(fields);
    }

    /** The schema of an upsert batch: the target columns, in table order, then {@link #OP_COLUMN}. */
    public static Schema toUpsertSchema(List<Column> targetColumns)
    {
        List<Field> fields = new java.util.ArrayList<>(toArrowSchema(targetColumns).getFields());
        fields.add(systemField(OP_COLUMN));
        return new Schema(fields);
    }

    /** The table's columns as an Arrow schema, in table order. */
    public static Schema toArrowSchema(TableDescriptor table)
    {
        requireNonNull(table, "table is null");
        return toArrowSchema(table.columns());
    }

    /** The columns as an Arrow schema, in the given order. */
    public static Schema toArrowSchema(List<Column> columns)
    {
        requireNonNull(columns, "columns is null");
        return new Schema(columns.stream().map(ArrowSchemas::toArrowField).toList());
    }

    /**
     * The column as an Arrow field: the column's name, type and nullability, and its id under
     * {@link #COLUMN_ID_METADATA_KEY} in the field metadata.
     */
    public static Field toArrowField(Column column)
    {
        requireNonNull(column, "column is null");
        Map<String, String> metadata = Map.of(COLUMN_ID_METADATA_KEY, Integer.toString(column.id()));
        return new Field(column.name(), new FieldType(column.nullable(), toArrowType(column.type()), null, metadata), List.of());
    }

    /** The Arrow type that holds values of an Inlet type. */
    public static ArrowType toArrowType(DataType type)
    {
        requireNonNull(type, "type is null");
        return switch (type.root()) {
            case BOOLEAN -> ArrowType.Bool.INSTANCE;
            case TINYINT -> new ArrowType.Int(8, true);
            case SMALLINT -> new ArrowType.Int(16, true);
            case INT -> new ArrowType.Int(32, true);
            case BIGINT -> new ArrowType.Int(64, true);
            case FLOAT -> new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
            case DOUBLE -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
            case DECIMAL -> new ArrowType.Decimal(type.precision(), type.scale(), 128);
            case STRING -> ArrowType.Utf8.INSTANCE;
            case BYTES -> ArrowType.Binary.INSTANCE;
            case DATE -> new ArrowType.Date(DateUnit.DAY);
            case TIMESTAMP -> new ArrowType.Timestamp(timeUnit(type.precision()), null);
            case TIMESTAMP_LTZ -> new ArrowType.Timestamp(timeUnit(type.precision()), LTZ_TIME_ZONE);
        };
    }

    /**
     * The coarsest Arrow unit that holds the precision: Arrow has no unit between the second and
     * the millisecond, so precisions 0 to 3 share milliseconds (the writer keeps unused digits
     * zero).
     */
    public static TimeUnit timeUnit(int timestampPrecision)
    {
        if (timestampPrecision < 0 || timestampPrecision > DataType.MAX_TIMESTAMP_PRECISION) {
            throw new IllegalArgumentException("timestamp precision must be between 0 and 9, got " + timestampPrecision);
        }
        if (timestampPrecision <= 3) {
            return TimeUnit.MILLISECOND;
        }
        if (timestampPrecision <= 6) {
            return TimeUnit.MICROSECOND;
        }
        return TimeUnit.NANOSECOND;
    }

    /**
     * Checks that a batch with this Arrow schema can be appended to the table: the batch has
     * exactly the table's columns, by name, in table order, each with the column's Arrow type and
     * not dictionary-encoded. A field that carries {@link #COLUMN_ID_METADATA_KEY} must carry the
     * column's id, so that a writer holding the schema of a column that was dropped and added again
     * under the same name is refused; a field without it (a writer that is not Inlet's) is matched
     * by name alone.
     *
     * <p>Field nullability is not compared: Arrow's flag is a declaration that writers commonly
     * leave at nullable, and it does not stop a writer from putting nulls in. NOT NULL columns are
     * enforced on the data with {@link #checkNotNullColumns}.
     *
     * @throws InletException {@link InletErrorCode#BATCH_SCHEMA_MISMATCH} naming the table and the
     *     column, with the expected and the actual type, or the missing, extra, repeated or
     *     misplaced column
     */
    public static void checkCompatible(TablePath table, TableDescriptor descriptor, Schema batchSchema)
    {
        requireNonNull(table, "table is null");
        requireNonNull(descriptor, "descriptor is null");
        requireNonNull(batchSchema, "batchSchema is null");
        List<Column> columns = descriptor.columns();
        List<Field> fields = batchSchema.getFields();
        String columnList = String.join(", ", descriptor.columnNames());

        Set<String> seen = new HashSet<>();
        for (Field field : fields) {
            if (!seen.add(field.getName())) {
                throw mismatch("Batch for table %s has column '%s' more than once".formatted(table, field.getName()));
            }
        }
        Set<String> tableNames = Set.copyOf(descriptor.columnNames());
        for (Field field : fields) {
            if (!tableNames.contains(field.getName())) {
                throw mismatch("Batch for table %s has column '%s', which the table does not have; the table's columns are: %s"
                        .formatted(table, field.getName(), columnList));
            }
        }
        for (Column column : columns) {
            if (!seen.contains(column.name())) {
                throw mismatch("Batch for table %s is missing column '%s'; a batch must carry every column of the table, in table order: %s"
                        .formatted(table, column.name(), columnList));
            }
        }
        // Same names, no repeats: the lists have one length and differ at most in order.
        for (int i = 0; i < columns.size(); i++) {
            Column column = columns.get(i);
            Field field = fields.get(i);
            if (!field.getName().equals(column.name())) {
                throw mismatch("Batch for table %s has column '%s' at position %d, where the table has column '%s'; a batch must carry the table's columns in table order: %s"
                        .formatted(table, field.getName(), i + 1, column.name(), columnList));
            }
            checkField(table, column, field);
        }
    }

    private static void checkField(TablePath table, Column column, Field field)
    {
        ArrowType expected = toArrowType(column.type());
        if (field.getDictionary() != null) {
            throw mismatch("Batch for table %s has column '%s' dictionary-encoded; expected plain %s values (the column is %s)"
                    .formatted(table, column.name(), expected, column.type()));
        }
        // Inlet types are all flat; a field with children is a nested type, and its type differs.
        if (!field.getType().equals(expected) || !field.getChildren().isEmpty()) {
            throw mismatch("Batch for table %s has column '%s' of Arrow type %s, expected %s (the column is %s)"
                    .formatted(table, column.name(), field.getType(), expected, column.type()));
        }
        Map<String, String> metadata = field.getMetadata();
        String id = metadata == null ? null : metadata.get(COLUMN_ID_METADATA_KEY);
        if (id != null && !id.equals(Integer.toString(column.id()))) {
            throw mismatch("Batch for table %s has column '%s' with %s %s, but the table's column '%s' has id %d; the column was dropped and added again since the writer read the table's schema"
                    .formatted(table, column.name(), COLUMN_ID_METADATA_KEY, id, column.name(), column.id()));
        }
    }

    /**
     * Checks that a batch whose schema passed {@link #checkCompatible} has no null in a NOT NULL
     * column. Reads only the message's metadata (the null count of each column), not its rows.
     *
     * @param encapsulatedRecordBatch the batch as an encapsulated IPC record batch message, see
     *     {@link ArrowIpc}
     * @throws InletException {@link InletErrorCode#BATCH_SCHEMA_MISMATCH} naming the table, the
     *     column and the number of nulls
     * @throws InvalidIpcMessageException if the message is not a valid record batch message or its
     *     column count is not the table's
     */
    public static void checkNotNullColumns(TablePath table, TableDescriptor descriptor, ByteBuffer encapsulatedRecordBatch)
    {
        requireNonNull(table, "table is null");
        requireNonNull(descriptor, "descriptor is null");
        RecordBatchMessage message = RecordBatchMessage.parse(encapsulatedRecordBatch);
        List<Column> columns = descriptor.columns();
        if (message.nodeCount() != columns.size()) {
            throw RecordBatchMessage.invalid("the message has %d field nodes, but table %s has %d columns", message.nodeCount(), table, columns.size());
        }
        for (int i = 0; i < columns.size(); i++) {
            Column column = columns.get(i);
            long nulls = message.nodeNullCount(i);
            if (!column.nullable() && nulls > 0) {
                throw mismatch("Batch for table %s has %d null values in column '%s', which is NOT NULL".formatted(table, nulls, column.name()));
            }
        }
    }

    private static InletException mismatch(String message)
    {
        return new InletException(InletErrorCode.BATCH_SCHEMA_MISMATCH, message);
    }
}
