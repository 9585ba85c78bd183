/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.storage;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.CRC32C;

import static java.util.Objects.requireNonNull;

/**
 * The record-batch format: the unit a bucket log appends, stores and returns. The payload is opaque
 * to the log (the server puts an Arrow IPC record-batch message there); the header carries what
 * the log needs to assign offsets, find batches, detect corruption and deduplicate writers.
 *
 * <p>Layout, big-endian, 47 header bytes followed by the payload:
 * <pre>
 * offset size field
 *      0    8 baseOffset       int64  offset of the first record
 *      8    4 batchLength      int32  bytes after this field (35 + payload size)
 *     12    1 magic            int8   format version, 1
 *     13    4 crc              int32  CRC32C of every byte after this field
 *     17    2 attributes       int16  reserved, 0
 *     19    4 recordCount      int32  records in the batch, &gt;= 0 (0: the batch only records its
 *                                     writer's sequence, e.g. an upsert batch that changed nothing)
 *     23    8 commitTimestamp  int64  epoch ms, set by the server at append
 *     31    4 schemaId         int32  schema of the payload
 *     35    8 writerId         int64  idempotent writer, -1 = none
 *     43    4 writerSequence   int32  writer's batch sequence, -1 = none
 *     47    n payload          bytes  opaque (an Arrow IPC record-batch message)
 * </pre>
 * A batch holds offsets {@code [baseOffset, baseOffset + recordCount)}. As in Kafka, the CRC leaves
 * out baseOffset, batchLength and magic, so the first 13 bytes can be checked on their own
 * (the length must fit the file, the magic must be known) before the checksum is computed.
 *
 * <p>Stateless; thread-safe.
 */
public final class RecordBatch
{
    public static final byte MAGIC = 1;

    public static final int BASE_OFFSET_OFFSET = 0;
    public static final int BATCH_LENGTH_OFFSET = 8;
    public static final int MAGIC_OFFSET = 12;
    public static final int CRC_OFFSET = 13;
    public static final int ATTRIBUTES_OFFSET = 17;
    public static final int RECORD_COUNT_OFFSET = 19;
    public static final int COMMIT_TIMESTAMP_OFFSET = 23;
    public static final int SCHEMA_ID_OFFSET = 31;
    public static final int WRITER_ID_OFFSET = 35;
    public static final int WRITER_SEQUENCE_OFFSET = 43;
    public static final int HEADER_SIZE = 47;

    /** Bytes in front of what batchLength counts: baseOffset and batchLength. */
    public static final int LOG_OVERHEAD = 12;

    public static final long NO_WRITER_ID = -1;
    public static final int NO_WRITER_SEQUENCE = -1;

    /** Default limit on a batch's payload (the header adds {@link #HEADER_SIZE} bytes). */
    public static final int DEFAULT_MAX_BATCH_BYTES = 16 * 1024 * 1024;

    private RecordBatch() {}

    /** Starts encoding a header. */
    public static HeaderBuilder header()
    {
        return new HeaderBuilder();
    }

    /**
     * Decodes the header at the buffer's position without moving it. The buffer must hold at least
     * {@link #HEADER_SIZE} bytes from there. Nothing is validated.
     */
    public static RecordBatchHeader readHeader(ByteBuffer buffer)
    {
        requireNonNull(buffer, "buffer is null");
        if (buffer.remaining() < HEADER_SIZE) {
            throw new IllegalArgumentException("a batch header needs %d bytes, the buffer holds %d".formatted(HEADER_SIZE, buffer.remaining()));
        }
        ByteBuffer b = buffer.duplicate().order(ByteOrder.BIG_ENDIAN);
        int p = b.position();
        return new RecordBatchHeader(
                b.getLong(p + BASE_OFFSET_OFFSET),
                b.getInt(p + BATCH_LENGTH_OFFSET),
                b.get(p + MAGIC_OFFSET),
                b.getInt(p + CRC_OFFSET),
                b.getShort(p + ATTRIBUTES_OFFSET),
                b.getInt(p + RECORD_COUNT_OFFSET),
                b.getLong(p + COMMIT_TIMESTAMP_OFFSET),
                b.getInt(p + SCHEMA_ID_OFFSET),
                b.getLong(p + WRITER_ID_OFFSET),
                b.getInt(p + WRITER_SEQUENCE_OFFSET));
    }

