/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.kv;

import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.DataType;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TypeRoot;
import dev.inlet.logstore.protocol.ValueCodec;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/**
 * The RocksDB value of a row: {@code schemaId int32 | null bitmap | the non-null values}
 * ({@link ValueCodec}). A row is read into whatever schema the reader asks for, by column id:
 * columns the row's schema lacks are null, columns the reader's schema lacks are left out.
 *
 * <p>Thread-safe.
 */
public final class RowCodec
{
    private final IntFunction<TableDescriptor> schemas;
    // "rowSchema:readerSchema" -> position in the reader's row of each column of the row's schema
    private final Map<String, int[]> positions = new ConcurrentHashMap<>();

    /** @param schemas every schema of the table by id (to read rows written with another one) */
    public RowCodec(IntFunction<TableDescriptor> schemas)
    {
        this.schemas = schemas;
    }

    /** Encodes a row given in the order of {@code schema}'s columns. */
    public byte[] encode(Object[] row, TableSchema schema)
    {
        List<Column> columns = schema.descriptor().columns();
        // sized for the row, so that it is rarely copied while it grows
        int estimate = 8 + columns.size();
        for (Object value : row) {
            estimate += value instanceof String s ? s.length() + 4 : value instanceof byte[] b ? b.length + 4 : 12;
        }
        ValueCodec.Out out = new ValueCodec.Out(estimate);
        out.writeInt(schema.schemaId());
        byte[] nulls = new byte[(columns.size() + 7) / 8];
        for (int c = 0; c < columns.size(); c++) {
            if (row[c] == null) {
                nulls[c / 8] |= (byte) (1 << (c % 8));
            }
        }
        out.write(nulls, 0, nulls.length);
        for (int c = 0; c < columns.size(); c++) {
            if (row[c] != null) {
                ValueCodec.write(out, columns.get(c).type(), row[c]);
            }
        }
        return out.toByteArray();
    }

    /**
     * Encodes a row of {@code schema} whose columns come from two places without making objects
     * of them: column {@code c} is row {@code row} of {@code batch[c]} where {@code fromBatch[c]},
     * else the column of {@code stored} (a value of this table, any schema; null for a new key:
     * the column is null), except that column {@code idColumn} (if not -1) is {@code id}.
     */
    public byte[] encode(TableSchema schema, FieldVector[] batch, int row, boolean[] fromBatch, byte[] stored, int idColumn, long id)
    {
        List<Column> columns = schema.descriptor().columns();
        boolean fromStored = false;
        for (int c = 0; c < columns.size() && stored != null && !fromStored; c++) {
            fromStored = !fromBatch[c] && c != idColumn;
        }
        // a write of every column (the common full-row upsert) does not parse the stored value
        int[] starts = fromStored ? starts(stored, schema) : null;
        // the exact size first, so that the value is written once into an array of its size
        int size = 4 + (columns.size() + 7) / 8;
        for (int c = 0; c < columns.size(); c++) {
            DataType type = columns.get(c).type();
            if (c == idColumn) {
                size += type.root() == TypeRoot.INT ? 4 : 8;
            }
            else if (fromBatch[c]) {
                size += batch[c].isNull(row) ? 0 : ArrowCells.length(batch[c], row, type);
            }
            else if (starts != null && starts[c] >= 0) {
                size += ArrowCells.skip(stored, starts[c], type) - starts[c];
            }
        }
        ValueCodec.Out out = new ValueCodec.Out(size);
        out.writeInt(schema.schemaId());
        int nulls = out.reserve((columns.size() + 7) / 8);
        for (int c = 0; c < columns.size(); c++) {
            DataType type = columns.get(c).type();
            if (c == idColumn) {
                if (type.root() == TypeRoot.INT) {
                    out.writeInt(Math.toIntExact(id));
                }
                else {
                    out.writeLong(id);
                }
            }
            else if (fromBatch[c] ? batch[c].isNull(row) : starts == null || starts[c] < 0) {
                out.orByte(nulls + c / 8, 1 << (c % 8));
            }
            else if (fromBatch[c]) {
                ArrowCells.write(out, batch[c], row, type);
            }
            else {
                out.write(stored, starts[c], ArrowCells.skip(stored, starts[c], type) - starts[c]);
            }
        }
        return out.toByteArray();
    }

