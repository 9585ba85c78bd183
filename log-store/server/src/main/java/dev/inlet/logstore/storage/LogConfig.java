/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.storage;

import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * How one bucket log is laid out, made durable and retained. Immutable; the server maps its
 * configuration keys onto this record.
 *
 * @param segmentBytes roll to a new segment before the active one would grow beyond this size
 *     (default 256 MiB); a single batch larger than this still gets a segment of its own
 * @param segmentMs roll to a new segment when the next batch's commit timestamp is at least this
 *     long after the first batch of the active segment (default 7 days)
 * @param indexIntervalBytes add an offset- and time-index entry each time at least this many
 *     bytes were appended since the previous entry (default 4096)
 * @param maxBatchBytes the largest payload a batch may carry (default 16 MiB); the header adds
 *     {@value RecordBatch#HEADER_SIZE} bytes on disk
 * @param flushPolicy when an append is durable (default {@link FlushPolicy#FSYNC})
 * @param flushIntervalMs for {@link FlushPolicy#INTERVAL}: how often to fsync (default 1000 ms)
 * @param retentionMs delete closed segments whose newest batch is older than this; -1 keeps them
 *     (default 7 days)
 * @param retentionBytes delete the oldest closed segments that lie beyond the newest
 *     {@code retentionBytes} of the log; -1 for no limit (default)
 */
public record LogConfig(
        int segmentBytes,
        long segmentMs,
        int indexIntervalBytes,
        int maxBatchBytes,
        FlushPolicy flushPolicy,
        long flushIntervalMs,
        long retentionMs,
        long retentionBytes)
{
    public static final int DEFAULT_SEGMENT_BYTES = 256 * 1024 * 1024;
    public static final long DEFAULT_SEGMENT_MS = TimeUnit.DAYS.toMillis(7);
    public static final int DEFAULT_INDEX_INTERVAL_BYTES = 4096;
    public static final int DEFAULT_MAX_BATCH_BYTES = RecordBatch.DEFAULT_MAX_BATCH_BYTES;
    public static final FlushPolicy DEFAULT_FLUSH_POLICY = FlushPolicy.FSYNC;
    public static final long DEFAULT_FLUSH_INTERVAL_MS = 1000;
    public static final long DEFAULT_RETENTION_MS = TimeUnit.DAYS.toMillis(7);
    public static final long DEFAULT_RETENTION_BYTES = -1;

    public static final LogConfig DEFAULT = new LogConfig(
            DEFAULT_SEGMENT_BYTES,
            DEFAULT_SEGMENT_MS,
            DEFAULT_INDEX_INTERVAL_BYTES,
            DEFAULT_MAX_BATCH_BYTES,
            DEFAULT_FLUSH_POLICY,
            DEFAULT_FLUSH_INTERVAL_MS,
            DEFAULT_RETENTION_MS,
            DEFAULT_RETENTION_BYTES);

    public LogConfig
    {
        requireNonNull(flushPolicy, "flushPolicy is null");
        checkPositive("segmentBytes", segmentBytes);
        checkPositive("segmentMs", segmentMs);
        checkPositive("indexIntervalBytes", indexIntervalBytes);
        if (maxBatchBytes < 0 || maxBatchBytes > Integer.MAX_VALUE - RecordBatch.HEADER_SIZE) {
            throw new IllegalArgumentException("maxBatchBytes must be between 0 and %d: %d".formatted(Integer.MAX_VALUE - RecordBatch.HEADER_SIZE, maxBatchBytes));
        }
        checkPositive("flushIntervalMs", flushIntervalMs);
        if (retentionMs < -1) {
            throw new IllegalArgumentException("retentionMs must be -1 (unlimited) or non-negative: " + retentionMs);
        }
        if (retentionBytes < -1) {
            throw new IllegalArgumentException("retentionBytes must be -1 (unlimited) or non-negative: " + retentionBytes);
        }
    }

    public LogConfig withSegmentBytes(int segmentBytes)
    {
        return new LogConfig(segmentBytes, segmentMs, indexIntervalBytes, maxBatchBytes, flushPolicy, flushIntervalMs, retentionMs, retentionBytes);
    }

    public LogConfig withSegmentMs(long segmentMs)
    {
        return new LogConfig(segmentBytes, segmentMs, indexIntervalBytes, maxBatchBytes, flushPolicy, flushIntervalMs, retentionMs, retentionBytes);
    }

    public LogConfig withIndexIntervalBytes(int indexIntervalBytes)
    {
        return new LogConfig(segmentBytes, segmentMs, indexIntervalBytes, maxBatchBytes, flushPolicy, flushIntervalMs, retentionMs, retentionBytes);
    }

    public LogConfig withMaxBatchBytes(int maxBatchBytes)
    {
        return new LogConfig(segmentBytes, segmentMs, indexIntervalBytes, maxBatchBytes, flushPolicy, flushIntervalMs, retentionMs, retentionBytes);
    }

    public LogConfig withFlushPolicy(FlushPolicy flushPolicy)
    {
        return new LogConfig(segmentBytes, segmentMs, indexIntervalBytes, maxBatchBytes, flushPolicy, flushIntervalMs, retentionMs, retentionBytes);
    }

    public LogConfig withFlushIntervalMs(long flushIntervalMs)
    {
        return new LogConfig(segmentBytes, segmentMs, indexIntervalBytes, maxBatchBytes, flushPolicy, flushIntervalMs, retentionMs, retentionBytes);
    }

    public LogConfig withRetentionMs(long retentionMs)
    {
        return new LogConfig(segmentBytes, segmentMs, indexIntervalBytes, maxBatchBytes, flushPolicy, flushIntervalMs, retentionMs, retentionBytes);
    }

    public LogConfig withRetentionBytes(long retentionBytes)
    {
        return new LogConfig(segmentBytes, segmentMs, indexIntervalBytes, maxBatchBytes, flushPolicy, flushIntervalMs, retentionMs, retentionBytes);
    }

    private static void checkPositive(String name, long value)
    {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
