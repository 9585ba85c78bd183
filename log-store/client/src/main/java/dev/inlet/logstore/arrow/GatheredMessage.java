/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.arrow;

import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;

import java.nio.ByteBuffer;

import static java.util.Objects.requireNonNull;

/**
 * An encapsulated Arrow IPC record batch message as a list of buffers to write one after the
 * other (a gathering write), instead of one buffer holding a copy of every byte: the prefix and
 * metadata in a small heap buffer, then views of the vectors' own Arrow buffers, with zero padding
 * between them. Written out in order, the parts are exactly the bytes {@link ArrowIpc#serialize}
 * produces for the same root.
 *
 * <p>The views point into the vectors' memory, which this object keeps referenced until
 * {@link #close()}; write the parts before closing it. Each call to {@link #parts()} returns new
 * views, so a write that moves their positions does not disturb another one. Not thread-safe.
 */
public final class GatheredMessage
        implements AutoCloseable
{
    private final ArrowRecordBatch batch;
    private final ByteBuffer[] parts;
    private final long size;
    private boolean closed;

    GatheredMessage(ArrowRecordBatch batch, ByteBuffer[] parts, long size)
    {
        this.batch = requireNonNull(batch, "batch is null");
        this.parts = requireNonNull(parts, "parts is null");
        this.size = size;
    }

    /** The message's bytes, in order; fresh views, each positioned at its first byte. */
    public ByteBuffer[] parts()
    {
        if (closed) {
            throw new IllegalStateException("the message is closed: its buffers may be gone");
        }
        ByteBuffer[] views = new ByteBuffer[parts.length];
        for (int i = 0; i < parts.length; i++) {
            views[i] = parts[i].duplicate();
        }
        return views;
    }

    /** The message's size in bytes: the sum of the parts' remaining bytes. */
    public long size()
    {
        return size;
    }

    /** The batch's row count. */
    public int rowCount()
    {
        return batch.getLength();
    }

    /** Releases the references to the vectors' buffers. */
    @Override
    public void close()
    {
        if (!closed) {
            closed = true;
            batch.close();
        }
    }
}
