/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union.read;

import org.apache.arrow.vector.VectorSchemaRoot;

/** At most {@code limit} rows of a source; it is not read further once they are out. */
public final class LimitedSource
        implements BatchSource
{
    private final BatchSource source;
    private long remaining;

    public LimitedSource(BatchSource source, long limit)
    {
        this.source = source;
        this.remaining = limit;
    }

    @Override
    public VectorSchemaRoot next()
    {
        if (remaining <= 0) {
            return null;
        }
        VectorSchemaRoot batch = source.next();
        if (batch == null) {
            return null;
        }
        if (batch.getRowCount() > remaining) {
            batch.setRowCount((int) remaining);
        }
        remaining -= batch.getRowCount();
        return batch;
    }

    @Override
    public void close()
    {
        source.close();
    }
}