    /**
     * What is structurally wrong with a header read from a file, or empty if nothing is. Checks
     * everything except the CRC: the magic, that the length covers the header and fits in the
     * {@code bytesAvailable} bytes from the batch's start to the end of the file, the record
     * count, and that the offsets do not overflow.
     */
    public static Optional<String> headerProblem(RecordBatchHeader header, long bytesAvailable)
    {
        if (header.magic() != MAGIC) {
            return Optional.of("unknown magic %d (expected %d)".formatted(header.magic(), MAGIC));
        }
        if (header.batchLength() < HEADER_SIZE - LOG_OVERHEAD) {
            return Optional.of("batch length %d is shorter than the header".formatted(header.batchLength()));
        }
        if (header.sizeInBytes() > bytesAvailable) {
            return Optional.of("batch of %d bytes runs past the end of the file (%d bytes left)".formatted(header.sizeInBytes(), bytesAvailable));
        }
        if (header.recordCount() < 0) {
            return Optional.of("record count %d is negative".formatted(header.recordCount()));
        }
        if (header.baseOffset() < 0 || header.baseOffset() > Long.MAX_VALUE - header.recordCount()) {
            return Optional.of("base offset %d with %d records is out of range".formatted(header.baseOffset(), header.recordCount()));
        }
        return Optional.empty();
    }

    /**
     * A CRC32C already fed with the header bytes after the crc field; feed it the payload to get
     * the batch's checksum. Lets a caller check a payload it reads in pieces from a file.
     */
    public static CRC32C startCrc(RecordBatchHeader header)
    {
        ByteBuffer tail = ByteBuffer.allocate(HEADER_SIZE - ATTRIBUTES_OFFSET).order(ByteOrder.BIG_ENDIAN);
        tail.putShort(header.attributes())
                .putInt(header.recordCount())
                .putLong(header.commitTimestamp())
                .putInt(header.schemaId())
                .putLong(header.writerId())
                .putInt(header.writerSequence())
                .flip();
        CRC32C crc = new CRC32C();
        crc.update(tail);
        return crc;
    }

    /**
     * The checksum of a batch with this header and payload, which may come in parts (one after the
     * other, as a gathering write sends them); the buffers' positions are left alone.
     */
    public static int computeCrc(RecordBatchHeader header, ByteBuffer... payload)
    {
        CRC32C crc = startCrc(header);
        for (ByteBuffer part : payload) {
            crc.update(part.duplicate());
        }
        return (int) crc.getValue();
    }

    /** The bytes between position and limit of every part. */
    static long remaining(ByteBuffer... parts)
    {
        long remaining = 0;
        for (ByteBuffer part : parts) {
            remaining += part.remaining();
        }
        return remaining;
    }

    /**
     * Checks the stored CRC against the header and payload.
     *
     * @param file the file the batch was read from, for the message
     * @param position the batch's byte position in that file, for the message
     * @throws CorruptLogException naming the file, position and offset if they differ
     */
    public static void validateCrc(RecordBatchHeader header, ByteBuffer payload, Path file, long position)
    {
        requireNonNull(header, "header is null");
        requireNonNull(payload, "payload is null");
        requireNonNull(file, "file is null");
        if (payload.remaining() != header.payloadSize()) {
            throw new IllegalArgumentException("payload has %d bytes, the header says %d".formatted(payload.remaining(), header.payloadSize()));
        }
        checkCrc(header, computeCrc(header, payload), file, position);
    }

    static void checkCrc(RecordBatchHeader header, int computed, Path file, long position)
    {
        if (computed != header.crc()) {
            throw new CorruptLogException("CRC mismatch in %s at position %d (batch at offset %d): stored %08x, computed %08x".formatted(
                    file, position, header.baseOffset(), header.crc(), computed));
        }
    }

    /**
     * Rejects a batch whose payload is larger than the limit. The limit is on the payload, the
     * part a writer controls (server key {@code log.max-batch.bytes}); the header adds
     * {@link #HEADER_SIZE} bytes on disk.
     *
     * @param bucket names the bucket in the message
     */
    public static void checkPayloadSize(long payloadBytes, int maxBatchBytes, String bucket)
    {
        if (payloadBytes > maxBatchBytes) {
            throw new RecordBatchTooLargeException("Record batch with a payload of %d bytes for bucket %s is larger than the maximum of %d bytes".formatted(
                    payloadBytes, bucket, maxBatchBytes));
        }
    }

