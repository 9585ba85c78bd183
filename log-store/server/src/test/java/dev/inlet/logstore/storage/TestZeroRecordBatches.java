/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static dev.inlet.logstore.storage.TestBucketLog.T0;
import static dev.inlet.logstore.storage.TestBucketLog.copyDirectory;
import static dev.inlet.logstore.storage.TestRecordBatch.payload;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A batch of zero records carries only its writer's sequence (an upsert batch that changed no
 * row): it takes no offset, is durable before it is acknowledged, and its sequence survives a
 * restart, clean or not, so that a retry of it is recognised.
 */
class TestZeroRecordBatches
{
    private static final long WRITER = 7;
    private static final LogConfig CONFIG = LogConfig.DEFAULT.withIndexIntervalBytes(1).withFlushPolicy(FlushPolicy.FSYNC);

    @TempDir
    Path dir;

    @Test
    void takesNoOffsetAndIsRecognisedWhenRetried()
            throws IOException
    {
        try (BucketLog log = BucketLog.open(dir, CONFIG)) {
            AppendResult first = log.append(payload(50, 1), 2, 1, WRITER, 0, T0);
            AppendResult empty = log.append(ByteBuffer.allocate(0), 0, 1, WRITER, 1, T0 + 1);
            AppendResult third = log.append(payload(50, 3), 1, 1, WRITER, 2, T0 + 2);
            assertThat(first.baseOffset()).isZero();
            assertThat(first.lastOffset()).isEqualTo(1);
            assertThat(empty.baseOffset()).isEqualTo(2);
            assertThat(empty.lastOffset()).isEqualTo(1);
            assertThat(empty.recordCount()).isZero();
            assertThat(third.baseOffset()).isEqualTo(2);
            assertThat(log.endOffset()).isEqualTo(3);
            log.flush();

            List<LogBatch> batches = log.read(0, Integer.MAX_VALUE).batches();
            assertThat(batches).extracting(b -> b.header().recordCount()).containsExactly(2, 0, 1);
            // a read from offset 2 starts at the batch that holds it, not at the empty one before it
            assertThat(log.read(2, Integer.MAX_VALUE).batches()).extracting(b -> b.header().recordCount()).containsExactly(1);

            AppendResult retried = log.append(ByteBuffer.allocate(0), 0, 1, WRITER, 1, T0 + 3);
            assertThat(retried.duplicate()).isTrue();
            assertThat(retried.baseOffset()).isEqualTo(2);
            assertThat(retried.recordCount()).isZero();
            log.verify();
        }
    }

    @Test
    void anEmptyBatchAtTheEndKeepsItsSequenceAcrossCleanAndUncleanRestarts()
            throws IOException
    {
        Path crashed = dir.resolve("crashed");
        Path clean = dir.resolve("clean");
        try (BucketLog log = BucketLog.open(clean, CONFIG)) {
            log.append(payload(40, 1), 3, 1, WRITER, 0, T0);
            log.append(ByteBuffer.allocate(0), 0, 1, WRITER, 1, T0 + 1);
            log.flush();
            // the state a kill -9 leaves: flushed, but no clean-shutdown marker or writer snapshot
            copyDirectory(clean, crashed);
        }
        for (Path path : List.of(clean, crashed)) {
            try (BucketLog log = BucketLog.open(path, CONFIG)) {
                assertThat(log.endOffset()).isEqualTo(3);
                AppendResult retried = log.append(ByteBuffer.allocate(0), 0, 1, WRITER, 1, T0 + 2);
                assertThat(retried.duplicate()).as(path.toString()).isTrue();
                AppendResult next = log.append(payload(40, 2), 1, 1, WRITER, 2, T0 + 3);
                assertThat(next.duplicate()).isFalse();
                assertThat(next.baseOffset()).isEqualTo(3);
            }
        }
    }

    @Test
    void aSegmentOfOnlyZeroRecordBatchesIsNotRolledAndTheLogStaysWritable()
            throws IOException
    {
        // a segment older than segmentMs would roll; one with no records must not (the new one
        // would have the same base offset)
        LogConfig config = CONFIG.withSegmentMs(10);
        try (BucketLog log = BucketLog.open(dir, config)) {
            log.append(payload(40, 1), 1, 1, WRITER, 0, T0);
            log.append(ByteBuffer.allocate(0), 0, 1, WRITER, 1, T0 + 100); // rolls: a new segment at offset 1
            log.append(ByteBuffer.allocate(0), 0, 1, WRITER, 2, T0 + 200); // the new segment has no records
            AppendResult real = log.append(payload(40, 2), 2, 1, WRITER, 3, T0 + 300);
            assertThat(real.baseOffset()).isEqualTo(1);
            log.flush();
        }
        try (BucketLog log = BucketLog.open(dir, config)) {
            assertThat(log.endOffset()).isEqualTo(3);
            assertThat(log.append(payload(40, 3), 1, 1, WRITER, 4, T0 + 400).baseOffset()).isEqualTo(3);
        }
    }

    @Test
    void consecutiveZeroRecordBatchesAreRememberedOnceAfterACleanRestart()
            throws IOException
    {
        try (BucketLog log = BucketLog.open(dir, CONFIG)) {
            log.append(payload(40, 1), 1, 1, WRITER, 0, T0);
            log.append(payload(40, 2), 1, 1, WRITER, 1, T0 + 1);
            log.append(ByteBuffer.allocate(0), 0, 1, WRITER, 2, T0 + 2);
            log.append(ByteBuffer.allocate(0), 0, 1, WRITER, 3, T0 + 3);
        }
        try (BucketLog log = BucketLog.open(dir, CONFIG)) {
            // the writer's five remembered batches are 0..3, once each: a retry of the first is still a duplicate
            AppendResult retried = log.append(payload(40, 1), 1, 1, WRITER, 0, T0 + 4);
            assertThat(retried.duplicate()).isTrue();
            assertThat(retried.baseOffset()).isZero();
        }
    }

    @Test
    void isAcknowledgedOnlyAfterAnFsync()
            throws Exception
    {
        try (BucketLog log = BucketLog.open(dir, CONFIG);
                GroupCommit groupCommit = new GroupCommit("zero")) {
            groupCommit.append(log, payload(40, 1), 1, 1, WRITER, 0, T0);
            groupCommit.flushNow();
            long fsyncs = log.fsyncCount();

            CompletableFuture<AppendResult> empty = groupCommit.append(log, ByteBuffer.allocate(0), 0, 1, WRITER, 1, T0 + 1);
            assertThat(empty).isNotDone();
            groupCommit.flushNow();
            assertThat(empty).isCompleted();
            assertThat(log.fsyncCount()).isEqualTo(fsyncs + 1);

            // a retry of it is acknowledged once durable too, without writing anything
            CompletableFuture<AppendResult> retried = groupCommit.append(log, ByteBuffer.allocate(0), 0, 1, WRITER, 1, T0 + 2);
            assertThat(retried.get().duplicate()).isTrue();
        }
    }
}
