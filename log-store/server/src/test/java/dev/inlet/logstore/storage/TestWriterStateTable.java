/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.storage;

import dev.inlet.catalog.error.InletErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

import static dev.inlet.logstore.storage.TestBucketLog.SMALL;
import static dev.inlet.logstore.storage.TestBucketLog.T0;
import static dev.inlet.logstore.storage.TestBucketLog.copyDirectory;
import static dev.inlet.logstore.storage.TestRecordBatch.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestWriterStateTable
{
    @TempDir
    Path dir;

    @Test
    void acceptsAFirstBatchAtAnySequenceThenOnlyTheNext()
    {
        WriterStateTable table = new WriterStateTable("orders/0");
        assertThat(table.checkSequence(7, 17)).isEmpty();
        table.record(7, 17, 100, 102, T0);
        assertThat(table.checkSequence(7, 17)).contains(new AppendResult(100, 102, T0, true));
        assertThat(table.checkSequence(7, 18)).isEmpty();
        assertThatThrownBy(() -> table.checkSequence(7, 20))
                .isInstanceOfSatisfying(OutOfOrderSequenceException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(InletErrorCode.OUT_OF_ORDER_SEQUENCE);
                    assertThat(e.writerId()).isEqualTo(7);
                    assertThat(e.expectedSequence()).isEqualTo(18);
                    assertThat(e.sequence()).isEqualTo(20);
                })
                .hasMessage("Out-of-order sequence from writer 7 in bucket orders/0: expected 18, got 20 (the batches from sequence 18 on never arrived)");
        // another writer is independent
        assertThat(table.checkSequence(8, 0)).isEmpty();
    }

    @Test
    void remembersTheLastFiveBatchesOfEachWriter()
    {
        WriterStateTable table = new WriterStateTable("orders/0");
        for (int sequence = 0; sequence < 8; sequence++) {
            table.record(7, sequence, 10L * sequence, 10L * sequence + 9, T0 + sequence);
        }
        assertThat(table.writers().get(7L)).extracting(WriterStateTable.WriterBatch::sequence).containsExactly(3, 4, 5, 6, 7);
        assertThat(table.checkSequence(7, 3)).contains(new AppendResult(30, 39, T0 + 3, true));
        assertThatThrownBy(() -> table.checkSequence(7, 2))
                .isInstanceOf(OutOfOrderSequenceException.class)
                .hasMessage("Out-of-order sequence from writer 7 in bucket orders/0: expected 8, got 2 (older than the last 5 batches the bucket remembers for this writer)");
    }

    @Test
    void sequencesWrapAround()
    {
        WriterStateTable table = new WriterStateTable("orders/0");
        table.record(7, Integer.MAX_VALUE, 0, 0, T0);
        assertThat(table.checkSequence(7, 0)).isEmpty();
        assertThatThrownBy(() -> table.checkSequence(7, 1)).isInstanceOf(OutOfOrderSequenceException.class);
    }

    @Test
    void forgetsDeletedAndTruncatedBatches()
    {
        WriterStateTable table = new WriterStateTable("orders/0");
        table.record(1, 0, 0, 4, T0);
        table.record(1, 1, 5, 9, T0);
        table.record(2, 0, 10, 14, T0);
        table.record(1, 2, 15, 19, T0);
        table.removeBefore(10);
        assertThat(table.writers()).isEqualTo(Map.of(1L, List.of(new WriterStateTable.WriterBatch(2, 15, 19, T0)), 2L, List.of(new WriterStateTable.WriterBatch(0, 10, 14, T0))));
        table.truncateTo(15);
        assertThat(table.writers()).isEqualTo(Map.of(2L, List.of(new WriterStateTable.WriterBatch(0, 10, 14, T0))));
        assertThat(table.lastSequence(1)).isEmpty();
        assertThat(table.lastSequence(2)).hasValue(0);
    }

    @Test
    void snapshotRoundTripAndDamage()
            throws IOException
    {
        WriterStateTable table = new WriterStateTable("orders/0");
        for (int sequence = 0; sequence < 7; sequence++) {
            table.record(7, sequence, 10L * sequence, 10L * sequence + 9, T0 + sequence);
        }
        table.record(9, 42, 70, 70, T0 + 7);
        Path file = WriterStateSnapshot.write(dir, 71, table);
        assertThat(file).isEqualTo(dir.resolve("00000000000000000071.writers"));
        assertThat(Files.size(file)).isEqualTo(18 + (10 + 5 * 28) + (10 + 28));
        assertThat(WriterStateSnapshot.read(file, 71, "orders/0").writers()).isEqualTo(table.writers());

        assertThatThrownBy(() -> WriterStateSnapshot.read(file, 70, "orders/0"))
                .isInstanceOf(CorruptLogException.class)
                .hasMessage("Writer-state snapshot %s holds the state at offset 71, not 70".formatted(file));
        TestLogSegment.flipByte(file, 40);
        assertThatThrownBy(() -> WriterStateSnapshot.read(file, 71, "orders/0"))
                .isInstanceOf(CorruptLogException.class)
                .hasMessageStartingWith("Writer-state snapshot %s has a CRC mismatch: stored ".formatted(file));
        TestLogSegment.flipByte(file, 1);
        assertThatThrownBy(() -> WriterStateSnapshot.read(file, 71, "orders/0"))
                .isInstanceOf(CorruptLogException.class)
                .hasMessage("Writer-state snapshot %s has version 0; this server reads version 1".formatted(file));
    }

    @Test
    void duplicateReturnsTheOriginalOffsetsAndWritesNothing()
            throws IOException
    {
        try (BucketLog log = BucketLog.open(dir, SMALL)) {
            AppendResult first = log.append(payload(30, 1), 3, 1, 7, 0, T0);
            AppendResult second = log.append(payload(30, 2), 2, 1, 7, 1, T0 + 1);
            log.append(payload(30, 3), 1, 1, -1, -1, T0 + 2);
            long size = log.sizeInBytes();

            assertThat(log.append(payload(30, 1), 3, 1, 7, 0, T0 + 5)).isEqualTo(new AppendResult(0, 2, T0, true));
            assertThat(log.append(payload(30, 2), 2, 1, 7, 1, T0 + 5)).isEqualTo(new AppendResult(second.baseOffset(), second.lastOffset(), second.commitTimestamp(), true));
            assertThat(first).isEqualTo(new AppendResult(0, 2, T0, false));
            assertThat(log.endOffset()).isEqualTo(6);
            assertThat(log.sizeInBytes()).isEqualTo(size);

            assertThatThrownBy(() -> log.append(payload(30, 4), 1, 1, 7, 3, T0 + 5))
                    .isInstanceOf(OutOfOrderSequenceException.class)
                    .hasMessage("Out-of-order sequence from writer 7 in bucket %s: expected 2, got 3 (the batches from sequence 2 on never arrived)".formatted(dir));
            assertThat(log.endOffset()).isEqualTo(6);
            assertThat(log.sizeInBytes()).isEqualTo(size);

            // batches without a writer are never deduplicated
            assertThat(log.append(payload(30, 3), 1, 1, -1, -1, T0 + 6).duplicate()).isFalse();
            assertThat(log.append(payload(30, 4), 1, 1, 7, 2, T0 + 6)).isEqualTo(new AppendResult(7, 7, T0 + 6, false));
            assertThat(TestBucketLog.readAll(log)).extracting(batch -> batch.header().writerSequence()).containsExactly(0, 1, -1, -1, 2);
        }
    }

    @Test
    void stateSurvivesARestart()
            throws IOException
    {
        try (BucketLog log = BucketLog.open(dir, SMALL)) {
            appendFromWriters(log, 60);
        }
        try (BucketLog log = BucketLog.open(dir, SMALL)) {
            assertThat(log.recoveryReport().writerSnapshotOffset()).hasValue(log.endOffset());
            assertThat(log.recoveryReport().writerBatchesReplayed()).isZero();
            assertRemembersTheLastBatches(log, 60);
        }
    }

    @Test
    void stateSurvivesACrash(@TempDir Path crashed)
            throws IOException
    {
        try (BucketLog log = BucketLog.open(dir, SMALL)) {
            appendFromWriters(log, 60);
            copyDirectory(dir, crashed);
        }
        try (BucketLog log = BucketLog.open(crashed, SMALL)) {
            RecoveryReport report = log.recoveryReport();
            assertThat(report.cleanShutdown()).isFalse();
            // the snapshot taken when the active segment was rolled in, plus the headers after it
            long activeBase = log.segments().getLast().baseOffset();
            assertThat(report.writerSnapshotOffset()).hasValue(activeBase);
            assertThat(report.writerBatchesReplayed()).isEqualTo(TestBucketLog.readAll(log).stream().filter(b -> b.baseOffset() >= activeBase).count());
            assertRemembersTheLastBatches(log, 60);
        }
    }

    @Test
    void aCorruptSnapshotIsDeletedAndTheStateRebuiltFromTheLog()
            throws IOException
    {
        List<Long> snapshots;
        try (BucketLog log = BucketLog.open(dir, SMALL)) {
            appendFromWriters(log, 60);
        }
        snapshots = LogLoader.snapshotOffsets(dir);
        assertThat(snapshots).hasSize(2);
        Path newest = LogFileNames.writerSnapshotFile(dir, snapshots.get(1));
        TestLogSegment.flipByte(newest, 30);
        try (BucketLog log = BucketLog.open(dir, SMALL)) {
            assertThat(log.recoveryReport().deletedFiles()).containsExactly(newest);
            assertThat(log.recoveryReport().writerSnapshotOffset()).hasValue(snapshots.getFirst());
            assertRemembersTheLastBatches(log, 60);
        }

        // no usable snapshot at all: every header is replayed
        for (long offset : LogLoader.snapshotOffsets(dir)) {
            Files.write(LogFileNames.writerSnapshotFile(dir, offset), new byte[] {0, 1, 2});
        }
        try (BucketLog log = BucketLog.open(dir, SMALL)) {
            assertThat(log.recoveryReport().writerSnapshotOffset()).isEmpty();
            assertThat(log.recoveryReport().writerBatchesReplayed()).isEqualTo(60);
            assertRemembersTheLastBatches(log, 60);
        }
    }

    @Test
    void aBatchLostInACrashIsWrittenAgainOnRetry(@TempDir Path crashed)
            throws IOException
    {
        long cut;
        long activeBase;
        try (BucketLog log = BucketLog.open(dir, SMALL)) {
            appendFromWriters(log, 60);
            activeBase = log.segments().getLast().baseOffset();
            LogBatch last = TestBucketLog.readAll(log).getLast();
            assertThat(last.header().writerSequence()).isEqualTo(19);
            cut = last.filePosition() + last.sizeInBytes() - 1;
            copyDirectory(dir, crashed);
        }
        try (FileChannel channel = FileChannel.open(LogFileNames.logFile(crashed, activeBase), StandardOpenOption.WRITE)) {
            channel.truncate(cut);
        }
        try (BucketLog log = BucketLog.open(crashed, SMALL)) {
            long end = log.endOffset();
            // writer 2's sequence 19 did not survive: the retry is appended, not answered as a duplicate
            AppendResult retry = log.append(payload(25, 59), 1, 1, 2, 19, T0 + 100);
            assertThat(retry.duplicate()).isFalse();
            assertThat(retry.baseOffset()).isEqualTo(end);
            // its sequence 18 did survive
            assertThat(log.append(payload(25, 56), 1, 1, 2, 18, T0 + 100).duplicate()).isTrue();
        }
    }

    @Test
    void retentionForgetsWritersWhoseBatchesAreGone()
            throws IOException
    {
        try (BucketLog log = BucketLog.open(dir, SMALL)) {
            log.append(payload(30, 1), 1, 1, 99, 0, T0);
            appendFromWriters(log, 60);
            long secondSegment = log.segments().get(1).baseOffset();
            log.deleteSegmentsBefore(secondSegment);
            assertThat(log.writerState().lastSequence(99)).isEmpty();
            // a forgotten writer may start anywhere again
            assertThat(log.append(payload(30, 1), 1, 1, 99, 5, T0 + 100).duplicate()).isFalse();
        }
    }

    /** Three writers (0, 1, 2) append {@code count} batches in turn, writer {@code i % 3} with sequence {@code i / 3}. */
    private static void appendFromWriters(BucketLog log, int count)
            throws IOException
    {
        for (int i = 0; i < count; i++) {
            log.append(payload(25, i), 1 + i % 2, 1, i % 3, i / 3, T0 + i);
        }
    }

    private static void assertRemembersTheLastBatches(BucketLog log, int count)
            throws IOException
    {
        List<LogBatch> batches = TestBucketLog.readAll(log);
        long end = log.endOffset();
        for (int i = count - 3 * WriterStateTable.BATCHES_PER_WRITER; i < count; i++) {
            LogBatch original = batches.get(i);
            AppendResult retry = log.append(payload(25, i), 1 + i % 2, 1, i % 3, i / 3, T0 + 1000);
            assertThat(retry).isEqualTo(new AppendResult(original.baseOffset(), original.lastOffset(), original.header().commitTimestamp(), true));
        }
        assertThat(log.endOffset()).isEqualTo(end);
        for (int writer = 0; writer < 3; writer++) {
            assertThat(log.writerState().lastSequence(writer)).hasValue((count - 3 + writer) / 3);
        }
    }
}
