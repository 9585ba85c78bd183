/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union.read;

import dev.inlet.logstore.arrow.ArrowValues;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.TransferPair;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects rows of source batches (lake or hot, whose vectors have the output's Arrow types) into
 * output batches of the scan's columns, in the scan's order. Source columns the output does not
 * want are left behind; output columns a source lacks (added to the table after the source was
 * written) are null.
 */
public final class BatchBuilder
        implements AutoCloseable
{
    private final Schema schema;
    private final BufferAllocator allocator;
    private final int batchRows;
    private VectorSchemaRoot current;
    private int rows;
    // a whole source batch that moved here without a copy, handed out before anything else
    private VectorSchemaRoot ready;

    public BatchBuilder(Schema schema, BufferAllocator allocator, int batchRows)
    {
        this.schema = schema;
        this.allocator = allocator;
        this.batchRows = batchRows;
    }

    public Schema schema()
    {
        return schema;
    }

    /**
     * Appends rows {@code selected[0..count)} (increasing) of {@code source}. When they are all its
     * rows and nothing is collected yet, its buffers move to the output instead (the source's
     * other columns stay with it).
     */
    public void append(VectorSchemaRoot source, int[] selected, int count)
    {
        if (count == 0) {
            return;
        }
        if (ready == null && isEmpty() && count == source.getRowCount() && selected[count - 1] == count - 1) {
            ready = transferAll(source);
            if (ready != null) {
                return;
            }
        }
        if (current == null) {
            current = ArrowValues.allocate(schema, batchRows, allocator);
            rows = 0;
        }
        List<FieldVector> out = current.getFieldVectors();
        for (FieldVector target : out) {
            FieldVector from = source.getVector(target.getName());
            int at = rows;
            if (from == null) {
                for (int i = 0; i < count; i++) {
                    target.setNull(at + i);
                }
                continue;
            }
            for (int i = 0; i < count; i++) {
                target.copyFromSafe(selected[i], at + i, from);
            }
        }
        rows += count;
        current.setRowCount(rows);
    }

    public boolean full()
    {
        return ready != null || (current != null && rows >= batchRows);
    }

    public boolean isEmpty()
    {
        return ready == null && (current == null || rows == 0);
    }

    /** The batch collected so far (the caller owns it), or null if none. */
    public VectorSchemaRoot take()
    {
        if (ready != null) {
            VectorSchemaRoot batch = ready;
            ready = null;
            return batch;
        }
        VectorSchemaRoot batch = current;
        current = null;
        rows = 0;
        return batch;
    }

    /**
     * All rows of {@code source} as an output batch without copying values, if its vectors hold
     * every output column: their buffers move to the result, and {@code source} keeps the rest.
     * Null if a column is missing.
     */
    public VectorSchemaRoot transferAll(VectorSchemaRoot source)
    {
        for (var field : schema.getFields()) {
            FieldVector from = source.getVector(field.getName());
            if (from == null || !from.getField().getType().equals(field.getType())) {
                return null;
            }
        }
        List<FieldVector> vectors = new ArrayList<>();
        for (var field : schema.getFields()) {
            FieldVector from = source.getVector(field.getName());
            TransferPair transfer = from.getTransferPair(allocator);
            transfer.transfer();
            vectors.add((FieldVector) transfer.getTo());
        }
        return new VectorSchemaRoot(schema, vectors, source.getRowCount());
    }

    @Override
    public void close()
    {
        if (ready != null) {
            ready.close();
            ready = null;
        }
        if (current != null) {
            current.close();
            current = null;
        }
    }
}
