/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static java.util.Objects.requireNonNull;

/**
 * What the offset and time indexes share: a file of fixed-size entries, sorted, appended at the
 * end and cut from the end. The file is exactly {@code entries * entrySize} bytes long (it is not
 * preallocated), and entries are read with positional reads rather than kept in memory, so that
 * thousands of closed segments cost no heap.
 *
 * <p>An index is derived data. It is never repaired in place: if {@code sanityCheck} finds it
 * wrong, the segment rebuilds it from the {@code .log} file.
 *
 * <p>Thread safety: one thread appends and truncates (the segment's owner, under the bucket
 * log's lock); any number of threads may look up concurrently. An entry is written before the
 * entry count that makes it visible is published.
 */
abstract class AbstractIndex
        implements Closeable
{
    private final Path file;
    private final long baseOffset;
    private final int entrySize;
    private final boolean existed;
    private final FileChannel channel;
    private volatile int entries;

    protected AbstractIndex(Path file, long baseOffset, int entrySize)
            throws IOException
    {
        this.file = requireNonNull(file, "file is null");
        this.baseOffset = baseOffset;
        this.entrySize = entrySize;
        this.existed = Files.exists(file);
        this.channel = FileChannel.open(file, CREATE, READ, WRITE);
        // A torn trailing entry is not counted; sanityCheck reports it.
        this.entries = (int) (channel.size() / entrySize);
    }

    public Path file()
    {
        return file;
    }

    public long baseOffset()
    {
        return baseOffset;
    }

    public int entries()
    {
        return entries;
    }

    /** Whether the file was there when the index was opened (a missing index needs a rebuild). */
    public boolean existed()
    {
        return existed;
    }

    public long sizeInBytes()
            throws IOException
    {
        return channel.size();
    }

    /** Removes every entry. */
    public void reset()
            throws IOException
    {
        truncateToEntries(0);
    }

    public void flush()
            throws IOException
    {
        channel.force(true);
    }

    @Override
    public void close()
            throws IOException
    {
        channel.close();
    }

    protected int relativeOffset(long offset)
    {
        long relative = offset - baseOffset;
        if (relative < 0 || relative > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("offset %d cannot be stored relative to base offset %d in %s".formatted(offset, baseOffset, file));
        }
        return (int) relative;
    }

    protected ByteBuffer newEntryBuffer()
    {
        return ByteBuffer.allocate(entrySize).order(ByteOrder.BIG_ENDIAN);
    }

    /** Reads entry {@code n}; the buffer is flipped, ready to read. */
    protected ByteBuffer readEntry(int n)
            throws IOException
    {
        ByteBuffer buffer = newEntryBuffer();
        long position = (long) n * entrySize;
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new CorruptIndexException("Index %s ends inside entry %d".formatted(file, n));
            }
        }
        return buffer.flip();
    }

    /** Writes an entry at the end, then makes it visible. */
    protected void appendEntry(ByteBuffer entry)
            throws IOException
    {
        int n = entries;
        long position = (long) n * entrySize;
        while (entry.hasRemaining()) {
            channel.write(entry, position + entry.position());
        }
        entries = n + 1;
    }

    protected void truncateToEntries(int n)
            throws IOException
    {
        entries = Math.min(entries, n);
        channel.truncate((long) n * entrySize);
        entries = n;
    }

    /**
     * The index of the last entry whose key is at most {@code target}, or -1 if there is none.
     * Keys must not decrease.
     */
    protected int lastEntryAtOrBelow(long target, EntryKey keyOfEntry)
            throws IOException
    {
        int low = 0;
        int high = entries - 1;
        int found = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (keyOfEntry.keyOf(mid) <= target) {
                found = mid;
                low = mid + 1;
            }
            else {
                high = mid - 1;
            }
        }
        return found;
    }

    /** Problems every index can have: a torn last entry. */
    protected void checkWholeEntries()
            throws IOException
    {
        long size = channel.size();
        if (size % entrySize != 0) {
            throw new CorruptIndexException("Index %s has size %d, which is not a multiple of the entry size %d".formatted(file, size, entrySize));
        }
    }

    /** The sort key of entry {@code n}. */
    @FunctionalInterface
    protected interface EntryKey
    {
        long keyOf(int n)
                throws IOException;
    }

    @Override
    public String toString()
    {
        return file.toString();
    }
}
