/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.server;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.MergeEngine;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.logstore.arrow.ArrowSchemas;
import dev.inlet.logstore.arrow.ArrowValues;
import dev.inlet.logstore.protocol.UpsertOp;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.util.TransferPair;

import java.util.ArrayList;
import java.util.List;

/**
 * The checked rows of one upsert batch of a primary-key table, kept as the Arrow vectors they
 * arrived in (the merge reads them in place). Owns its vectors: close it once merged.
 */
final class UpsertBatch
        implements AutoCloseable
{
    private final VectorSchemaRoot root;
    private final boolean[] target;
    // by table column: the batch's vector, or null for a column the writer does not target
    private final FieldVector[] columns;
    private final TinyIntVector ops;

    private UpsertBatch(VectorSchemaRoot root, boolean[] target)
    {
        this.root = root;
        this.target = target;
        this.columns = new FieldVector[target.length];
        int v = 0;
        for (int c = 0; c < target.length; c++) {
            if (target[c]) {
                columns[c] = root.getFieldVectors().get(v++);
            }
        }
        this.ops = (TinyIntVector) root.getVector(ArrowSchemas.OP_COLUMN);
    }

    /**
     * Which columns a writer may target: the primary key must be among them, the auto-increment
     * column must not (the server fills it), a first-row table takes whole rows only, a versioned
     * table needs its version column, and every column left out must be nullable, since a new key
     * gets null there.
     *
     * @param targetColumns null for every column but the auto-increment one
     * @throws InletException {@code INVALID_WRITE} naming the table and the column
     */
    static boolean[] target(TablePath path, TableDescriptor table, List<String> targetColumns)
    {
        List<String> names = table.columnNames();
        boolean[] target = new boolean[names.size()];
        if (targetColumns == null) {
            for (int c = 0; c < target.length; c++) {
                target[c] = table.autoIncrementColumn().filter(names.get(c)::equals).isEmpty();
            }
            return target;
        }
        for (String name : targetColumns) {
            int c = names.indexOf(name);
            if (c < 0) {
                throw invalid("Table " + path + " has no column '" + name + "' to write; its columns are " + names);
            }
            if (table.autoIncrementColumn().filter(name::equals).isPresent()) {
                throw invalid("Column '" + name + "' of " + path + " is its auto-increment column: the server assigns it, a writer cannot set it");
            }
            target[c] = true;
        }
        for (String key : table.primaryKey()) {
            if (!target[names.indexOf(key)]) {
                throw invalid("A partial update of " + path + " must include every primary-key column; target columns " + targetColumns + " lack '" + key + "'");
            }
        }
        boolean partial = false;
        for (int c = 0; c < target.length; c++) {
            Column column = table.columns().get(c);
            if (!target[c] && table.autoIncrementColumn().filter(column.name()::equals).isEmpty()) {
                partial = true;
                if (!column.nullable()) {
                    throw invalid("A partial update of " + path + " leaves out NOT NULL column '" + column.name() + "', which a new key would get as null");
                }
            }
        }
        if (partial && table.mergeEngine().kind() == MergeEngine.Kind.FIRST_ROW) {
            throw invalid("Table " + path + " uses the first_row merge engine, which keeps whole first rows: it takes no partial updates (target columns " + targetColumns + ")");
        }
        String version = table.mergeEngine().versionColumn().orElse(null);
        if (partial && version != null && !target[names.indexOf(version)]) {
            throw invalid("A partial update of " + path + " must include its version column '" + version + "'");
        }
        return target;
    }

    /**
     * Reads and checks a batch whose fields must be the target columns in table order, then
     * {@code _op}.
     *
     * @throws InletException {@code BATCH_SCHEMA_MISMATCH} for the wrong columns, {@code INVALID_ROW}
     *     naming the row, the column and the key for a null key or NOT NULL value
     */
    static UpsertBatch read(TablePath path, TableDescriptor table, boolean[] target, VectorSchemaRoot root, BufferAllocator allocator)
    {
        List<Column> columns = table.columns();
        List<Column> targetColumns = new ArrayList<>();
        for (int c = 0; c < columns.size(); c++) {
            if (target[c]) {
                targetColumns.add(columns.get(c));
            }
        }
        List<String> expected = new ArrayList<>(targetColumns.stream().map(Column::name).toList());
        expected.add(ArrowSchemas.OP_COLUMN);
        List<String> actual = root.getSchema().getFields().stream().map(f -> f.getName()).toList();
        if (!actual.equals(expected)) {
            throw new InletException(InletErrorCode.BATCH_SCHEMA_MISMATCH, "Upsert batch for " + path + " has columns " + actual + "; expected the target columns in table order, then "
                    + ArrowSchemas.OP_COLUMN + ": " + expected);
        }
        for (int i = 0; i < targetColumns.size(); i++) {
            var want = ArrowSchemas.toArrowType(targetColumns.get(i).type());
            var got = root.getSchema().getFields().get(i).getType();
            if (!want.equals(got)) {
                throw new InletException(InletErrorCode.BATCH_SCHEMA_MISMATCH, "Upsert batch for " + path + " has column '" + targetColumns.get(i).name() + "' of Arrow type " + got
                        + ", expected " + want + " (the column is " + targetColumns.get(i).type() + ")");
            }
        }
        if (!(root.getVector(ArrowSchemas.OP_COLUMN) instanceof TinyIntVector opVector)) {
            throw new InletException(InletErrorCode.BATCH_SCHEMA_MISMATCH, "Upsert batch for " + path + ": column " + ArrowSchemas.OP_COLUMN + " must be TINYINT");
        }
        // checked on the received vectors, without making objects of the values; only a message boxes
        List<FieldVector> vectors = root.getFieldVectors();
        FieldVector[] byColumn = new FieldVector[columns.size()];
        int v = 0;
        for (int c = 0; c < columns.size(); c++) {
            if (target[c]) {
                byColumn[c] = vectors.get(v++);
            }
        }
        int[] keyIndexes = table.primaryKey().stream().mapToInt(table.columnNames()::indexOf).toArray();
        boolean firstRow = table.mergeEngine().kind() == MergeEngine.Kind.FIRST_ROW;
        for (int r = 0; r < root.getRowCount(); r++) {
            if (opVector.isNull(r)) {
                throw new InletException(InletErrorCode.INVALID_ROW, "Upsert batch for " + path + " row " + r + " has no " + ArrowSchemas.OP_COLUMN);
            }
            UpsertOp op;
            try {
                op = UpsertOp.fromCode(opVector.get(r));
            }
            catch (IllegalArgumentException e) {
                throw new InletException(InletErrorCode.INVALID_ROW, "Upsert batch for " + path + " row " + r + ": " + e.getMessage());
            }
            for (int k : keyIndexes) {
                if (byColumn[k].isNull(r)) {
                    throw new InletException(InletErrorCode.INVALID_ROW, "Upsert batch for " + path + " row " + r + " has a null in primary-key column '" + columns.get(k).name()
                            + "' (key " + key(table, boxed(byColumn, r)) + ")");
                }
            }
            if (op == UpsertOp.DELETE && firstRow) {
                throw invalid("Table " + path + " uses the first_row merge engine, which takes no deletes (row " + r + ", key " + key(table, boxed(byColumn, r)) + ")");
            }
        }
        for (int c = 0; c < columns.size(); c++) {
            if (target[c] && !columns.get(c).nullable() && byColumn[c].getNullCount() > 0) {
                for (int r = 0; r < root.getRowCount(); r++) {
                    if (byColumn[c].isNull(r) && opVector.get(r) != UpsertOp.DELETE.code()) {
                        throw new InletException(InletErrorCode.INVALID_ROW, "Upsert batch for " + path + " row " + r + " (key " + key(table, boxed(byColumn, r))
                                + ") has a null in NOT NULL column '" + columns.get(c).name() + "'");
                    }
                }
            }
        }
        // the stream reuses its vectors for the next batch: take their buffers over (no copy)
        List<FieldVector> owned = new ArrayList<>(vectors.size());
        for (FieldVector vector : vectors) {
            TransferPair transfer = vector.getTransferPair(allocator);
            transfer.transfer();
            owned.add((FieldVector) transfer.getTo());
        }
        VectorSchemaRoot batch = new VectorSchemaRoot(owned);
        batch.setRowCount(root.getRowCount());
        return new UpsertBatch(batch, target);
    }

    /** A batch of whole rows given as objects in table order (the target columns' values are read). */
    static UpsertBatch of(TableDescriptor table, boolean[] target, List<UpsertOp> ops, List<Object[]> rows, BufferAllocator allocator)
    {
        List<Column> targetColumns = new ArrayList<>();
        for (int c = 0; c < target.length; c++) {
            if (target[c]) {
                targetColumns.add(table.columns().get(c));
            }
        }
        VectorSchemaRoot root = ArrowValues.allocate(ArrowSchemas.toUpsertSchema(targetColumns), rows.size(), allocator);
        List<FieldVector> vectors = root.getFieldVectors();
        for (int r = 0; r < rows.size(); r++) {
            int v = 0;
            for (int c = 0; c < target.length; c++) {
                if (target[c]) {
                    ArrowValues.set(vectors.get(v++), r, rows.get(r)[c]);
                }
            }
            ((TinyIntVector) vectors.get(v)).setSafe(r, ops.get(r).code());
        }
        root.setRowCount(rows.size());
        return new UpsertBatch(root, target);
    }

    int rowCount()
    {
        return root.getRowCount();
    }

    boolean isDelete(int row)
    {
        return ops.get(row) == UpsertOp.DELETE.code();
    }

    /** Whether the row is written only if its key has no row ({@link UpsertOp#INSERT_IF_ABSENT}). */
    boolean isInsertIfAbsent(int row)
    {
        return ops.get(row) == UpsertOp.INSERT_IF_ABSENT.code();
    }

    /**
     * The batch's vector of each table column, for a table of {@code count} columns: a table that
     * has gained columns since the batch was read (columns are only ever added at the end) has
     * untargeted, null ones there.
     */
    FieldVector[] columns(int count)
    {
        checkWidth(count);
        return count == columns.length ? columns : java.util.Arrays.copyOf(columns, count);
    }

    /** Which of {@code count} table columns the writer sets (see {@link #columns}). */
    boolean[] target(int count)
    {
        checkWidth(count);
        return count == target.length ? target : java.util.Arrays.copyOf(target, count);
    }

    private void checkWidth(int count)
    {
        if (count < target.length) {
            throw new IllegalStateException("batch read with " + target.length + " columns is newer than the table's " + count);
        }
    }

    /** Row {@code row}'s target values in table order (null elsewhere), as objects: for routing checks and messages. */
    Object[] boxedRow(int row)
    {
        return boxed(columns, row);
    }

    private static Object[] boxed(FieldVector[] byColumn, int row)
    {
        Object[] values = new Object[byColumn.length];
        for (int c = 0; c < byColumn.length; c++) {
            if (byColumn[c] != null) {
                values[c] = ArrowValues.get(byColumn[c], row);
            }
        }
        return values;
    }

    @Override
    public void close()
    {
        root.close();
    }

    /** The row's key as {@code [name=value, ...]}, for messages. */
    static String key(TableDescriptor table, Object[] row)
    {
        List<String> parts = new ArrayList<>();
        for (String k : table.primaryKey()) {
            parts.add(k + "=" + row[table.columnNames().indexOf(k)]);
        }
        return "[" + String.join(", ", parts) + "]";
    }

    private static InletException invalid(String message)
    {
        return new InletException(InletErrorCode.INVALID_WRITE, message);
    }
}
