/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.storage;

/**
 * The decoded header of one record batch; see {@link RecordBatch} for the byte layout. A header
 * read from disk is not yet known to be valid: {@link RecordBatch#headerProblem} checks its
 * structure and {@link RecordBatch#validateCrc} its checksum.
 *
 * @param baseOffset the offset of the batch's first record
 * @param batchLength the number of bytes after the length field: the rest of the header plus the
 *     payload
 * @param magic the format version, {@link RecordBatch#MAGIC}
 * @param crc the CRC32C stored in the batch
 * @param attributes reserved flags, 0 for now
 * @param recordCount how many records the batch holds; its offsets are
 *     {@code [baseOffset, baseOffset + recordCount)}
 * @param commitTimestamp when the server appended the batch, in epoch milliseconds
 * @param schemaId the table schema the payload was written with
 * @param writerId the idempotent writer that sent the batch, or {@link RecordBatch#NO_WRITER_ID}
 * @param writerSequence the writer's sequence number for the batch, or
 *     {@link RecordBatch#NO_WRITER_SEQUENCE}
 */
public record RecordBatchHeader(
        long baseOffset,
        int batchLength,
        byte magic,
        int crc,
        short attributes,
        int recordCount,
        long commitTimestamp,
        int schemaId,
        long writerId,
        int writerSequence)
{
    /** The offset of the batch's last record; {@code baseOffset - 1} for a batch of zero records. */
    public long lastOffset()
    {
        return baseOffset + recordCount - 1;
    }

    /** The offset that follows the batch: its base offset plus its record count. */
    public long nextOffset()
    {
        return baseOffset + recordCount;
    }

    /** The batch's size on disk: header plus payload. */
    public int sizeInBytes()
    {
        return RecordBatch.LOG_OVERHEAD + batchLength;
    }

    /** The size of the payload that follows the header. */
    public int payloadSize()
    {
        return batchLength - (RecordBatch.HEADER_SIZE - RecordBatch.LOG_OVERHEAD);
    }

    public boolean hasWriter()
    {
        return writerId != RecordBatch.NO_WRITER_ID;
    }
}
