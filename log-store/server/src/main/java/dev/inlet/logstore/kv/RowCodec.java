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
import java.util.function.IntFunction;

/**
 * The RocksDB value of a row: {@code schemaId int32 | null bitmap | the non-null values}
 * ({@link ValueCodec}). A row written under an older schema is read into the current one by column
 * id; columns added since are null.
 *
 * <p>Thread-safe.
 */
public final class RowCodec
{
    private final IntFunction<TableDescriptor> schemas;
    private final Map<Integer, int[]> positionsBySchema = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile int schemaId;
    private volatile TableDescriptor current;

    /**
     * @param schemaId the schema rows are written with
     * @param current the table as of that schema
     * @param schemas every schema of the table by id (to read older rows)
     */
    public RowCodec(int schemaId, TableDescriptor current, IntFunction<TableDescriptor> schemas)
    {
        this.schemaId = schemaId;
        this.current = current;
        this.schemas = schemas;
    }

    /** Writes rows with a newer schema from now on (a column was added). */
    public void update(int newSchemaId, TableDescriptor newer)
    {
        if (newSchemaId > schemaId) {
            current = newer;
            schemaId = newSchemaId;
        }
    }

    public TableDescriptor descriptor()
    {
        return current;
    }

    public byte[] encode(Object[] row)
    {
        List<Column> columns = current.columns();
        // sized for the row, so that it is rarely copied while it grows
        int estimate = 8 + columns.size();
        for (Object value : row) {
            estimate += value instanceof String s ? s.length() + 4 : value instanceof byte[] b ? b.length + 4 : 12;
        }
        ValueCodec.Out out = new ValueCodec.Out(estimate);
        out.writeInt(schemaId);
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

    /** The row in the current schema's column order. */
    public Object[] decode(byte[] bytes)
    {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        int rowSchema = in.getInt();
        TableDescriptor written = rowSchema == schemaId ? current : schemas.apply(rowSchema);
        List<Column> columns = written.columns();
        byte[] nulls = new byte[(columns.size() + 7) / 8];
        in.get(nulls);
        Object[] values = new Object[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            if ((nulls[c / 8] & (1 << (c % 8))) == 0) {
                values[c] = ValueCodec.read(in, columns.get(c).type());
            }
        }
        if (rowSchema == schemaId) {
            return values;
        }
        int[] positions = positionsBySchema.computeIfAbsent(rowSchema, id -> positions(written, current));
        Object[] row = new Object[current.columns().size()];
        for (int c = 0; c < values.length; c++) {
            if (positions[c] >= 0) {
                row[positions[c]] = values[c];
            }
        }
        return row;
    }

    /** Where each column of {@code from} is in {@code to}, by column id; -1 if dropped. */
    private static int[] positions(TableDescriptor from, TableDescriptor to)
    {
        Map<Integer, Integer> byId = new HashMap<>();
        for (int c = 0; c < to.columns().size(); c++) {
            byId.put(to.columns().get(c).id(), c);
        }
        return from.columns().stream().mapToInt(column -> byId.getOrDefault(column.id(), -1)).toArray();
    }
}
