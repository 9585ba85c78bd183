/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union.filter;

import dev.inlet.logstore.arrow.ArrowValues;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.List;

/**
 * A {@link Filter} bound to one Arrow batch: tests its rows one by one (the residual filter, for
 * the rows no pruning could exclude). A column the batch lacks (added to the table after the
 * batch was written) reads as null.
 */
public final class ArrowRowFilter
{
    private final List<ColumnPredicate> predicates;
    private final FieldVector[] vectors;

    public ArrowRowFilter(Filter filter, VectorSchemaRoot root)
    {
        this.predicates = filter.conjuncts();
        this.vectors = new FieldVector[predicates.size()];
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = root.getVector(predicates.get(i).column());
        }
    }

    public boolean test(int row)
    {
        for (int i = 0; i < vectors.length; i++) {
            Object value = vectors[i] == null ? null : ArrowValues.get(vectors[i], row);
            if (!predicates.get(i).test(value)) {
                return false;
            }
        }
        return true;
    }
}
