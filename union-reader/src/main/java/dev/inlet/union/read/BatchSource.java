/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union.read;

import org.apache.arrow.vector.VectorSchemaRoot;

/** A stream of Arrow batches. Not thread-safe. */
public interface BatchSource
        extends AutoCloseable
{
    /** The next batch, which the caller owns and closes, or null at the end. */
    VectorSchemaRoot next();

    @Override
    void close();
}
