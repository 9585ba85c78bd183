/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.client;

import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;

import java.util.List;

/**
 * A sealed batch on its way to the server, kept (with its Arrow buffers) until acknowledged so
 * that it can be resent with the same sequence after a failure.
 *
 * @param rows the batch's row count
 * @param waiters who waits for the rows, in row order; their row counts add up to {@code rows}
 * @param upsert whether the rows are upserts and deletes, whose changelog has no row per written
 *     row: each waiter learns where the log ends after the batch instead
 */
record PendingBatch(String partition, int bucket, int sequence, ArrowRecordBatch batch, int rows, List<RowWaiter> waiters, boolean upsert)
{
    long bytes()
    {
        return batch.computeBodyLength();
    }

    void acknowledged(String partition, int bucket, long baseOffset, long lastOffset)
    {
        if (upsert) {
            waiters.forEach(w -> w.acknowledged(partition, bucket, lastOffset + 1));
            return;
        }
        long offset = baseOffset;
        for (RowWaiter waiter : waiters) {
            waiter.acknowledged(partition, bucket, offset);
            offset += waiter.rows();
        }
    }

    void failed(Throwable cause)
    {
        waiters.forEach(w -> w.failed(cause));
    }
}
