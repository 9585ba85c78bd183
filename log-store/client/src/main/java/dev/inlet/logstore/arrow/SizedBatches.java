/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.arrow;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

import java.util.List;

/**
 * Allocates a reader's successive batches of one schema, each variable-width vector (strings,
 * bytes) sized for what its column took in the previous batch. Arrow's default is a few bytes a
 * value; a string column of hundreds of bytes a value then grows by doubling, and every doubling
 * copies and zeroes the buffer (a quarter of a Parquet string column's decoding time). Not
 * thread-safe: one per reader.
 */
public final class SizedBatches
{
    private final Schema schema;
    private final BufferAllocator allocator;
    // bytes a value of each column took in the last batch; 0 until one was seen
    private final double[] bytesPerValue;

    public SizedBatches(Schema schema, BufferAllocator allocator)
    {
        this.schema = schema;
        this.allocator = allocator;
        this.bytesPerValue = new double[schema.getFields().size()];
    }

    /** A new batch with room for {@code rows} rows (the caller owns it). */
    public VectorSchemaRoot allocate(int rows)
    {
        VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
        List<FieldVector> vectors = root.getFieldVectors();
        for (int c = 0; c < vectors.size(); c++) {
            FieldVector vector = vectors.get(c);
            if (vector instanceof BaseVariableWidthVector variable && bytesPerValue[c] > 0) {
                // a little more than the last batch, so that a similar batch does not grow once
                variable.setInitialCapacity(Math.max(rows, 1), bytesPerValue[c] * 1.1 + 1);
            }
            else {
                vector.setInitialCapacity(Math.max(rows, 1));
            }
            vector.allocateNew();
        }
        return root;
    }

    /** Learns the sizes of a filled batch of this schema (its row count set) for the next one. */
    public void filled(VectorSchemaRoot root)
    {
        int rows = root.getRowCount();
        if (rows == 0) {
            return;
        }
        List<FieldVector> vectors = root.getFieldVectors();
        for (int c = 0; c < vectors.size(); c++) {
            if (vectors.get(c) instanceof BaseVariableWidthVector variable) {
                bytesPerValue[c] = (double) variable.getEndOffset(rows - 1) / rows;
            }
        }
    }
}
