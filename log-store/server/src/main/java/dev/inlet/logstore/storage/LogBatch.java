/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.zip.CRC32C;

import static java.util.Objects.requireNonNull;

/**
 * One batch returned by a read: its decoded header and where its bytes are in a segment file.
 * The payload is not read until asked for, so a server can choose how it moves the bytes:
 * <ul>
 * <li>{@link #transferTo} and {@link #transferPayloadTo} hand the file region to the kernel
 *     ({@code sendfile} on a socket): no copy into the Java heap at all, and no CRC check, which
 *     is then the receiver's job (the CRC is in the header);</li>
 * <li>{@link #readPayloadInto} copies the payload once into a buffer the caller owns, e.g. a
 *     direct Arrow buffer, and checks the CRC;</li>
 * <li>{@link #readPayload} does the same into a new heap buffer.</li>
 * </ul>
 * The region stays valid while the segment exists. Once retention deleted the segment, these
 * methods fail with {@link java.nio.channels.ClosedChannelException}; the reader asks the log
 * again and gets an {@link OffsetOutOfRangeException}.
 *
 * <p>Immutable; thread-safe (reads use positional I/O and do not move the channel).
 */
public final class LogBatch
{
    private final RecordBatchHeader header;
    private final Path file;
    private final FileChannel channel;
    private final long filePosition;

    LogBatch(RecordBatchHeader header, Path file, FileChannel channel, long filePosition)
    {
        this.header = requireNonNull(header, "header is null");
        this.file = requireNonNull(file, "file is null");
        this.channel = requireNonNull(channel, "channel is null");
        this.filePosition = filePosition;
    }

    public RecordBatchHeader header()
    {
        return header;
    }

    public long baseOffset()
    {
        return header.baseOffset();
    }

    public long lastOffset()
    {
        return header.lastOffset();
    }

    /** The segment file that holds the batch. */
    public Path file()
    {
        return file;
    }

    /** Where the batch (its header) starts in {@link #file()}. */
    public long filePosition()
    {
        return filePosition;
    }

    /** Header plus payload. */
    public int sizeInBytes()
    {
        return header.sizeInBytes();
    }

    /** Where the payload starts in {@link #file()}. */
    public long payloadPosition()
    {
        return filePosition + RecordBatch.HEADER_SIZE;
    }

    public int payloadSize()
    {
        return header.payloadSize();
    }

    /**
     * Maps the payload read-only, without reading it: only the pages a reader touches are read
     * from disk (a pruned fetch touches the metadata and the selected columns' buffers). The CRC
     * is not checked, as Kafka does not check it on fetch; {@link #readPayload()} does. The
     * mapping stays valid after the segment is closed or deleted.
     */
    public ByteBuffer mapPayload()
            throws IOException
    {
        return channel.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, payloadPosition(), payloadSize());
    }

    /** Reads the payload into a new heap buffer and checks the batch's CRC. */
    public ByteBuffer readPayload()
            throws IOException
    {
        ByteBuffer payload = ByteBuffer.allocate(payloadSize());
        readPayloadInto(payload);
        return payload.flip();
    }

    /**
     * Copies the payload into {@code destination} at its position, advances the position past it,
     * and checks the batch's CRC.
     *
     * @throws CorruptLogException naming the file and position if the CRC does not match
     */
    public void readPayloadInto(ByteBuffer destination)
            throws IOException
    {
        requireNonNull(destination, "destination is null");
        if (destination.remaining() < payloadSize()) {
            throw new IllegalArgumentException("destination has room for %d bytes, the payload has %d".formatted(destination.remaining(), payloadSize()));
        }
        ByteBuffer region = destination.slice(destination.position(), payloadSize());
        FileChannels.readFully(channel, region, payloadPosition(), file);
        CRC32C crc = RecordBatch.startCrc(header);
        crc.update(region.flip());
        RecordBatch.checkCrc(header, (int) crc.getValue(), file, filePosition);
        destination.position(destination.position() + payloadSize());
    }

    /** Sends the whole batch, header and payload, straight from the file; returns the bytes sent. */
    public long transferTo(WritableByteChannel target)
            throws IOException
    {
        return transfer(filePosition, sizeInBytes(), target);
    }

    /** Sends the payload straight from the file; returns the bytes sent. */
    public long transferPayloadTo(WritableByteChannel target)
            throws IOException
    {
        return transfer(payloadPosition(), payloadSize(), target);
    }

    private long transfer(long position, long count, WritableByteChannel target)
            throws IOException
    {
        requireNonNull(target, "target is null");
        long sent = 0;
        while (sent < count) {
            long n = channel.transferTo(position + sent, count - sent, target);
            if (n <= 0 && channel.size() < position + count) {
                throw new IOException("%s was cut to %d bytes while sending the batch at position %d".formatted(file, channel.size(), filePosition));
            }
            sent += n;
        }
        return sent;
    }

    @Override
    public String toString()
    {
        return "LogBatch[offsets=[%d, %d], file=%s, position=%d, size=%d]".formatted(baseOffset(), lastOffset(), file.getFileName(), filePosition, sizeInBytes());
    }
}
