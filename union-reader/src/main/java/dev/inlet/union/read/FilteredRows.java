/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union.read;

import dev.inlet.union.filter.ArrowRowFilter;
import dev.inlet.union.filter.Filter;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A log table's rows from one source (a lake task or a hot range), with the residual filter
 * applied and only the scan's columns kept. A batch whose rows all pass and that holds every
 * output column moves its buffers to the output instead of copying values.
 */
final class FilteredRows
        implements BatchSource
{
    /** Rows {@code [first, last)} of a batch the source hands over; closing it releases the batch. */
    interface Window
            extends AutoCloseable
    {
        VectorSchemaRoot root();

        int first();

        int last();

        @Override
        void close();
    }

    /** A source of windows, null at the end. */
    interface Windows
            extends AutoCloseable
    {
        Window next();

        @Override
        void close();
    }

    private final Windows source;
    private final Filter residual;
    private final BatchBuilder out;
    private int[] selection = new int[1024];

    FilteredRows(Windows source, Filter residual, BatchBuilder out)
    {
        this.source = source;
        this.residual = residual;
        this.out = out;
    }

    @Override
    public VectorSchemaRoot next()
    {
        while (!out.full()) {
            Window window = source.next();
            if (window == null) {
                return out.isEmpty() ? null : out.take();
            }
            try (window) {
                VectorSchemaRoot root = window.root();
                if (residual.acceptsAll() && window.first() == 0 && window.last() == root.getRowCount() && out.isEmpty()) {
                    VectorSchemaRoot moved = out.transferAll(root);
                    if (moved != null) {
                        return moved;
                    }
                }
                ArrowRowFilter filter = new ArrowRowFilter(residual, root);
                if (selection.length < root.getRowCount()) {
                    selection = new int[root.getRowCount()];
                }
                int n = 0;
                for (int r = window.first(); r < window.last(); r++) {
                    if (filter.test(r)) {
                        selection[n++] = r;
                    }
                }
                out.append(root, selection, n);
            }
        }
        return out.take();
    }

    @Override
    public void close()
    {
        source.close();
        out.close();
    }
}
