/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.storage;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestRecordBatch
{
    private static final Path FILE = Path.of("/data/t/0/00000000000000000000.log");

    static ByteBuffer payload(int size, int seed)
    {
        ByteBuffer payload = ByteBuffer.allocate(size);
        for (int i = 0; i < size; i++) {
            payload.put((byte) (seed * 31 + i * 7));
        }
        return payload.flip();
    }

    private static RecordBatch.HeaderBuilder sampleHeader()
    {
        return RecordBatch.header()
                .baseOffset(1234)
                .recordCount(3)
                .commitTimestamp(1_750_000_000_123L)
                .schemaId(7)
                .writer(42, 9);
    }

    @Test
    void encodesAndDecodesEveryField()
    {
        ByteBuffer payload = payload(100, 1);
        ByteBuffer batch = sampleHeader().encode(payload);

        assertThat(payload.position()).isZero();
        assertThat(batch.remaining()).isEqualTo(147);
        RecordBatchHeader header = RecordBatch.readHeader(batch);
        assertThat(header).isEqualTo(new RecordBatchHeader(1234, 135, (byte) 1, header.crc(), (short) 0, 3, 1_750_000_000_123L, 7, 42, 9));
        assertThat(header.lastOffset()).isEqualTo(1236);
        assertThat(header.nextOffset()).isEqualTo(1237);
        assertThat(header.sizeInBytes()).isEqualTo(147);
        assertThat(header.payloadSize()).isEqualTo(100);
        assertThat(header.hasWriter()).isTrue();
        assertThat(batch.slice(47, 100)).isEqualTo(payload);
        RecordBatch.validateCrc(header, batch.slice(47, 100), FILE, 0);
    }

    @Test
    void layoutIsPinned()
    {
        ByteBuffer batch = sampleHeader().encode(payload(5, 2));

        assertThat(batch.getLong(0)).isEqualTo(1234);
        assertThat(batch.getInt(8)).isEqualTo(40);
        assertThat(batch.get(12)).isEqualTo((byte) 1);
        assertThat(batch.getShort(17)).isEqualTo((short) 0);
        assertThat(batch.getInt(19)).isEqualTo(3);
        assertThat(batch.getLong(23)).isEqualTo(1_750_000_000_123L);
        assertThat(batch.getInt(31)).isEqualTo(7);
        assertThat(batch.getLong(35)).isEqualTo(42);
        assertThat(batch.getInt(43)).isEqualTo(9);
        // the CRC covers every byte after the crc field, computed here independently of the encoder
        CRC32C crc = new CRC32C();
        crc.update(batch.slice(17, batch.remaining() - 17));
        assertThat(batch.getInt(13)).isEqualTo((int) crc.getValue());
    }

    @Test
    void batchWithoutWriter()
    {
        RecordBatchHeader header = RecordBatch.readHeader(RecordBatch.header().recordCount(1).encodeHeader(ByteBuffer.allocate(0)));
        assertThat(header.writerId()).isEqualTo(-1);
        assertThat(header.writerSequence()).isEqualTo(-1);
        assertThat(header.hasWriter()).isFalse();
        assertThat(header.payloadSize()).isZero();
    }

    @Test
    void crcMismatchNamesFileAndPosition()
    {
        ByteBuffer batch = sampleHeader().encode(payload(100, 1));
        RecordBatchHeader header = RecordBatch.readHeader(batch);
        ByteBuffer damaged = batch.slice(47, 100);
        damaged.put(50, (byte) (damaged.get(50) ^ 0x10));
        int computed = RecordBatch.computeCrc(header, damaged);

        assertThatThrownBy(() -> RecordBatch.validateCrc(header, damaged, FILE, 8192))
                .isInstanceOfSatisfying(CorruptLogException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.CORRUPT_LOG))
                .hasMessage("CRC mismatch in /data/t/0/00000000000000000000.log at position 8192 (batch at offset 1234): stored %08x, computed %08x"
                        .formatted(header.crc(), computed));
    }

    @Test
    void headerFieldsAreCoveredByTheCrc()
    {
        ByteBuffer batch = sampleHeader().encode(payload(10, 3));
        batch.putInt(43, 10);
        RecordBatchHeader header = RecordBatch.readHeader(batch);
        assertThatThrownBy(() -> RecordBatch.validateCrc(header, batch.slice(47, 10), FILE, 0))
                .isInstanceOf(CorruptLogException.class);
    }

    @Test
    void headerProblems()
    {
        RecordBatchHeader good = RecordBatch.readHeader(sampleHeader().encode(payload(10, 3)));
        assertThat(RecordBatch.headerProblem(good, 57)).isEmpty();
        assertThat(RecordBatch.headerProblem(good, 56)).contains("batch of 57 bytes runs past the end of the file (56 bytes left)");
        assertThat(RecordBatch.headerProblem(withMagic(good, (byte) 2), 57)).contains("unknown magic 2 (expected 1)");
        assertThat(RecordBatch.headerProblem(withLength(good, 34), 57)).contains("batch length 34 is shorter than the header");
        assertThat(RecordBatch.headerProblem(withCount(good, 0), 57)).isEmpty(); // only a writer's sequence
        assertThat(RecordBatch.headerProblem(withCount(good, -1), 57)).contains("record count -1 is negative");
    }

    @Test
    void maxBatchSize()
    {
        RecordBatch.checkPayloadSize(16 * 1024 * 1024, RecordBatch.DEFAULT_MAX_BATCH_BYTES, "orders/0");
        assertThatThrownBy(() -> RecordBatch.checkPayloadSize(16 * 1024 * 1024 + 1, RecordBatch.DEFAULT_MAX_BATCH_BYTES, "orders/0"))
                .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.BATCH_TOO_LARGE))
                .hasMessage("Record batch with a payload of 16777217 bytes for bucket orders/0 is larger than the maximum of 16777216 bytes");
    }

    @Test
    void builderRejectsInconsistentWriterFields()
    {
        assertThatThrownBy(() -> RecordBatch.header().writer(-1, 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("writer -1 cannot have sequence 5: a batch without a writer has sequence -1, a writer's sequences are non-negative");
        assertThatThrownBy(() -> RecordBatch.header().writer(3, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RecordBatch.header().recordCount(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RecordBatch.header().encodeHeader(ByteBuffer.allocate(0)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("recordCount is not set");
    }

    private static RecordBatchHeader withMagic(RecordBatchHeader h, byte magic)
    {
        return new RecordBatchHeader(h.baseOffset(), h.batchLength(), magic, h.crc(), h.attributes(), h.recordCount(), h.commitTimestamp(), h.schemaId(), h.writerId(), h.writerSequence());
    }

    private static RecordBatchHeader withLength(RecordBatchHeader h, int batchLength)
    {
        return new RecordBatchHeader(h.baseOffset(), batchLength, h.magic(), h.crc(), h.attributes(), h.recordCount(), h.commitTimestamp(), h.schemaId(), h.writerId(), h.writerSequence());
    }

    private static RecordBatchHeader withCount(RecordBatchHeader h, int recordCount)
    {
        return new RecordBatchHeader(h.baseOffset(), h.batchLength(), h.magic(), h.crc(), h.attributes(), recordCount, h.commitTimestamp(), h.schemaId(), h.writerId(), h.writerSequence());
    }
}