    /** Sets row {@code row} of the first vectors of {@code vectors} (the columns of {@code reader}, in order; others are left alone) to the row {@code value} holds. */
    public void decodeInto(byte[] value, TableSchema reader, List<FieldVector> vectors, int row)
    {
        int[] starts = starts(value, reader);
        List<Column> columns = reader.descriptor().columns();
        for (int c = 0; c < starts.length; c++) {
            if (starts[c] < 0) {
                vectors.get(c).setNull(row);
            }
            else {
                ArrowCells.read(value, starts[c], columns.get(c).type(), vectors.get(c), row);
            }
        }
    }

    /** One column of an encoded row as an object (null if null or if the row's schema lacks it). */
    public Object decodeColumn(byte[] value, TableSchema reader, int column)
    {
        int start = starts(value, reader)[column];
        return start < 0 ? null : ValueCodec.read(ByteBuffer.wrap(value, start, value.length - start), reader.descriptor().columns().get(column).type());
    }

    /** Where each of {@code reader}'s columns starts in {@code value}; -1 for a null or a column the row's schema lacks. */
    private int[] starts(byte[] value, TableSchema reader)
    {
        int rowSchema = ByteBuffer.wrap(value).getInt(0);
        TableDescriptor written = rowSchema == reader.schemaId() ? reader.descriptor() : schemas.apply(rowSchema);
        int[] to = rowSchema == reader.schemaId() ? null : positions.computeIfAbsent(rowSchema + ":" + reader.schemaId(), k -> positions(written, reader.descriptor()));
        List<Column> columns = written.columns();
        int[] starts = new int[reader.columnCount()];
        java.util.Arrays.fill(starts, -1);
        int offset = 4 + (columns.size() + 7) / 8;
        for (int c = 0; c < columns.size(); c++) {
            if ((value[4 + c / 8] & (1 << (c % 8))) == 0) {
                int target = to == null ? c : to[c];
                if (target >= 0) {
                    starts[target] = offset;
                }
                offset = ArrowCells.skip(value, offset, columns.get(c).type());
            }
        }
        return starts;
    }

    /** The row in the order of {@code reader}'s columns. */
    public Object[] decode(byte[] bytes, TableSchema reader)
    {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        int rowSchema = in.getInt();
        TableDescriptor written = rowSchema == reader.schemaId() ? reader.descriptor() : schemas.apply(rowSchema);
        Object[] values = ValueCodec.readValues(in, written.columns());
        if (rowSchema == reader.schemaId()) {
            return values;
        }
        int[] to = positions.computeIfAbsent(rowSchema + ":" + reader.schemaId(), k -> positions(written, reader.descriptor()));
        Object[] row = new Object[reader.columnCount()];
        for (int c = 0; c < values.length; c++) {
            if (to[c] >= 0) {
                row[to[c]] = values[c];
            }
        }
        return row;
    }

    /** {@code value} in {@code reader}'s schema: itself if written with it, else decoded and encoded again. */
    public byte[] inSchema(byte[] value, TableSchema reader)
    {
        return ByteBuffer.wrap(value).getInt(0) == reader.schemaId() ? value : encode(decode(value, reader), reader);
    }

    /** Where each column of {@code from} is in {@code to}, by column id; -1 if {@code to} lacks it. */
    private static int[] positions(TableDescriptor from, TableDescriptor to)
    {
        Map<Integer, Integer> byId = new HashMap<>();
        for (int c = 0; c < to.columns().size(); c++) {
            byId.put(to.columns().get(c).id(), c);
        }
        return from.columns().stream().mapToInt(column -> byId.getOrDefault(column.id(), -1)).toArray();
    }
}
