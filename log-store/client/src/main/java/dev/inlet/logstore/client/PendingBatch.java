/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.client;

import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A sealed batch on its way to the server, kept (with its Arrow buffers) until acknowledged so
 * that it can be resent with the same sequence after a failure.
 *
 * @param rowFutures one per row, in row order
 * @param upsert whether the rows are upserts and deletes (acknowledged with the log end offset, not one offset each)
 */
record PendingBatch(String partition, int bucket, int sequence, ArrowRecordBatch batch, List<CompletableFuture<AppendResult>> rowFutures, boolean upsert)
{
    long bytes()
    {
        return batch.computeBodyLength();
    }

    int rows()
    {
        return rowFutures.size();
    }
}
