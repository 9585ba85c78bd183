/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.kv;

import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.TableDescriptor;

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

    /** The row in the order of {@code reader}'s columns. */
    public Object[] decode(byte[] bytes, TableSchema reader)
    {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        int rowSchema = in.getInt();
        TableDescriptor written = rowSchema == reader.schemaId() ? reader.descriptor() : schemas.apply(rowSchema);
        List<Column> columns = written.columns();
        byte[] nulls = new byte[(columns.size() + 7) / 8];
        in.get(nulls);
        Object[] values = new Object[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            if ((nulls[c / 8] & (1 << (c % 8))) == 0) {
                values[c] = ValueCodec.read(in, columns.get(c).type());
            }
        }
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
