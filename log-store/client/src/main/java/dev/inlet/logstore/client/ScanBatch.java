/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.client;

import dev.inlet.logstore.arrow.ArrowValues;
import org.apache.arrow.vector.FieldVector;
import dev.inlet.logstore.arrow.ArrowSchemas;
import dev.inlet.logstore.protocol.ChangeType;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Rows of one bucket read by a {@link LogScanner}: an Arrow batch whose row {@code i} has offset
 * {@code baseOffset + i}. The caller owns the batch and closes it.
 *
 * @param partition the partition's name; empty if unpartitioned
 * @param bucket the bucket
 * @param baseOffset the first row's offset
 * @param commitTimestamp when the server appended the rows
 * @param root the rows, with the scanned columns
 */
public record ScanBatch(String partition, int bucket, long baseOffset, long commitTimestamp, VectorSchemaRoot root)
        implements AutoCloseable
{
    public ScanBatch
    {
        requireNonNull(partition, "partition is null");
        requireNonNull(root, "root is null");
    }

    public int rowCount()
    {
        return root.getRowCount();
    }

    /**
     * What row {@code index} is: {@code +I}, {@code -U}, {@code +U} or {@code -D} in a primary-key
     * table's changelog (its {@code _change_type} column), {@code +A} in a log table.
     */
    public ChangeType changeType(int index)
    {
        FieldVector changeType = root.getVector(ArrowSchemas.CHANGE_TYPE_COLUMN);
        return changeType == null ? ChangeType.APPEND : ChangeType.fromCode(((org.apache.arrow.vector.TinyIntVector) changeType).get(index));
    }

    /**
     * The rows as arrays of Java values (the convenience path; it boxes every value), without the
     * {@code _change_type} column (see {@link #changeType}).
     */
    public List<Object[]> rows()
    {
        List<Object[]> rows = new ArrayList<>(root.getRowCount());
        List<FieldVector> vectors = root.getFieldVectors().stream().filter(v -> !v.getName().equals(ArrowSchemas.CHANGE_TYPE_COLUMN)).toList();
        for (int r = 0; r < root.getRowCount(); r++) {
            Object[] row = new Object[vectors.size()];
            for (int c = 0; c < row.length; c++) {
                row[c] = ArrowValues.get(vectors.get(c), r);
            }
            rows.add(row);
        }
        return rows;
    }

    @Override
    public void close()
    {
        root.close();
    }
}
