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
import java.util.List;

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
        for (VectorSchemaRoot next = next(); next != null; next = next()) {
            try (VectorSchemaRoot batch = next) {
                List<FieldVector> vectors = batch.getFieldVectors();
                for (int r = 0; r < batch.getRowCount(); r++) {
                    List<Object> row = new ArrayList<>(vectors.size());
                    for (FieldVector v : vectors) {
                        row.add(ArrowValues.get(v, r));
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    @Override
    public void close()
    {
        if (current != null) {
            current.close();
            current = null;
        }
    }
}
