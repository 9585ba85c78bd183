/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union.lake;

import org.apache.arrow.vector.VectorSchemaRoot;

/** Reads one lake task as Arrow batches. Not thread-safe. */
public interface LakeBatchReader
        extends AutoCloseable
{
    /** The next batch, which the caller owns and closes, or null at the end. */
    VectorSchemaRoot next();

    /** Data files opened so far. */
    int filesRead();

    /** Whether the files are decoded column by column into Arrow (no row objects in between). */
    default boolean columnar()
    {
        return false;
    }

    @Override
    void close();
}
