/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.storage;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What {@link BucketLog#read} returned, and the log's bounds at the time of the read.
 *
 * @param batches whole batches in offset order; the first may start before the requested offset
 *     (the reader skips the records before it)
 * @param earliestOffset the log's earliest offset
 * @param highWatermark the end of what readers may see: offsets below it are acknowledged
 * @param endOffset the next offset the log will assign
 */
public record LogReadResult(List<LogBatch> batches, long earliestOffset, long highWatermark, long endOffset)
{
    public LogReadResult
    {
        batches = List.copyOf(requireNonNull(batches, "batches is null"));
    }

    public boolean isEmpty()
    {
        return batches.isEmpty();
    }

    /** Bytes of all batches, headers included. */
    public long sizeInBytes()
    {
        long size = 0;
        for (LogBatch batch : batches) {
            size += batch.sizeInBytes();
        }
        return size;
    }
}
