/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.storage;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

import static java.util.Objects.requireNonNull;

/**
 * A snapshot of a bucket's {@link WriterStateTable} ({@code <offset>.writers}): the state after
 * every batch below {@code offset}, so that after a restart only the batches from {@code offset}
 * on have to be replayed. The bucket log writes one when it rolls a segment and when it closes,
 * and keeps the newest two.
 *
 * <p>Layout, big-endian:
 * <pre>
 * offset size field
 *      0    2 version       int16  1
 *      2    4 crc           int32  CRC32C of every byte after this field
 *      6    8 offset        int64  the state covers batches below this offset (= the file name)
 *     14    4 writerCount   int32
 *     18      per writer:
 *           8   writerId    int64
 *           2   batchCount  int16  1..5
 *               per batch, oldest first, 28 bytes:
 *           4     sequence         int32
 *           8     baseOffset       int64
 *           8     lastOffset       int64
 *           8     commitTimestamp  int64
 * </pre>
 * Unlike the indexes, a snapshot is not derived from one file, so it carries a version and a CRC.
 * A snapshot that fails either check is deleted by the loader, which falls back to an older one
 * or to replaying the whole log.
 *
 * <p>Stateless; thread-safe.
 */
final class WriterStateSnapshot
{
    static final short VERSION = 1;
    private static final int HEADER_SIZE = 18;
    private static final int WRITER_HEADER_SIZE = 10;
    private static final int BATCH_SIZE = 28;

    private WriterStateSnapshot() {}

    /** Writes the snapshot for {@code offset} atomically (temp file, fsync, rename, fsync of the directory). */
    static Path write(Path dir, long offset, WriterStateTable table)
            throws IOException
    {
        Map<Long, List<WriterStateTable.WriterBatch>> writers = table.writers();
        int size = HEADER_SIZE;
        for (List<WriterStateTable.WriterBatch> batches : writers.values()) {
            size += WRITER_HEADER_SIZE + batches.size() * BATCH_SIZE;
        }
        ByteBuffer buffer = ByteBuffer.allocate(size).order(ByteOrder.BIG_ENDIAN);
        buffer.putShort(VERSION).putInt(0).putLong(offset).putInt(writers.size());
        writers.forEach((writerId, batches) -> {
            buffer.putLong(writerId).putShort((short) batches.size());
            for (WriterStateTable.WriterBatch batch : batches) {
                buffer.putInt(batch.sequence()).putLong(batch.baseOffset()).putLong(batch.lastOffset()).putLong(batch.commitTimestamp());
            }
        });
        buffer.putInt(2, crcOf(buffer));
        Path file = LogFileNames.writerSnapshotFile(dir, offset);
        FileChannels.writeAtomically(file, buffer.rewind());
        return file;
    }

    /**
     * Reads a snapshot into a new table.
     *
     * @throws CorruptLogException naming the file if the version, CRC, offset or structure is wrong
     */
    static WriterStateTable read(Path file, long offset, String bucket)
            throws IOException
    {
        requireNonNull(file, "file is null");
        ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.BIG_ENDIAN);
        if (buffer.remaining() < HEADER_SIZE) {
            throw new CorruptLogException("Writer-state snapshot %s has %d bytes, fewer than its %d-byte header".formatted(file, buffer.remaining(), HEADER_SIZE));
        }
        short version = buffer.getShort(0);
        if (version != VERSION) {
            throw new CorruptLogException("Writer-state snapshot %s has version %d; this server reads version %d".formatted(file, version, VERSION));
        }
        int stored = buffer.getInt(2);
        int computed = crcOf(buffer);
        if (stored != computed) {
            throw new CorruptLogException("Writer-state snapshot %s has a CRC mismatch: stored %08x, computed %08x".formatted(file, stored, computed));
        }
        if (buffer.getLong(6) != offset) {
            throw new CorruptLogException("Writer-state snapshot %s holds the state at offset %d, not %d".formatted(file, buffer.getLong(6), offset));
        }
        WriterStateTable table = new WriterStateTable(bucket);
        try {
            buffer.position(14);
            int writerCount = buffer.getInt();
            for (int i = 0; i < writerCount; i++) {
                long writerId = buffer.getLong();
                int batchCount = buffer.getShort();
                if (batchCount < 1 || batchCount > WriterStateTable.BATCHES_PER_WRITER) {
                    throw new CorruptLogException("Writer-state snapshot %s has %d batches for writer %d".formatted(file, batchCount, writerId));
                }
                for (int j = 0; j < batchCount; j++) {
                    table.record(writerId, buffer.getInt(), buffer.getLong(), buffer.getLong(), buffer.getLong());
                }
            }
        }
        catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new CorruptLogException("Writer-state snapshot %s is malformed: %s".formatted(file, e), e);
        }
        if (buffer.hasRemaining()) {
            throw new CorruptLogException("Writer-state snapshot %s has %d bytes after its last writer".formatted(file, buffer.remaining()));
        }
        return table;
    }

    private static int crcOf(ByteBuffer snapshot)
    {
        CRC32C crc = new CRC32C();
        crc.update(snapshot.slice(6, snapshot.limit() - 6));
        return (int) crc.getValue();
    }
}
