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
 */
public record AppendResult(long baseOffset, long lastOffset, long commitTimestamp, boolean duplicate)
{
    public AppendResult
    {
        if (baseOffset < 0 || lastOffset < baseOffset) {
            throw new IllegalArgumentException("invalid offsets [%d, %d]".formatted(baseOffset, lastOffset));
        }
    }

    /** The offset after the batch. */
    public long nextOffset()
    {
        return lastOffset + 1;
    }
}
