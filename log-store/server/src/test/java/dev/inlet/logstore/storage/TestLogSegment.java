/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static dev.inlet.logstore.storage.TestRecordBatch.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestLogSegment
{
    private static final long BASE = 100;
    private static final long T0 = 1_750_000_000_000L;

    @TempDir
    Path dir;

    /** Appends batches of 3 records with payloads of 20, 21, 22, ... bytes; returns their headers. */
    private static List<RecordBatchHeader> appendBatches(LogSegment segment, int count)
            throws IOException
    {
        List<RecordBatchHeader> headers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            headers.add(append(segment, 3, T0 + i, payload(20 + i, i)));
        }
        return headers;
    }

    private static RecordBatchHeader append(LogSegment segment, int records, long timestamp, ByteBuffer payload)
            throws IOException
    {
        ByteBuffer header = RecordBatch.header()
                .baseOffset(segment.nextOffset())
                .recordCount(records)
                .commitTimestamp(timestamp)
                .schemaId(1)
                .encodeHeader(payload);
        RecordBatchHeader decoded = RecordBatch.readHeader(header);
        segment.append(decoded, header, payload);
        return decoded;
    }

    private static LogConfig config(int indexIntervalBytes)
    {
        return LogConfig.DEFAULT.withIndexIntervalBytes(indexIntervalBytes);
    }

    private static long positionOf(List<RecordBatchHeader> headers, int batch)
    {
        long position = 0;
        for (int i = 0; i < batch; i++) {
            position += headers.get(i).sizeInBytes();
        }
        return position;
    }

    @Test
    void appendsAndReadsBatches()
            throws IOException
    {
        try (LogSegment segment = LogSegment.create(dir, BASE, config(4096))) {
            List<RecordBatchHeader> headers = appendBatches(segment, 5);

            assertThat(segment.nextOffset()).isEqualTo(115);
            assertThat(segment.sizeInBytes()).isEqualTo(5 * 47 + 20 + 21 + 22 + 23 + 24);
            assertThat(segment.firstTimestamp()).isEqualTo(T0);
            assertThat(segment.largestTimestamp()).isEqualTo(T0 + 4);

            List<LogBatch> all = segment.read(BASE, Long.MAX_VALUE, Long.MAX_VALUE, true);
            assertThat(all).extracting(LogBatch::header).containsExactlyElementsOf(headers);
            for (int i = 0; i < 5; i++) {
                assertThat(all.get(i).filePosition()).isEqualTo(positionOf(headers, i));
                assertThat(all.get(i).readPayload()).isEqualTo(payload(20 + i, i));
            }

            // offset 107 is the middle record of the third batch [106, 108]
            assertThat(segment.read(107, Long.MAX_VALUE, Long.MAX_VALUE, true)).extracting(LogBatch::baseOffset).containsExactly(106L, 109L, 112L);
            // the upper bound excludes batches starting at or after it
            assertThat(segment.read(100, 109, Long.MAX_VALUE, true)).extracting(LogBatch::baseOffset).containsExactly(100L, 103L, 106L);
            // maxBytes: two batches fit in 140 bytes (67 + 68), the third would not
            assertThat(segment.read(100, Long.MAX_VALUE, 140, true)).extracting(LogBatch::baseOffset).containsExactly(100L, 103L);
            // at least one batch even if it alone is larger
            assertThat(segment.read(100, Long.MAX_VALUE, 10, true)).extracting(LogBatch::baseOffset).containsExactly(100L);
            assertThat(segment.read(100, Long.MAX_VALUE, 10, false)).isEmpty();
            assertThat(segment.read(115, Long.MAX_VALUE, Long.MAX_VALUE, true)).isEmpty();
        }
    }

    @Test
    void indexHasAnEntryEveryIntervalAndLookupsUseIt()
            throws IOException
    {
        // batches of 67..(67 + n) bytes; with a 100-byte interval every second batch is indexed
        try (LogSegment segment = LogSegment.create(dir, BASE, config(100))) {
            List<RecordBatchHeader> headers = appendBatches(segment, 9);

            OffsetIndex index = segment.offsetIndex();
            assertThat(index.entries()).isEqualTo(4);
            assertThat(index.entry(0)).isEqualTo(new OffsetIndex.OffsetPosition(106, (int) positionOf(headers, 2)));
            assertThat(index.entry(3)).isEqualTo(new OffsetIndex.OffsetPosition(124, (int) positionOf(headers, 8)));
            assertThat(Files.size(index.file())).isEqualTo(4 * 8);
            assertThat(index.lookup(105)).isEqualTo(new OffsetIndex.OffsetPosition(100, 0));
            assertThat(index.lookup(113)).isEqualTo(new OffsetIndex.OffsetPosition(112, (int) positionOf(headers, 4)));
            assertThat(segment.timeIndex().entries()).isEqualTo(4);
            assertThat(segment.timeIndex().entry(1)).isEqualTo(new TimeIndex.TimestampOffset(T0 + 4, 112));

            for (long offset = BASE; offset < segment.nextOffset(); offset++) {
                LogBatch batch = segment.read(offset, Long.MAX_VALUE, 1, true).getFirst();
                assertThat(batch.baseOffset()).isEqualTo(BASE + (offset - BASE) / 3 * 3);
            }
            assertThat(segment.offsetForTimestamp(T0 + 5, Long.MAX_VALUE)).hasValue(115);
            assertThat(segment.offsetForTimestamp(T0 - 1, Long.MAX_VALUE)).hasValue(100);
            assertThat(segment.offsetForTimestamp(T0 + 9, Long.MAX_VALUE)).isEmpty();
            assertThat(segment.offsetForTimestamp(T0 + 5, 115)).isEmpty();
        }
    }

    @Test
    void rollsOnSizeAndAge()
            throws IOException
    {
        LogConfig config = LogConfig.DEFAULT.withSegmentBytes(200).withSegmentMs(1000);
        try (LogSegment segment = LogSegment.create(dir, BASE, config)) {
            assertThat(segment.shouldRoll(10_000, T0 + 1_000_000, BASE)).as("an empty segment takes any batch").isFalse();
            append(segment, 1, T0, payload(53, 0));
            assertThat(segment.sizeInBytes()).isEqualTo(100);
            assertThat(segment.shouldRoll(100, T0, BASE + 1)).isFalse();
            assertThat(segment.shouldRoll(101, T0, BASE + 1)).isTrue();
            assertThat(segment.shouldRoll(50, T0 + 999, BASE + 1)).isFalse();
            assertThat(segment.shouldRoll(50, T0 + 1000, BASE + 1)).isTrue();
            assertThat(segment.shouldRoll(50, T0, BASE + Integer.MAX_VALUE + 1L)).as("relative offsets are int32").isTrue();
        }
    }

    @Test
    void recoverCutsGarbageAtTheTailAndKeepsEveryBatch()
            throws IOException
    {
        byte[] index;
        byte[] timeIndex;
        List<RecordBatchHeader> headers;
        try (LogSegment segment = LogSegment.create(dir, BASE, config(100))) {
            headers = appendBatches(segment, 7);
            index = Files.readAllBytes(segment.offsetIndex().file());
            timeIndex = Files.readAllBytes(segment.timeIndex().file());
        }
        long validSize = Files.size(LogFileNames.logFile(dir, BASE));
        Files.write(LogFileNames.logFile(dir, BASE), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}, StandardOpenOption.APPEND);
        // the indexes are derived data: damage them too, recovery rebuilds them
        Files.write(LogFileNames.offsetIndexFile(dir, BASE), new byte[] {-1, -1, -1}, StandardOpenOption.APPEND);

        try (LogSegment segment = LogSegment.open(dir, BASE, config(100))) {
            assertThat(segment.recover()).isEqualTo(13);
            assertThat(Files.size(LogFileNames.logFile(dir, BASE))).isEqualTo(validSize);
            assertThat(segment.nextOffset()).isEqualTo(121);
            assertThat(segment.read(BASE, Long.MAX_VALUE, Long.MAX_VALUE, true)).extracting(LogBatch::header).containsExactlyElementsOf(headers);
            assertThat(Files.readAllBytes(segment.offsetIndex().file())).isEqualTo(index);
            assertThat(Files.readAllBytes(segment.timeIndex().file())).isEqualTo(timeIndex);
            // appending continues where the valid data ended, with the same index rule
            append(segment, 2, T0 + 7, payload(27, 7));
            assertThat(segment.nextOffset()).isEqualTo(123);
        }
    }

    @Test
    void recoverCutsAHalfWrittenBatch()
            throws IOException
    {
        try (LogSegment segment = LogSegment.create(dir, BASE, config(100))) {
            appendBatches(segment, 4);
        }
        ByteBuffer torn = RecordBatch.header().baseOffset(112).recordCount(3).commitTimestamp(T0 + 4).encode(payload(300, 9));
        byte[] half = new byte[torn.remaining() / 2];
        torn.get(half);
        Files.write(LogFileNames.logFile(dir, BASE), half, StandardOpenOption.APPEND);

        try (LogSegment segment = LogSegment.open(dir, BASE, config(100))) {
            assertThat(segment.recover()).isEqualTo(173);
            assertThat(segment.nextOffset()).isEqualTo(112);
            assertThat(segment.read(BASE, Long.MAX_VALUE, Long.MAX_VALUE, true)).hasSize(4);
        }
    }

    @Test
    void recoverCutsFromTheFirstBatchWithABadCrc()
            throws IOException
    {
        List<RecordBatchHeader> headers;
        try (LogSegment segment = LogSegment.create(dir, BASE, config(100))) {
            headers = appendBatches(segment, 6);
        }
        long position = positionOf(headers, 4);
        flipByte(LogFileNames.logFile(dir, BASE), position + 50);

        try (LogSegment segment = LogSegment.open(dir, BASE, config(100))) {
            assertThat(segment.recover()).isEqualTo(headers.get(4).sizeInBytes() + headers.get(5).sizeInBytes());
            assertThat(segment.nextOffset()).isEqualTo(112);
            assertThat(segment.sizeInBytes()).isEqualTo(position);
        }
    }

    @Test
    void recoverOfAnEmptyOrAllGarbageFile()
            throws IOException
    {
        LogSegment.create(dir, BASE, config(100)).close();
        Files.write(LogFileNames.logFile(dir, BASE), new byte[100]);
        try (LogSegment segment = LogSegment.open(dir, BASE, config(100))) {
            assertThat(segment.recover()).isEqualTo(100);
            assertThat(segment.nextOffset()).isEqualTo(BASE);
            assertThat(segment.isEmpty()).isTrue();
            assertThat(segment.firstTimestamp()).isEqualTo(LogSegment.NO_TIMESTAMP);
            append(segment, 1, T0, payload(1, 1));
            assertThat(segment.nextOffset()).isEqualTo(BASE + 1);
        }
    }

    @Test
    void loadTrustsAClosedSegmentAndFindsItsEnd()
            throws IOException
    {
        try (LogSegment segment = LogSegment.create(dir, BASE, config(100))) {
            appendBatches(segment, 9);
        }
        try (LogSegment segment = LogSegment.open(dir, BASE, config(100))) {
            segment.load();
            assertThat(segment.nextOffset()).isEqualTo(127);
            assertThat(segment.firstTimestamp()).isEqualTo(T0);
            assertThat(segment.largestTimestamp()).isEqualTo(T0 + 8);
            byte[] index = Files.readAllBytes(segment.offsetIndex().file());
            // the index interval restarts where it left off: the entry for batch 10 lands where it would have
            append(segment, 3, T0 + 9, payload(29, 9));
            append(segment, 3, T0 + 10, payload(30, 10));
            assertThat(segment.offsetIndex().entries()).isEqualTo(5);
            assertThat(Files.readAllBytes(segment.offsetIndex().file())).startsWith(index);
        }
    }

    @Test
    void corruptIndexIsDetectedAndRebuilt()
            throws IOException
    {
        byte[] index;
        try (LogSegment segment = LogSegment.create(dir, BASE, config(100))) {
            appendBatches(segment, 9);
            index = Files.readAllBytes(segment.offsetIndex().file());
        }
        Path indexFile = LogFileNames.offsetIndexFile(dir, BASE);
        // a whole entry that points into the middle of a batch
        byte[] bad = index.clone();
        bad[bad.length - 1]++;
        Files.write(indexFile, bad);

        try (LogSegment segment = LogSegment.open(dir, BASE, config(100))) {
            int position = ByteBuffer.wrap(index).getInt(index.length - 4);
            assertThatThrownBy(segment::load)
                    .isInstanceOf(CorruptIndexException.class)
                    .hasMessage("Index %s maps offset 124 to position %d, where the batch starts at offset %d".formatted(
                            indexFile, position + 1, readLong(LogFileNames.logFile(dir, BASE), position + 1)));
        }
        try (LogSegment segment = LogSegment.open(dir, BASE, config(100))) {
            segment.rebuildIndexes();
            assertThat(Files.readAllBytes(indexFile)).isEqualTo(index);
            assertThat(segment.nextOffset()).isEqualTo(127);
        }

        // a torn entry, and a missing time index
        Files.write(indexFile, new byte[] {0, 0, 0});
        Files.delete(LogFileNames.timeIndexFile(dir, BASE));
        try (LogSegment segment = LogSegment.open(dir, BASE, config(100))) {
            assertThatThrownBy(segment::load)
                    .isInstanceOf(CorruptIndexException.class)
                    .hasMessage("Segment %s is missing its time index".formatted(LogFileNames.logFile(dir, BASE)));
        }
        Files.write(LogFileNames.timeIndexFile(dir, BASE), new byte[0]);
        try (LogSegment segment = LogSegment.open(dir, BASE, config(100))) {
            assertThatThrownBy(segment::load)
                    .isInstanceOf(CorruptIndexException.class)
                    .hasMessage("Index %s has size 3, which is not a multiple of the entry size 8".formatted(indexFile));
        }
        try (LogSegment segment = LogSegment.open(dir, BASE, config(100))) {
            segment.rebuildIndexes();
            assertThat(Files.readAllBytes(indexFile)).isEqualTo(index);
            segment.verify();
        }
    }

    @Test
    void corruptionInTheMiddleOfAClosedSegmentIsReported()
            throws IOException
    {
        List<RecordBatchHeader> headers;
        try (LogSegment segment = LogSegment.create(dir, BASE, config(100_000))) {
            headers = appendBatches(segment, 6);
        }
        Path logFile = LogFileNames.logFile(dir, BASE);
        long position = positionOf(headers, 2);
        flipByte(logFile, position + RecordBatch.HEADER_SIZE + 5);
        ByteBuffer damagedPayload = payload(22, 2);
        damagedPayload.put(5, (byte) (damagedPayload.get(5) ^ 0x01));
        int computed = RecordBatch.computeCrc(headers.get(2), damagedPayload);
        String crcProblem = "CRC mismatch in batch at offset 106: stored %08x, computed %08x".formatted(headers.get(2).crc(), computed);

        try (LogSegment segment = LogSegment.open(dir, BASE, config(100_000))) {
            // the headers are intact, so the cheap load does not notice; verify and payload reads do
            segment.load();
            assertThatThrownBy(segment::verify)
                    .isInstanceOf(CorruptLogException.class)
                    .hasMessage("Corrupt batch in %s at position %d: %s".formatted(logFile, position, crcProblem));
            LogBatch batch = segment.read(107, Long.MAX_VALUE, 1, true).getFirst();
            assertThatThrownBy(batch::readPayload)
                    .isInstanceOf(CorruptLogException.class)
                    .hasMessage("CRC mismatch in %s at position %d (batch at offset 106): stored %08x, computed %08x".formatted(logFile, position, headers.get(2).crc(), computed));
        }
        try (LogSegment segment = LogSegment.open(dir, BASE, config(100_000))) {
            assertThatThrownBy(segment::rebuildIndexes)
                    .isInstanceOf(CorruptLogException.class)
                    .hasMessage("Corrupt batch in closed segment %s at position %d: %s".formatted(logFile, position, crcProblem));
        }

        // a damaged length field, once the segment is open: reads that pass the batch report it
        String headerProblem = "Corrupt batch header in %s at position %d: batch of 1000012 bytes runs past the end of the file (%d bytes left)".formatted(
                logFile, position, Files.size(logFile) - position);
        try (LogSegment segment = LogSegment.open(dir, BASE, config(100_000))) {
            segment.load();
            writeInt(logFile, position + RecordBatch.BATCH_LENGTH_OFFSET, 1_000_000);
            assertThatThrownBy(() -> segment.read(112, Long.MAX_VALUE, Long.MAX_VALUE, true))
                    .isInstanceOf(CorruptLogException.class)
                    .hasMessage(headerProblem);
            assertThat(segment.read(103, 106, Long.MAX_VALUE, true)).extracting(LogBatch::baseOffset).containsExactly(103L);
        }
        // and opening it again fails rather than serving a segment with a hole
        try (LogSegment segment = LogSegment.open(dir, BASE, config(100_000))) {
            assertThatThrownBy(segment::load)
                    .isInstanceOf(CorruptLogException.class)
                    .hasMessage(headerProblem);
        }
    }

    @Test
    void truncateToRemovesWholeBatchesFromLogAndIndexes(@TempDir Path other)
            throws IOException
    {
        byte[] indexOfSixBatches;
        try (LogSegment sixBatches = LogSegment.create(other, BASE, config(100))) {
            appendBatches(sixBatches, 6);
            indexOfSixBatches = Files.readAllBytes(sixBatches.offsetIndex().file());
        }
        try (LogSegment segment = LogSegment.create(dir, BASE, config(100))) {
            List<RecordBatchHeader> headers = appendBatches(segment, 9);

            // 119 is inside the seventh batch [118, 120]
            assertThat(segment.truncateTo(119)).isEqualTo(headers.get(6).sizeInBytes() + headers.get(7).sizeInBytes() + headers.get(8).sizeInBytes());
            assertThat(segment.nextOffset()).isEqualTo(118);
            assertThat(segment.sizeInBytes()).isEqualTo(positionOf(headers, 6));
            assertThat(segment.largestTimestamp()).isEqualTo(T0 + 5);
            assertThat(Files.readAllBytes(segment.offsetIndex().file())).isEqualTo(indexOfSixBatches);
            assertThat(segment.timeIndex().lastEntry()).contains(new TimeIndex.TimestampOffset(T0 + 4, 112));
            assertThat(segment.truncateTo(500)).isZero();

            append(segment, 1, T0 + 6, payload(5, 5));
            assertThat(segment.nextOffset()).isEqualTo(119);
            segment.verify();

            int size = segment.sizeInBytes();
            assertThat(segment.truncateTo(BASE)).isEqualTo(size);
            assertThat(segment.isEmpty()).isTrue();
            assertThat(segment.nextOffset()).isEqualTo(BASE);
            assertThat(segment.firstTimestamp()).isEqualTo(LogSegment.NO_TIMESTAMP);
            assertThat(segment.offsetIndex().entries()).isZero();
            assertThat(segment.timeIndex().entries()).isZero();
        }
    }

    @Test
    void deleteRemovesAllFiles()
            throws IOException
    {
        LogSegment segment = LogSegment.create(dir, BASE, config(100));
        appendBatches(segment, 5);
        segment.delete();
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    static void flipByte(Path file, long position)
            throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            channel.read(b, position);
            b.put(0, (byte) (b.get(0) ^ 0x01));
            b.rewind();
            channel.write(b, position);
        }
    }

    private static void writeInt(Path file, long position, int value)
            throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(4).putInt(0, value), position);
        }
    }

    private static long readLong(Path file, long position)
            throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(8);
            channel.read(b, position);
            return b.getLong(0);
        }
    }
}
