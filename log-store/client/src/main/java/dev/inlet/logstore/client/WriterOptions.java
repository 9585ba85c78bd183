/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link AppendWriter} batches and retries.
 *
 * @param batchRows send a bucket's batch once it holds this many rows
 * @param batchBytes ... or this many bytes (estimated from the Arrow buffers)
 * @param linger ... or once its first row has waited this long
 * @param maxInFlightBytes appends block while this many bytes are sent but not acknowledged
 *     (backpressure when the server is slower than the producer)
 * @param idempotent give the writer an id and sequence numbers, so that a batch retried after a
 *     failure is stored once
 * @param retries how often a failed stream is reopened (unacknowledged batches are resent)
 * @param ackTimeout a stream that acknowledges nothing for this long is treated as lost
 */
public record WriterOptions(int batchRows, long batchBytes, Duration linger, long maxInFlightBytes, boolean idempotent, int retries, Duration ackTimeout)
{
    public WriterOptions
    {
        Objects.requireNonNull(linger, "linger is null");
        Objects.requireNonNull(ackTimeout, "ackTimeout is null");
        if (batchRows < 1 || batchBytes < 1 || maxInFlightBytes < 1 || retries < 0) {
            throw new IllegalArgumentException("writer options must be positive: " + batchRows + ", " + batchBytes + ", " + maxInFlightBytes + ", " + retries);
        }
    }

    public static WriterOptions defaults()
    {
        return new WriterOptions(10_000, 1L << 20, Duration.ofMillis(20), 64L << 20, true, 5, Duration.ofSeconds(30));
    }

    public WriterOptions withBatchRows(int rows)
    {
        return new WriterOptions(rows, batchBytes, linger, maxInFlightBytes, idempotent, retries, ackTimeout);
    }

    public WriterOptions withLinger(Duration value)
    {
        return new WriterOptions(batchRows, batchBytes, value, maxInFlightBytes, idempotent, retries, ackTimeout);
    }

    public WriterOptions withAckTimeout(Duration value)
    {
        return new WriterOptions(batchRows, batchBytes, linger, maxInFlightBytes, idempotent, retries, value);
    }

    public WriterOptions withMaxInFlightBytes(long value)
    {
        return new WriterOptions(batchRows, batchBytes, linger, value, idempotent, retries, ackTimeout);
    }
}
