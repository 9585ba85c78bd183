/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The sparse time index of one segment ({@code .timeindex}): maps commit timestamps to the batch
 * where they occur, so that {@code offsetForTimestamp} needs a binary search and a short scan.
 *
 * <p>Layout: a sequence of 12-byte big-endian entries, no header.
 * <pre>
 * offset size field
 *      0    8 timestamp       int64  commit timestamp (epoch ms) of the batch
 *      8    4 relativeOffset  int32  its base offset minus the segment's base offset
 * </pre>
 * Both fields strictly increase from entry to entry. The segment adds a time entry at the same
 * batches as the offset index, skipping it when the timestamp did not grow. Since a bucket log
 * keeps commit timestamps non-decreasing, every batch before an entry's offset has a timestamp
 * at most the entry's.
 *
 * <p>Thread safety: see {@link AbstractIndex}.
 */
final class TimeIndex
        extends AbstractIndex
{
    static final int ENTRY_SIZE = 12;

    /** A timestamp and the base offset of the batch that has it. */
    record TimestampOffset(long timestamp, long offset) {}

    private volatile Optional<TimestampOffset> lastEntry;

    TimeIndex(Path file, long baseOffset)
            throws IOException
    {
        super(file, baseOffset, ENTRY_SIZE);
        this.lastEntry = entries() == 0 ? Optional.empty() : Optional.of(entry(entries() - 1));
    }

    TimestampOffset entry(int n)
            throws IOException
    {
        ByteBuffer buffer = readEntry(n);
        long timestamp = buffer.getLong();
        return new TimestampOffset(timestamp, baseOffset() + buffer.getInt());
    }

    Optional<TimestampOffset> lastEntry()
    {
        return lastEntry;
    }

    /** Adds an entry unless the timestamp does not exceed the last entry's; returns whether it did. */
    boolean maybeAppend(long timestamp, long offset)
            throws IOException
    {
        Optional<TimestampOffset> last = lastEntry;
        if (last.isPresent() && (timestamp <= last.get().timestamp() || offset <= last.get().offset())) {
            return false;
        }
        ByteBuffer entry = newEntryBuffer();
        entry.putLong(timestamp).putInt(relativeOffset(offset)).flip();
        appendEntry(entry);
        lastEntry = Optional.of(new TimestampOffset(timestamp, offset));
        return true;
    }

    /**
     * The last entry whose timestamp is below {@code timestamp}, if any. Every batch up to and
     * including that entry's offset is older than {@code timestamp}, so a search for the first
     * batch at or after it can start there.
     */
    Optional<TimestampOffset> lastEntryBefore(long timestamp)
            throws IOException
    {
        if (timestamp == Long.MIN_VALUE) {
            return Optional.empty();
        }
        int n = lastEntryAtOrBelow(timestamp - 1, i -> entry(i).timestamp());
        return n < 0 ? Optional.empty() : Optional.of(entry(n));
    }

    /** Removes every entry whose offset is at least {@code offset}. */
    void truncateTo(long offset)
            throws IOException
    {
        int keep = offset <= baseOffset() ? 0 : lastEntryAtOrBelow(offset - 1, i -> entry(i).offset()) + 1;
        truncateToEntries(keep);
        lastEntry = keep == 0 ? Optional.empty() : Optional.of(entry(keep - 1));
    }

    @Override
    public void reset()
            throws IOException
    {
        super.reset();
        lastEntry = Optional.empty();
    }

    /**
     * Checks that the index fits its segment: whole entries, and a last entry for a batch the
     * segment holds with a timestamp it has seen.
     *
     * @param nextOffset the segment's next offset
     * @param largestTimestamp the segment's largest commit timestamp
     */
    void sanityCheck(long nextOffset, long largestTimestamp)
            throws IOException
    {
        checkWholeEntries();
        Optional<TimestampOffset> last = lastEntry;
        if (last.isEmpty()) {
            return;
        }
        if (last.get().offset() >= nextOffset) {
            throw new CorruptIndexException("Time index %s has an entry for offset %d, but the segment ends before offset %d".formatted(
                    file(), last.get().offset(), nextOffset));
        }
        if (last.get().timestamp() > largestTimestamp) {
            throw new CorruptIndexException("Time index %s has an entry with timestamp %d, later than the segment's last batch at %d".formatted(
                    file(), last.get().timestamp(), largestTimestamp));
        }
    }
}
