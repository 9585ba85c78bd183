/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.storage;

import dev.inlet.catalog.error.InletErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.inlet.logstore.storage.TestRecordBatch.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestBucketLog
{
    static final long T0 = 1_750_000_000_000L;
    /** Small segments and a dense index, so that a few dozen batches span several segments. */
    static final LogConfig SMALL = LogConfig.DEFAULT
            .withSegmentBytes(1024)
            .withIndexIntervalBytes(128)
            .withFlushPolicy(FlushPolicy.NONE);

    @TempDir
    Path dir;

    /** A batch as the test wrote it. */
    record Written(AppendResult result, ByteBuffer payload) {}

    /** Appends {@code count} batches of 1 to 3 records and 40 to 99 bytes, one millisecond apart. */
    static List<Written> appendBatches(BucketLog log, int count, long firstTimestamp)
            throws IOException
    {
        List<Written> written = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ByteBuffer payload = payload(40 + (i * 37) % 60, i);
            AppendResult result = log.append(payload, 1 + i % 3, 1, RecordBatch.NO_WRITER_ID, RecordBatch.NO_WRITER_SEQUENCE, firstTimestamp + i);
            written.add(new Written(result, payload));
        }
        return written;
    }

    static List<LogBatch> readAll(BucketLog log)
            throws IOException
    {
        return log.read(log.earliestOffset(), Integer.MAX_VALUE).batches();
    }

    static void assertHolds(BucketLog log, List<Written> written)
            throws IOException
    {
        List<LogBatch> batches = readAll(log);
        assertThat(batches).extracting(LogBatch::baseOffset).containsExactlyElementsOf(written.stream().map(w -> w.result().baseOffset()).toList());
        for (int i = 0; i < written.size(); i++) {
            assertThat(batches.get(i).lastOffset()).isEqualTo(written.get(i).result().lastOffset());
            assertThat(batches.get(i).header().commitTimestamp()).isEqualTo(written.get(i).result().commitTimestamp());
            assertThat(batches.get(i).readPayload()).isEqualTo(written.get(i).payload());
        }
    }

    @Test
    void assignsDenseOffsetsAcrossSegmentRolls()
            throws IOException
    {
        try (BucketLog log = BucketLog.open(dir, SMALL)) {
            assertThat(log.earliestOffset()).isZero();
            assertThat(log.endOffset()).isZero();
            List<Written> written = appendBatches(log, 40, T0);

            long expected = 0;
            for (Written w : written) {
                assertThat(w.result().baseOffset()).isEqualTo(expected);
                assertThat(w.result().duplicate()).isFalse();
                expected = w.result().lastOffset() + 1;
            }
            assertThat(log.endOffset()).isEqualTo(expected).isEqualTo(79);
            List<SegmentInfo> segments = log.segments();
            assertThat(segments).hasSizeGreaterThan(3);
            for (int i = 1; i < segments.size(); i++) {
                assertThat(segments.get(i).baseOffset()).isEqualTo(segments.get(i - 1).nextOffset());
                assertThat(segments.get(i - 1).sizeInBytes()).isLessThanOrEqualTo(1024);
                assertThat(segments.get(i - 1).active()).isFalse();
            }
            assertThat(segments.getLast().active()).isTrue();
            assertThat(segments.getLast().nextOffset()).isEqualTo(79);
            assertThat(log.sizeInBytes()).isEqualTo(segments.stream().mapToLong(SegmentInfo::sizeInBytes).sum());
            for (SegmentInfo segment : segments) {
                assertThat(LogFileNames.logFile(dir, segment.baseOffset())).exists();
                assertThat(LogFileNames.offsetIndexFile(dir, segment.baseOffset())).exists();
                assertThat(LogFileNames.timeIndexFile(dir, segment.baseOffset())).exists();
            }
            assertThat(dir.resolve("00000000000000000000.log")).exists();
            assertHolds(log, written);
            log.verify();
        }
    }

    @Test
    void aPayloadInPartsIsStoredAsOnePayload()
            throws IOException
    {
        try (BucketLog log = BucketLog.open(dir, SMALL)) {
            List<Written> written = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                ByteBuffer whole = payload(40 + (i * 37) % 60, i);
                // heap and direct parts, some empty, as a gathered Arrow message has
                int cut = whole.remaining() / 3;
                ByteBuffer direct = ByteBuffer.allocateDirect(whole.remaining() - 2 * cut);
                direct.put(whole.slice(2 * cut, whole.remaining() - 2 * cut)).flip();
                ByteBuffer[] parts = {whole.slice(0, cut), ByteBuffer.allocate(0), whole.slice(cut, cut), direct};
                AppendResult result = log.append(parts, 1 + i % 3, 1, RecordBatch.NO_WRITER_ID, RecordBatch.NO_WRITER_SEQUENCE, T0 + i);
                assertThat(parts[0].position()).isZero();
                assertThat(direct.position()).isZero();
                written.add(new Written(result, whole));
            }
            // readPayload checks each batch's CRC
            assertHolds(log, written);
            log.verify();
        }
        try (BucketLog reopened = BucketLog.open(dir, SMALL)) {
            assertThat(reopened.recoveryReport().bytesTruncated()).isZero();
        }
    }

    @Test
    void readsFromTheMiddleOfABatchAndRespectsMaxBytes()
            throws IOException
    {
        try (BucketLog log = BucketLog.open(dir, SMALL)) {
            List<Written> written = appendBatches(log, 40, T0);
            // batch 5 holds offsets [9, 11]; a read from 10 starts with it
            assertThat(written.get(5).result()).isEqualTo(new AppendResult(9, 11, T0 + 5, false));
            LogReadResult fromTen = log.read(10, Integer.MAX_VALUE);
            assertThat(fromTen.batches().getFirst().baseOffset()).isEqualTo(9);
            assertThat(fromTen.batches()).hasSize(35);
            assertThat(fromTen.earliestOffset()).isZero();
            assertThat(fromTen.highWatermark()).isEqualTo(79);
            assertThat(fromTen.endOffset()).isEqualTo(79);

            // one batch even when it is larger than maxBytes
            assertThat(log.read(10, 1).batches()).extracting(LogBatch::baseOffset).containsExactly(9L);
            assertThat(log.read(10, 0).batches()).extracting(LogBatch::baseOffset).containsExactly(9L);
            // exactly the batches that fit
            long threeBatches = fromTen.batches().get(0).sizeInBytes() + fromTen.batches().get(1).sizeInBytes() + fromTen.batches().get(2).sizeInBytes();
            assertThat(log.read(10, (int) threeBatches).batches()).extracting(LogBatch::baseOffset).containsExactly(9L, 12L, 13L);
            assertThat(log.read(10, (int) threeBatches - 1).batches()).extracting(LogBatch::baseOffset).containsExactly(9L, 12L);
            // and across segment boundaries
            for (SegmentInfo segment : log.segments().subList(1, log.segments().size())) {
                LogReadResult spanning = log.read(segment.baseOffset() - 1, 10_000);
                assertThat(spanning.batches().getFirst().lastOffset()).isEqualTo(segment.baseOffset() - 1);
                assertThat(spanning.batches().get(1).baseOffset()).isEqualTo(segment.baseOffset());
            }
            // every offset maps to the batch that holds it
            for (Written w : written) {
                for (long offset = w.result().baseOffset(); offset <= w.result().lastOffset(); offset++) {
                    assertThat(log.read(offset, 1).batches().getFirst().baseOffset()).isEqualTo(w.result().baseOffset());
                }
            }
        }
    }

    @Test
    void readStopsBeforeTheFirstBatchAtOrAfterMaxOffset()
            throws IOException
    {
        try (BucketLog log = BucketLog.open(dir, SMALL)) {
            appendBatches(log, 40, T0);
            // batches [0], [1, 2], [3, 5], [6], ...
            assertThat(log.read(0, 7, Integer.MAX_VALUE).batches()).extracting(LogBatch::baseOffset).containsExactly(0L, 1L, 3L, 6L);
            assertThat(log.read(0, 6, Integer.MAX_VALUE).batches()).extracting(LogBatch::baseOffset).containsExactly(0L, 1L, 3L);
            assertThat(log.read(4, 6, Integer.MAX_VALUE).batches()).extracting(LogBatch::baseOffset).containsExactly(3L);
            assertThat(log.read(6, 6, Integer.MAX_VALUE).batches()).isEmpty();
        }
    }

    @Test
    void aTailReaderWaitsForTheHighWatermark()
            throws Exception
    {
        try (BucketLog log = BucketLog.open(dir, SMALL.withFlushPolicy(FlushPolicy.FSYNC))) {
            CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> await(log, 0, 60_000));
            log.append(payload(10, 1), 1, 1, -1, -1, T0);
            // appended but not durable: still not readable
            assertThat(log.awaitHighWatermark(0, 1, TimeUnit.MILLISECONDS)).isFalse();
            assertThat(waiting).isNotDone();
            log.flush();
            assertThat(waiting.get(60, TimeUnit.SECONDS)).isTrue();
            assertThat(log.awaitHighWatermark(0, 0, TimeUnit.MILLISECONDS)).isTrue();

            // closing the log releases waiters
            CompletableFuture<Boolean> forever = CompletableFuture.supplyAsync(() -> await(log, 100, 600_000));
            log.close();
            assertThat(forever.get(60, TimeUnit.SECONDS)).isFalse();
        }
    }

    @Test
    void closeAndDeleteRemovesTheDirectory()
            throws IOException
    {
        Path bucket = dir.resolve("bucket");
        BucketLog log = BucketLog.open(bucket, SMALL);
        appendBatches(log, 40, T0);
        log.closeAndDelete();
        assertThat(bucket).doesNotExist();
        assertThatThrownBy(() -> log.read(0, 10)).isInstanceOf(LogStorageException.class);
        log.close();
    }

    private static boolean await(BucketLog log, long offset, long timeoutMs)
    {
        try {
            return log.awaitHighWatermark(offset, timeoutMs, TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException e) {
            throw new RuntimeException(e);
        }
    }

    @Test
    void outOfRangeReadsNameTheBucketTheOffsetAndTheBounds()
            throws IOException
    {
        try (BucketLog log = BucketLog.open(dir, SMALL)) {
            appendBatches(log, 40, T0);
            assertThat(log.read(79, 1000).batches()).isEmpty();
            assertThatThrownBy(() -> log.read(80, 1000))
                    .isInstanceOfSatisfying(OffsetOutOfRangeException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(InletErrorCode.OFFSET_OUT_OF_RANGE);
                        assertThat(e.requestedOffset()).isEqualTo(80);
                        assertThat(e.earliestOffset()).isZero();
                        assertThat(e.endOffset()).isEqualTo(79);
                        assertThat(e.directory()).isEqualTo(dir);
                    })
                    .hasMessage("Offset 80 is out of range for bucket log %s: it holds offsets [0, 79)".formatted(dir));
            assertThatThrownBy(() -> log.read(-1, 1000))
                    .isInstanceOf(OffsetOutOfRangeException.class)
                    .hasMessage("Offset -1 is out of range for bucket log %s: it holds offsets [0, 79)".formatted(dir));

            long secondSegment = log.segments().get(1).baseOffset();
            assertThat(log.deleteSegmentsBefore(secondSegment)).hasSize(1);
            assertThat(log.earliestOffset()).isEqualTo(secondSegment);
            assertThatThrownBy(() -> log.read(secondSegment - 1, 1000))
                    .isInstanceOf(OffsetOutOfRangeException.class)
                    .hasMessage("Offset %d is out of range for bucket log %s: it holds offsets [%d, 79)".formatted(secondSegment - 1, dir, secondSegment));
            assertThat(log.read(secondSegment, 1).batches().getFirst().baseOffset()).isEqualTo(secondSegment);
        }
    }

    @Test
    void underTheFsyncPolicyReadersSeeOnlyFlushedData()
            throws IOException
    {
        try (BucketLog log = BucketLog.open(dir, SMALL.withFlushPolicy(FlushPolicy.FSYNC).withSegmentBytes(1 << 20))) {
            appendBatches(log, 5, T0);
            assertThat(log.endOffset()).isEqualTo(9);
            assertThat(log.highWatermark()).isZero();
            assertThat(log.flushedOffset()).isZero();
            // between the high watermark and the end: nothing yet, and no error
            assertThat(log.read(0, 1000).batches()).isEmpty();
            assertThat(log.read(7, 1000).batches()).isEmpty();
            assertThat(log.offsetForTimestamp(T0)).isEmpty();

            assertThat(log.flush()).isEqualTo(1);
            assertThat(log.flush()).as("nothing new to flush").isZero();
            assertThat(log.highWatermark()).isEqualTo(9);
            assertThat(log.read(0, Integer.MAX_VALUE).batches()).hasSize(5);
            assertThat(log.offsetForTimestamp(T0)).hasValue(0);

            appendBatches(log, 1, T0 + 5);
            assertThat(log.read(9, Integer.MAX_VALUE).batches()).isEmpty();
            log.flush();
            assertThat(log.read(9, Integer.MAX_VALUE).batches()).extracting(LogBatch::baseOffset).containsExactly(9L);
        }
    }

    @Test
    void findsTheFirstOffsetAtOrAfterATimestamp()
            throws IOException
    {
        try (BucketLog log = BucketLog.open(dir, SMALL)) {
            List<AppendResult> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                results.add(log.append(payload(60, i), 2, 1, -1, -1, T0 + 10L * i));
            }
            assertThat(log.segments()).hasSizeGreaterThan(3);
            assertThat(log.offsetForTimestamp(Long.MIN_VALUE)).hasValue(0);
            assertThat(log.offsetForTimestamp(T0)).hasValue(0);
            assertThat(log.offsetForTimestamp(T0 + 1)).hasValue(2);
            for (int i = 0; i < 40; i++) {
                assertThat(log.offsetForTimestamp(T0 + 10L * i)).hasValue(2L * i);
                assertThat(log.offsetForTimestamp(T0 + 10L * i - 5)).hasValue(2L * i);
            }
            assertThat(log.offsetForTimestamp(T0 + 391)).isEmpty();

            // the server's clock went back: the log keeps commit timestamps non-decreasing
            AppendResult backwards = log.append(payload(10, 1), 1, 1, -1, -1, T0);
            assertThat(backwards).isEqualTo(new AppendResult(80, 80, T0 + 390, false));
            assertThat(log.offsetForTimestamp(T0 + 390)).hasValue(78);
        }
    }

    @Test
    void restartKeepsEverything()
            throws IOException
    {
        List<Written> written;
        List<SegmentInfo> segments;
        try (BucketLog log = BucketLog.open(dir, SMALL)) {
            written = appendBatches(log, 40, T0);
            segments = log.segments();
        }
        assertThat(LogFileNames.cleanShutdownFile(dir)).exists();
        try (BucketLog log = BucketLog.open(dir, SMALL)) {
            RecoveryReport report = log.recoveryReport();
            assertThat(report.cleanShutdown()).isTrue();
            assertThat(report.recoveredSegment()).isEmpty();
            assertThat(report.bytesTruncated()).isZero();
            assertThat(report.rebuiltIndexes()).isEmpty();
            assertThat(report.deletedFiles()).isEmpty();
            assertThat(report.segments()).isEqualTo(segments.size());
            assertThat(report.endOffset()).isEqualTo(79);
            assertThat(LogFileNames.cleanShutdownFile(dir)).doesNotExist();
            assertThat(log.segments()).isEqualTo(segments);
            assertThat(log.endOffset()).isEqualTo(79);
            assertThat(log.flushedOffset()).isEqualTo(79);
            assertHolds(log, written);

            written = new ArrayList<>(written);
            written.addAll(appendBatches(log, 10, T0 + 40));
            assertThat(written.get(40).result().baseOffset()).isEqualTo(79);
            assertHolds(log, written);
            log.verify();
        }
    }

    @Test
    void copyOfAnOpenLogRecoversEveryBatch(@TempDir Path copy)
            throws IOException
    {
        try (BucketLog log = BucketLog.open(dir, SMALL)) {
            List<Written> written = appendBatches(log, 40, T0);
            // the process dies: the files are as the page cache has them, with no clean-shutdown marker
            copyDirectory(dir, copy);
            try (BucketLog recovered = BucketLog.open(copy, SMALL)) {
                RecoveryReport report = recovered.recoveryReport();
                assertThat(report.cleanShutdown()).isFalse();
                assertThat(report.recoveredSegment()).contains(LogFileNames.logFile(copy, log.segments().getLast().baseOffset()));
                assertThat(report.bytesTruncated()).isZero();
                assertThat(recovered.endOffset()).isEqualTo(79);
                assertHolds(recovered, written);
                recovered.verify();
            }
        }
    }

    @Test
    void crashAtAnyByteKeepsExactlyTheCompleteBatches(@TempDir Path scratch)
            throws IOException
    {
        List<Written> written;
        List<LogBatch> batches;
        long activeBase;
        try (BucketLog log = BucketLog.open(dir, SMALL)) {
            written = appendBatches(log, 40, T0);
            activeBase = log.segments().getLast().baseOffset();
            batches = log.read(activeBase, Integer.MAX_VALUE).batches();
        }
        Files.delete(LogFileNames.cleanShutdownFile(dir));
        long activeSize = Files.size(LogFileNames.logFile(dir, activeBase));
        assertThat(batches.size()).isGreaterThan(3);

        Random random = new Random(20_260_101);
        List<Long> cuts = new ArrayList<>(List.of(0L, 1L, activeSize - 1, activeSize));
        for (LogBatch batch : batches) {
            cuts.add(batch.filePosition());
            cuts.add(batch.filePosition() + RecordBatch.HEADER_SIZE - 1);
            cuts.add(batch.filePosition() + RecordBatch.HEADER_SIZE);
        }
        for (int i = 0; i < 25; i++) {
            cuts.add((long) random.nextInt((int) activeSize + 1));
        }

        int attempt = 0;
        for (long cut : cuts) {
            Path copy = scratch.resolve("crash-" + attempt++);
            copyDirectory(dir, copy);
            try (FileChannel channel = FileChannel.open(LogFileNames.logFile(copy, activeBase), StandardOpenOption.WRITE)) {
                channel.truncate(cut);
            }
            List<Written> survivors = new ArrayList<>(written.stream().filter(w -> w.result().baseOffset() < activeBase).toList());
            long validEnd = 0;
            for (int b = 0; b < batches.size(); b++) {
                LogBatch batch = batches.get(b);
                if (batch.filePosition() + batch.sizeInBytes() <= cut) {
                    survivors.add(written.get(survivors.size()));
                    validEnd = batch.filePosition() + batch.sizeInBytes();
                }
            }
            try (BucketLog log = BucketLog.open(copy, SMALL)) {
                RecoveryReport report = log.recoveryReport();
                assertThat(report.cleanShutdown()).isFalse();
                assertThat(report.bytesTruncated()).as("cut at %d", cut).isEqualTo(cut - validEnd);
                assertThat(Files.size(LogFileNames.logFile(copy, activeBase))).isEqualTo(validEnd);
                long expectedEnd = survivors.getLast().result().lastOffset() + 1;
                assertThat(log.endOffset()).isEqualTo(expectedEnd);
                assertHolds(log, survivors);
                // and the log takes appends where the complete batches end
                assertThat(log.append(payload(5, 5), 1, 1, -1, -1, T0 + 100).baseOffset()).isEqualTo(expectedEnd);
                log.verify();
            }
        }
    }

    @Test
    void garbageAfterTheLastBatchIsCut()
            throws IOException
    {
        List<Written> written;
        long activeBase;
        try (BucketLog log = BucketLog.open(dir, SMALL)) {
            written = appendBatches(log, 40, T0);
            activeBase = log.segments().getLast().baseOffset();
        }
        Files.delete(LogFileNames.cleanShutdownFile(dir));
        byte[] garbage = new byte[300];
        new Random(7).nextBytes(garbage);
        Files.write(LogFileNames.logFile(dir, activeBase), garbage, StandardOpenOption.APPEND);
        try (BucketLog log = BucketLog.open(dir, SMALL)) {
            assertThat(log.recoveryReport().bytesTruncated()).isEqualTo(300);
            assertHolds(log, written);
        }
    }

    @Test
    void aMarkerThatNoLongerMatchesTheActiveSegmentMeansACrash()
            throws IOException
    {
        long activeBase;
        try (BucketLog log = BucketLog.open(dir, SMALL)) {
            appendBatches(log, 40, T0);
            activeBase = log.segments().getLast().baseOffset();
        }
        // the marker survived (its deletion was not yet durable) but the segment grew afterwards
        Files.write(LogFileNames.logFile(dir, activeBase), new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
        try (BucketLog log = BucketLog.open(dir, SMALL)) {
            assertThat(log.recoveryReport().cleanShutdown()).isFalse();
            assertThat(log.recoveryReport().bytesTruncated()).isEqualTo(3);
            assertThat(log.endOffset()).isEqualTo(79);
        }
    }

    @Test
    void startupDeletesLeftoversAndRebuildsMissingIndexes()
            throws IOException
    {
        List<Written> written;
        long secondSegment;
        byte[] index;
        try (BucketLog log = BucketLog.open(dir, SMALL)) {
            written = appendBatches(log, 40, T0);
            secondSegment = log.segments().get(1).baseOffset();
        }
        index = Files.readAllBytes(LogFileNames.offsetIndexFile(dir, secondSegment));
        Files.delete(LogFileNames.offsetIndexFile(dir, secondSegment));
        Path temp = Files.writeString(dir.resolve("00000000000000000500.writers.tmp"), "half");
        Path halfDeleted = Files.writeString(dir.resolve("00000000000000000000.log.deleted"), "gone");
        Path orphan = Files.writeString(LogFileNames.timeIndexFile(dir, 99_999), "");

        try (BucketLog log = BucketLog.open(dir, SMALL)) {
            RecoveryReport report = log.recoveryReport();
            assertThat(report.cleanShutdown()).isTrue();
            assertThat(report.deletedFiles()).containsExactlyInAnyOrder(temp, halfDeleted, orphan);
            assertThat(report.rebuiltIndexes()).containsExactly(LogFileNames.logFile(dir, secondSegment));
            assertThat(temp).doesNotExist();
            assertThat(halfDeleted).doesNotExist();
            assertThat(orphan).doesNotExist();
            assertThat(Files.readAllBytes(LogFileNames.offsetIndexFile(dir, secondSegment))).isEqualTo(index);
            assertHolds(log, written);
        }
    }

    @Test
    void corruptionInAClosedSegmentIsAnError()
            throws IOException
    {
        long secondSegment;
        long position;
        try (BucketLog log = BucketLog.open(dir, SMALL)) {
            appendBatches(log, 40, T0);
            secondSegment = log.segments().get(1).baseOffset();
            position = log.read(secondSegment, Integer.MAX_VALUE).batches().get(2).filePosition();
        }
        Path logFile = LogFileNames.logFile(dir, secondSegment);
        TestLogSegment.flipByte(logFile, position + RecordBatch.HEADER_SIZE + 3);
        try (BucketLog log = BucketLog.open(dir, SMALL)) {
            assertThatThrownBy(log::verify)
                    .isInstanceOf(CorruptLogException.class)
                    .hasMessageStartingWith("Corrupt batch in %s at position %d: CRC mismatch in batch at offset ".formatted(logFile, position));
        }

        // a damaged header where open() looks: the open fails and names the place
        TestLogSegment.flipByte(logFile, position + RecordBatch.HEADER_SIZE + 3);
        TestLogSegment.flipByte(logFile, position + RecordBatch.MAGIC_OFFSET);
        byte[] index = Files.readAllBytes(LogFileNames.offsetIndexFile(dir, secondSegment));
        long lastIndexed = ByteBuffer.wrap(index).getInt(index.length - 4);
        assertThat(position).as("the damaged batch lies before the last index entry").isLessThan(lastIndexed);
        try (BucketLog log = BucketLog.open(dir, SMALL)) {
            assertThatThrownBy(() -> log.read(secondSegment, Integer.MAX_VALUE))
                    .isInstanceOf(CorruptLogException.class)
                    .hasMessage("Corrupt batch header in %s at position %d: unknown magic 0 (expected 1)".formatted(logFile, position));
            assertThatThrownBy(log::verify)
                    .isInstanceOf(CorruptLogException.class)
                    .hasMessage("Corrupt batch in %s at position %d: unknown magic 0 (expected 1)".formatted(logFile, position));
        }
        // the whole index gone: the rebuild reads every batch and refuses to cut a closed segment
        Files.delete(LogFileNames.offsetIndexFile(dir, secondSegment));
        assertThatThrownBy(() -> BucketLog.open(dir, SMALL))
                .isInstanceOf(CorruptLogException.class)
                .hasMessage("Corrupt batch in closed segment %s at position %d: unknown magic 0 (expected 1)".formatted(logFile, position));
    }

    @Test
    void readersTailingConcurrentAppendsSeeOnlyWholeBatches()
            throws Exception
    {
        try (BucketLog log = BucketLog.open(dir, SMALL)) {
            int batches = 400;
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    appendBatches(log, batches, T0);
                }
                catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            long next = 0;
            int seen = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (seen < batches && System.nanoTime() < deadline) {
                for (LogBatch batch : log.read(next, 500).batches()) {
                    assertThat(batch.baseOffset()).isEqualTo(next);
                    assertThat(batch.readPayload()).isEqualTo(payload(40 + (seen * 37) % 60, seen));
                    next = batch.lastOffset() + 1;
                    seen++;
                }
            }
            writer.join();
            assertThat(seen).isEqualTo(batches);
            assertThat(next).isEqualTo(log.endOffset());
            log.verify();
        }
    }

    @Test
    void rejectsBatchesLargerThanTheMaximum()
            throws IOException
    {
        try (BucketLog log = BucketLog.open(dir, SMALL.withMaxBatchBytes(100))) {
            log.append(payload(100, 1), 1, 1, -1, -1, T0);
            assertThatThrownBy(() -> log.append(payload(101, 1), 1, 1, -1, -1, T0))
                    .isInstanceOf(RecordBatchTooLargeException.class)
                    .hasMessage("Record batch with a payload of 101 bytes for bucket %s is larger than the maximum of 100 bytes".formatted(dir));
            assertThat(log.endOffset()).isEqualTo(1);
        }
    }

    @Test
    void aBatchLargerThanASegmentGetsItsOwnSegment()
            throws IOException
    {
        try (BucketLog log = BucketLog.open(dir, SMALL)) {
            appendBatches(log, 2, T0);
            log.append(payload(3000, 1), 1, 1, -1, -1, T0 + 2);
            log.append(payload(10, 1), 1, 1, -1, -1, T0 + 3);
            assertThat(log.segments()).extracting(SegmentInfo::baseOffset).containsExactly(0L, 3L, 4L);
            assertThat(log.segments().get(1).sizeInBytes()).isEqualTo(3047);
        }
    }

    @Test
    void rollsOnAge()
            throws IOException
    {
        try (BucketLog log = BucketLog.open(dir, SMALL.withSegmentMs(1000))) {
            log.append(payload(10, 1), 1, 1, -1, -1, T0);
            log.append(payload(10, 1), 1, 1, -1, -1, T0 + 999);
            log.append(payload(10, 1), 1, 1, -1, -1, T0 + 1000);
            assertThat(log.segments()).extracting(SegmentInfo::baseOffset).containsExactly(0L, 2L);
        }
    }

    @Test
    void aClosedLogRefusesWork()
            throws IOException
    {
        BucketLog log = BucketLog.open(dir, SMALL);
        log.close();
        log.close();
        assertThatThrownBy(() -> log.append(payload(10, 1), 1, 1, -1, -1, T0))
                .isInstanceOfSatisfying(LogStorageException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.SERVER_UNAVAILABLE))
                .hasMessage("Bucket log %s is closed".formatted(dir));
        assertThatThrownBy(() -> log.read(0, 10)).isInstanceOf(LogStorageException.class);
    }

    static void copyDirectory(Path from, Path to)
            throws IOException
    {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }
}
