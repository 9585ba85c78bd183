/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.storage;

/**
 * Where an appended batch went.
 *
 * @param baseOffset the offset of the batch's first record
 * @param lastOffset the offset of its last record
 * @param commitTimestamp the commit timestamp stored in the batch (epoch ms); may be later than
 *     the one asked for, since a bucket log keeps commit timestamps non-decreasing
 * @param duplicate true if an idempotent writer resent a batch the log already held: nothing was
 *     written and the offsets are those of the original
 * @param flushTarget the log's byte count (since it was opened) that must be flushed for this
 *     append to be durable; durability is tracked by bytes, not offsets, because a batch of zero
 *     records (which only carries its writer's sequence) adds bytes but no offset
 */
public record AppendResult(long baseOffset, long lastOffset, long commitTimestamp, boolean duplicate, long flushTarget)
{
    public AppendResult
    {
        if (baseOffset < 0 || lastOffset < baseOffset - 1) {
            throw new IllegalArgumentException("invalid offsets [%d, %d]".formatted(baseOffset, lastOffset));
        }
    }

    public AppendResult(long baseOffset, long lastOffset, long commitTimestamp, boolean duplicate)
    {
        this(baseOffset, lastOffset, commitTimestamp, duplicate, 0);
    }

    /** Where the batch went: offsets, timestamp and duplicate flag; the flush target is one open log's bookkeeping. */
    @Override
    public boolean equals(Object o)
    {
        return o instanceof AppendResult other && baseOffset == other.baseOffset && lastOffset == other.lastOffset
                && commitTimestamp == other.commitTimestamp && duplicate == other.duplicate;
    }

    @Override
    public int hashCode()
    {
        return java.util.Objects.hash(baseOffset, lastOffset, commitTimestamp, duplicate);
    }

    /** The same append, durable once the log has flushed {@code bytes}. */
    public AppendResult withFlushTarget(long bytes)
    {
        return new AppendResult(baseOffset, lastOffset, commitTimestamp, duplicate, bytes);
    }

    /** The records the batch holds; 0 for a batch that only records its writer's sequence. */
    public int recordCount()
    {
        return (int) (lastOffset - baseOffset + 1);
    }

    /** The offset after the batch. */
    public long nextOffset()
    {
        return lastOffset + 1;
    }
}
