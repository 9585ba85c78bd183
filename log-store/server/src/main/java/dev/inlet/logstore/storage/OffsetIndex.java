/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The sparse offset index of one segment ({@code .index}): maps the base offset of some batches
 * to their byte position in the {@code .log} file, so that a read finds its batch with a binary
 * search and a short forward scan instead of scanning the whole segment.
 *
 * <p>Layout: a sequence of 8-byte big-endian entries, no header.
 * <pre>
 * offset size field
 *      0    4 relativeOffset  int32  batch base offset minus the segment's base offset
 *      4    4 position        int32  byte position of that batch in the .log file
 * </pre>
 * Both fields strictly increase from entry to entry. The segment adds an entry in front of a batch
 * once at least {@code indexIntervalBytes} have been written since the previous entry (or since
 * the start of the segment); the first batch, at position 0, is never indexed. The same rule is
 * applied when the index is rebuilt, so a rebuilt index has the same bytes as the original.
 *
 * <p>Thread safety: see {@link AbstractIndex}.
 */
final class OffsetIndex
        extends AbstractIndex
{
    static final int ENTRY_SIZE = 8;

    /** An offset and the byte position of the batch that starts at it. */
    record OffsetPosition(long offset, int position) {}

    private volatile OffsetPosition lastEntry;

    OffsetIndex(Path file, long baseOffset)
            throws IOException
    {
        super(file, baseOffset, ENTRY_SIZE);
        this.lastEntry = entries() == 0 ? new OffsetPosition(baseOffset, 0) : entry(entries() - 1);
    }

    /** Entry {@code n}, as an absolute offset. */
    OffsetPosition entry(int n)
            throws IOException
    {
        ByteBuffer buffer = readEntry(n);
        return new OffsetPosition(baseOffset() + buffer.getInt(), buffer.getInt());
    }

    /** The last entry, or (base offset, 0) when the index is empty. */
    OffsetPosition lastEntry()
    {
        return lastEntry;
    }

    void append(long offset, int position)
            throws IOException
    {
        OffsetPosition last = lastEntry;
        if (entries() > 0 && (offset <= last.offset() || position <= last.position())) {
            throw new IllegalArgumentException("index entry (%d, %d) does not follow (%d, %d) in %s".formatted(offset, position, last.offset(), last.position(), file()));
        }
        if (position <= 0) {
            throw new IllegalArgumentException("index entry position must be positive: " + position);
        }
        ByteBuffer entry = newEntryBuffer();
        entry.putInt(relativeOffset(offset)).putInt(position).flip();
        appendEntry(entry);
        lastEntry = new OffsetPosition(offset, position);
    }

    /**
     * The last entry whose offset is at most {@code targetOffset}, or (base offset, 0) if there
     * is none: the place to start scanning for the batch that holds the target.
     */
    OffsetPosition lookup(long targetOffset)
            throws IOException
    {
        int n = lastEntryAtOrBelow(targetOffset, i -> entry(i).offset());
        return n < 0 ? new OffsetPosition(baseOffset(), 0) : entry(n);
    }

    /** Removes every entry whose offset is at least {@code offset}. */
    void truncateTo(long offset)
            throws IOException
    {
        int keep = offset <= baseOffset() ? 0 : lastEntryAtOrBelow(offset - 1, i -> entry(i).offset()) + 1;
        truncateToEntries(keep);
        lastEntry = keep == 0 ? new OffsetPosition(baseOffset(), 0) : entry(keep - 1);
    }

    @Override
    public void reset()
            throws IOException
    {
        super.reset();
        lastEntry = new OffsetPosition(baseOffset(), 0);
    }

    /**
     * Cheap checks that the index fits its log file, as Kafka does them: whole entries, a first
     * entry inside the segment, a last entry that points into the file. The segment additionally
     * checks that the last entry points at a batch starting at that offset.
     */
    void sanityCheck(long logSizeInBytes)
            throws IOException
    {
        checkWholeEntries();
        if (entries() == 0) {
            return;
        }
        OffsetPosition first = entry(0);
        OffsetPosition last = lastEntry;
        if (first.offset() <= baseOffset() || first.position() <= 0) {
            throw new CorruptIndexException("Index %s starts with entry (%d, %d), which is not after the segment's first batch at (%d, 0)".formatted(
                    file(), first.offset(), first.position(), baseOffset()));
        }
        if (last.offset() < first.offset() || last.position() < first.position()) {
            throw new CorruptIndexException("Index %s ends with entry (%d, %d), which is before its first entry (%d, %d)".formatted(
                    file(), last.offset(), last.position(), first.offset(), first.position()));
        }
        if (last.position() >= logSizeInBytes) {
            throw new CorruptIndexException("Index %s has an entry for position %d, beyond the end of the %d-byte log".formatted(
                    file(), last.position(), logSizeInBytes));
        }
    }
}