    /**
     * Encodes the header of a batch around a payload. The base offset and commit timestamp are
     * the server's to choose, so the header is encoded at append time, when both are known.
     * Not thread-safe; one builder per batch.
     */
    public static final class HeaderBuilder
    {
        private long baseOffset;
        private int recordCount = -1;
        private long commitTimestamp;
        private int schemaId;
        private long writerId = NO_WRITER_ID;
        private int writerSequence = NO_WRITER_SEQUENCE;

        private HeaderBuilder() {}

        public HeaderBuilder baseOffset(long baseOffset)
        {
            if (baseOffset < 0) {
                throw new IllegalArgumentException("baseOffset must not be negative: " + baseOffset);
            }
            this.baseOffset = baseOffset;
            return this;
        }

        public HeaderBuilder recordCount(int recordCount)
        {
            if (recordCount < 0) {
                throw new IllegalArgumentException("recordCount must not be negative: " + recordCount);
            }
            this.recordCount = recordCount;
            return this;
        }

        public HeaderBuilder commitTimestamp(long commitTimestamp)
        {
            this.commitTimestamp = commitTimestamp;
            return this;
        }

        public HeaderBuilder schemaId(int schemaId)
        {
            this.schemaId = schemaId;
            return this;
        }

        /** The idempotent writer and its sequence; both -1 for a batch without a writer. */
        public HeaderBuilder writer(long writerId, int writerSequence)
        {
            if (writerId < NO_WRITER_ID) {
                throw new IllegalArgumentException("writerId must be -1 (none) or non-negative: " + writerId);
            }
            if ((writerId == NO_WRITER_ID) != (writerSequence == NO_WRITER_SEQUENCE) || writerSequence < NO_WRITER_SEQUENCE) {
                throw new IllegalArgumentException("writer %d cannot have sequence %d: a batch without a writer has sequence -1, a writer's sequences are non-negative"
                        .formatted(writerId, writerSequence));
            }
            this.writerId = writerId;
            this.writerSequence = writerSequence;
            return this;
        }

        /**
         * The {@link #HEADER_SIZE}-byte header for this payload, CRC included, ready to be written in
         * front of it. The payload may come in parts, which are then written one after the other.
         * The buffers' positions are left alone.
         */
        public ByteBuffer encodeHeader(ByteBuffer... payload)
        {
            requireNonNull(payload, "payload is null");
            if (recordCount < 0) {
                throw new IllegalStateException("recordCount is not set");
            }
            if (baseOffset > Long.MAX_VALUE - recordCount) {
                throw new IllegalArgumentException("baseOffset %d with %d records overflows".formatted(baseOffset, recordCount));
            }
            long payloadSize = remaining(payload);
            long batchLength = (long) HEADER_SIZE - LOG_OVERHEAD + payloadSize;
            if (batchLength > Integer.MAX_VALUE - LOG_OVERHEAD) {
                throw new IllegalArgumentException("payload of %d bytes is too large for a batch".formatted(payloadSize));
            }
            RecordBatchHeader header = new RecordBatchHeader(baseOffset, (int) batchLength, MAGIC, 0, (short) 0, recordCount, commitTimestamp, schemaId, writerId, writerSequence);
            int crc = computeCrc(header, payload);
            ByteBuffer buffer = ByteBuffer.allocate(HEADER_SIZE).order(ByteOrder.BIG_ENDIAN);
            buffer.putLong(baseOffset)
                    .putInt((int) batchLength)
                    .put(MAGIC)
                    .putInt(crc)
                    .putShort(header.attributes())
                    .putInt(recordCount)
                    .putLong(commitTimestamp)
                    .putInt(schemaId)
                    .putLong(writerId)
                    .putInt(writerSequence)
                    .flip();
            return buffer;
        }

        /** Header and payload in one new heap buffer; for clients and tests, not the append path. */
        public ByteBuffer encode(ByteBuffer payload)
        {
            ByteBuffer header = encodeHeader(payload);
            ByteBuffer batch = ByteBuffer.allocate(header.remaining() + payload.remaining());
            batch.put(header).put(payload.duplicate()).flip();
            return batch;
        }
    }
}
