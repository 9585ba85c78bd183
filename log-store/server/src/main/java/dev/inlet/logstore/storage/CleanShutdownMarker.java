/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The clean-shutdown marker ({@code clean-shutdown}): written by {@code BucketLog.close()} after
 * the last fsync, deleted by the loader before the log takes appends again. If it is there at
 * startup and still describes the active segment, the log stopped cleanly and nothing needs
 * recovering; otherwise the active segment is recovered.
 *
 * <p>The marker records the active segment's size because deleting the marker at startup is only
 * durable once the directory is fsynced. Should a crash bring back a deleted marker, the segment
 * has grown since, the size no longer matches, and the log is recovered anyway.
 *
 * <p>Layout, big-endian, 30 bytes:
 * <pre>
 * offset size field
 *      0    2 version               int16  1
 *      2    4 crc                   int32  CRC32C of the bytes after this field
 *      6    8 endOffset             int64  the log's end offset at close
 *     14    8 activeSegmentBase     int64  base offset of the active segment
 *     22    8 activeSegmentBytes    int64  size of its .log file
 * </pre>
 *
 * @param endOffset the log's end offset at close
 * @param activeSegmentBase base offset of the active segment
 * @param activeSegmentBytes size of the active segment's {@code .log} file
 */
record CleanShutdownMarker(long endOffset, long activeSegmentBase, long activeSegmentBytes)
{
    static final short VERSION = 1;
    private static final int SIZE = 30;

    void write(Path dir)
            throws IOException
    {
        ByteBuffer buffer = ByteBuffer.allocate(SIZE).order(ByteOrder.BIG_ENDIAN);
        buffer.putShort(VERSION).putInt(0).putLong(endOffset).putLong(activeSegmentBase).putLong(activeSegmentBytes);
        buffer.putInt(2, crcOf(buffer));
        FileChannels.writeAtomically(LogFileNames.cleanShutdownFile(dir), buffer.rewind());
    }

    /**
     * The marker in {@code dir}, or empty if there is none.
     *
     * @throws CorruptLogException naming the file if it is there but damaged
     */
    static Optional<CleanShutdownMarker> read(Path dir)
            throws IOException
    {
        Path file = LogFileNames.cleanShutdownFile(dir);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        }
        catch (NoSuchFileException e) {
            return Optional.empty();
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        if (bytes.length != SIZE || buffer.getShort(0) != VERSION || buffer.getInt(2) != crcOf(buffer)) {
            throw new CorruptLogException("Clean-shutdown marker %s is damaged (%d bytes)".formatted(file, bytes.length));
        }
        return Optional.of(new CleanShutdownMarker(buffer.getLong(6), buffer.getLong(14), buffer.getLong(22)));
    }

    /** Deletes the marker durably. */
    static void delete(Path dir)
            throws IOException
    {
        if (Files.deleteIfExists(LogFileNames.cleanShutdownFile(dir))) {
            FileChannels.fsyncDirectory(dir);
        }
    }

    private static int crcOf(ByteBuffer buffer)
    {
        CRC32C crc = new CRC32C();
        crc.update(buffer.slice(6, buffer.limit() - 6));
        return (int) crc.getValue();
    }
}
