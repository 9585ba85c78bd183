/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union;

import dev.inlet.logstore.arrow.ArrowValues;
import dev.inlet.union.plan.ScanPlan;
import dev.inlet.union.plan.Split;
import dev.inlet.union.read.BatchSource;
import dev.inlet.union.read.ReadStats;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The rows of one plan, split after split, as Arrow batches (which the caller closes) or, the
 * convenience path that boxes every value, as rows. The plan's limit holds across splits.
 */
public final class UnionScan
        implements BatchSource
{
    private final UnionReader reader;
    private final ScanPlan plan;
    private final ReadStats stats = new ReadStats();
    private int nextSplit;
    private BatchSource current;
    private long remaining;
    // the batch a row iterator is on, released by close()
    private VectorSchemaRoot held;

    UnionScan(UnionReader reader, ScanPlan plan)
    {
        this.reader = reader;
        this.plan = plan;
        this.remaining = plan.scan().limit() < 0 ? Long.MAX_VALUE : plan.scan().limit();
    }

    public ScanPlan plan()
    {
        return plan;
    }

    public ReadStats stats()
    {
        return stats;
    }

    @Override
    public VectorSchemaRoot next()
    {
        while (remaining > 0) {
            if (current == null) {
                if (nextSplit == plan.splits().size()) {
                    return null;
                }
                Split split = plan.splits().get(nextSplit++);
                current = reader.open(split, stats);
            }
            VectorSchemaRoot batch = current.next();
            if (batch == null) {
                current.close();
                current = null;
                continue;
            }
            if (batch.getRowCount() > remaining) {
                batch.setRowCount((int) remaining);
            }
            remaining -= batch.getRowCount();
            return batch;
        }
        return null;
    }

    /** Every remaining row, as Java values in the scan's column order. */
    public List<List<Object>> rows()
    {
        List<List<Object>> rows = new ArrayList<>();
        rowIterator().forEachRemaining(rows::add);
        return rows;
    }

    /**
     * The remaining rows one at a time, as Java values in the scan's column order; one batch is
     * held at a time. Closing the scan releases it.
     */
    public Iterator<List<Object>> rowIterator()
    {
        return new Iterator<>()
        {
            private VectorSchemaRoot batch;
            private int row;

            @Override
            public boolean hasNext()
            {
                while (batch == null || row == batch.getRowCount()) {
                    if (batch != null) {
                        batch.close();
                        held = null;
                    }
                    batch = UnionScan.this.next();
                    held = batch;
                    row = 0;
                    if (batch == null) {
                        return false;
                    }
                }
                return true;
            }

            @Override
            public List<Object> next()
            {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                List<FieldVector> vectors = batch.getFieldVectors();
                List<Object> values = new ArrayList<>(vectors.size());
                for (FieldVector v : vectors) {
                    values.add(ArrowValues.get(v, row));
                }
                row++;
                return values;
            }
        };
    }

    @Override
    public void close()
    {
        if (held != null) {
            held.close();
            held = null;
        }
        if (current != null) {
            current.close();
            current = null;
        }
    }
}
