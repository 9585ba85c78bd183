/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

import static dev.inlet.logstore.storage.TestBucketLog.T0;
import static dev.inlet.logstore.storage.TestRecordBatch.payload;
import static org.assertj.core.api.Assertions.assertThat;

class TestGroupCommit
{
    private static final LogConfig FSYNC = LogConfig.DEFAULT.withSegmentBytes(64 * 1024).withFlushPolicy(FlushPolicy.FSYNC);

    @TempDir
    Path dir;

    private static CompletableFuture<AppendResult> append(GroupCommit groupCommit, BucketLog log, int seed)
    {
        return groupCommit.append(log, payload(50, seed), 1, 1, -1, -1, T0 + seed);
    }

    @Test
    void futuresCompleteOnlyAfterTheFlush()
            throws Exception
    {
        try (BucketLog log = BucketLog.open(dir, FSYNC);
                GroupCommit groupCommit = new GroupCommit("test")) {
            CompletableFuture<AppendResult> first = append(groupCommit, log, 1);
            CompletableFuture<AppendResult> second = append(groupCommit, log, 2);

            assertThat(first).isNotDone();
            assertThat(second).isNotDone();
            assertThat(groupCommit.waitingCount()).isEqualTo(2);
            assertThat(log.endOffset()).isEqualTo(2);
            assertThat(log.highWatermark()).as("not acknowledged, so not visible").isZero();
            assertThat(log.read(0, 1000).batches()).isEmpty();
            assertThat(groupCommit.fsyncCount()).isZero();

            groupCommit.flushNow();

            assertThat(first).isCompletedWithValue(new AppendResult(0, 0, T0 + 1, false));
            assertThat(second).isCompletedWithValue(new AppendResult(1, 1, T0 + 2, false));
            assertThat(groupCommit.fsyncCount()).isEqualTo(1);
            assertThat(groupCommit.roundCount()).isEqualTo(1);
            assertThat(log.flushedOffset()).isEqualTo(2);
            assertThat(log.read(0, 1000).batches()).hasSize(2);
        }
    }

    @Test
    void concurrentAppendsToOneAndManyBucketsShareOneFsyncPerBucket(@TempDir Path root)
            throws Exception
    {
        List<BucketLog> logs = new ArrayList<>();
        for (int bucket = 0; bucket < 4; bucket++) {
            logs.add(BucketLog.open(root.resolve("bucket-" + bucket), FSYNC));
        }
        try (GroupCommit groupCommit = new GroupCommit("test")) {
            int threads = 8;
            int appendsPerThread = 25;
            List<CompletableFuture<AppendResult>> futures = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> appenders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                appenders.add(Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                    }
                    catch (InterruptedException e) {
                        throw new RuntimeException(e);
                    }
                    for (int i = 0; i < appendsPerThread; i++) {
                        futures.add(append(groupCommit, logs.get((thread + i) % logs.size()), i));
                    }
                }));
            }
            go.countDown();
            for (Thread appender : appenders) {
                appender.join();
            }
            assertThat(futures).hasSize(200).noneMatch(CompletableFuture::isDone);

            groupCommit.flushNow();

            assertThat(futures).allMatch(future -> future.isDone() && !future.isCompletedExceptionally());
            // 200 appends, one fsync for each of the 4 buckets
            assertThat(groupCommit.fsyncCount()).isEqualTo(4);
            for (BucketLog log : logs) {
                assertThat(log.endOffset()).isEqualTo(50);
                assertThat(log.flushedOffset()).isEqualTo(50);
                assertThat(log.read(0, Integer.MAX_VALUE).batches()).extracting(LogBatch::baseOffset).hasSize(50).doesNotHaveDuplicates();
            }
        }
        finally {
            for (BucketLog log : logs) {
                log.close();
            }
        }
    }

    @Test
    void withTheFlusherRunningEveryAppendIsAcknowledgedAfterItsFsync()
            throws Exception
    {
        try (BucketLog log = BucketLog.open(dir, FSYNC);
                GroupCommit groupCommit = new GroupCommit("test")) {
            groupCommit.start();
            int threads = 8;
            int appendsPerThread = 40;
            List<AppendResult> results = Collections.synchronizedList(new ArrayList<>());
            List<Thread> appenders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                appenders.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < appendsPerThread; i++) {
                        AppendResult result = await(append(groupCommit, log, i));
                        // acknowledged means durable: the fsync covered this append
                        assertThat(log.flushedOffset()).isGreaterThan(result.lastOffset());
                        results.add(result);
                    }
                }));
            }
            for (Thread appender : appenders) {
                appender.join();
            }
            assertThat(results).hasSize(320);
            assertThat(results).extracting(AppendResult::baseOffset).doesNotHaveDuplicates().allMatch(offset -> offset >= 0 && offset < 320);
            assertThat(log.flushedOffset()).isEqualTo(320);
            // one fsync per round at most (a round may find its appends already flushed), and eight
            // appenders waiting at once share fsyncs: fewer fsyncs than appends
            assertThat(groupCommit.fsyncCount()).isLessThanOrEqualTo(groupCommit.roundCount()).isBetween(1L, 319L);
        }
    }

    @Test
    void aDuplicateIsAcknowledgedWhenItsOriginalIsDurable()
            throws Exception
    {
        try (BucketLog log = BucketLog.open(dir, FSYNC);
                GroupCommit groupCommit = new GroupCommit("test")) {
            CompletableFuture<AppendResult> original = groupCommit.append(log, payload(10, 1), 2, 1, 7, 0, T0);
            CompletableFuture<AppendResult> retry = groupCommit.append(log, payload(10, 1), 2, 1, 7, 0, T0);
            assertThat(original).isNotDone();
            assertThat(retry).isNotDone();

            groupCommit.flushNow();

            assertThat(original).isCompletedWithValue(new AppendResult(0, 1, T0, false));
            assertThat(retry).isCompletedWithValue(new AppendResult(0, 1, T0, true));
            // once durable, a retry is answered at once
            assertThat(groupCommit.append(log, payload(10, 1), 2, 1, 7, 0, T0)).isCompletedWithValue(new AppendResult(0, 1, T0, true));
            assertThat(log.endOffset()).isEqualTo(2);
        }
    }

    @Test
    void rejectedAppendsFailTheirFuture()
            throws Exception
    {
        try (BucketLog log = BucketLog.open(dir, FSYNC);
                GroupCommit groupCommit = new GroupCommit("test")) {
            groupCommit.append(log, payload(10, 1), 1, 1, 7, 0, T0);
            CompletableFuture<AppendResult> skipped = groupCommit.append(log, payload(10, 1), 1, 1, 7, 2, T0);
            assertThat(skipped).isCompletedExceptionally();
            assertThat(skipped.exceptionNow()).isInstanceOf(OutOfOrderSequenceException.class);
        }
    }

    @Test
    void aFailedFsyncFailsTheWaitingAppendsAndTakesTheLogOffline()
            throws Exception
    {
        try (BucketLog log = BucketLog.open(dir, FSYNC);
                GroupCommit groupCommit = new GroupCommit("test")) {
            CompletableFuture<AppendResult> durable = append(groupCommit, log, 1);
            groupCommit.flushNow();
            assertThat(durable).isCompletedWithValue(new AppendResult(0, 0, T0 + 1, false));
            CompletableFuture<AppendResult> waiting = append(groupCommit, log, 2);
            // the disk goes away under the log: its fsync now fails
            log.activeSegment().close();

            groupCommit.flushNow();

            assertThat(waiting).isCompletedExceptionally();
            assertThat(waiting.exceptionNow())
                    .isInstanceOf(LogStorageException.class)
                    .hasMessage("Bucket log %s failed during fsync and is offline until reopened".formatted(dir));
            assertThat(log.flushedOffset()).isEqualTo(1);
            assertThat(log.highWatermark()).as("the failed append never becomes visible").isEqualTo(1);
            CompletableFuture<AppendResult> later = append(groupCommit, log, 3);
            assertThat(later.exceptionNow())
                    .isInstanceOf(LogStorageException.class)
                    .hasMessage("Bucket log %s is offline after an I/O error; reopen it to recover".formatted(dir));
        }
        // no clean-shutdown marker was written; reopening recovers what reached the file
        try (BucketLog log = BucketLog.open(dir, FSYNC)) {
            assertThat(log.recoveryReport().cleanShutdown()).isFalse();
            assertThat(log.endOffset()).isEqualTo(2);
        }
    }

    @Test
    void intervalPolicyAcknowledgesAtOnceAndFsyncsLater()
            throws Exception
    {
        try (BucketLog log = BucketLog.open(dir, FSYNC.withFlushPolicy(FlushPolicy.INTERVAL).withFlushIntervalMs(60_000));
                GroupCommit groupCommit = new GroupCommit("test")) {
            groupCommit.start();
            CompletableFuture<AppendResult> future = append(groupCommit, log, 1);
            assertThat(future).isCompletedWithValue(new AppendResult(0, 0, T0 + 1, false));
            // acknowledged and visible, not yet durable: this is the documented loss window
            assertThat(log.highWatermark()).isEqualTo(1);
            assertThat(log.flushedOffset()).isZero();
            assertThat(groupCommit.fsyncCount()).isZero();

            groupCommit.flushNow();
            assertThat(log.flushedOffset()).isEqualTo(1);
            assertThat(groupCommit.fsyncCount()).isEqualTo(1);
        }
    }

    @Test
    void intervalPolicyFsyncsOnItsOwn()
            throws Exception
    {
        try (BucketLog log = BucketLog.open(dir, FSYNC.withFlushPolicy(FlushPolicy.INTERVAL).withFlushIntervalMs(10));
                GroupCommit groupCommit = new GroupCommit("test")) {
            groupCommit.start();
            for (int i = 0; i < 5; i++) {
                assertThat(append(groupCommit, log, i)).isDone();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (log.flushedOffset() < 5 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            assertThat(log.flushedOffset()).isEqualTo(5);
        }
    }

    @Test
    void nonePolicyNeverFsyncs()
            throws Exception
    {
        try (BucketLog log = BucketLog.open(dir, FSYNC.withFlushPolicy(FlushPolicy.NONE));
                GroupCommit groupCommit = new GroupCommit("test")) {
            assertThat(append(groupCommit, log, 1)).isCompletedWithValue(new AppendResult(0, 0, T0 + 1, false));
            groupCommit.flushNow();
            assertThat(groupCommit.fsyncCount()).isZero();
            assertThat(log.flushedOffset()).isZero();
            assertThat(log.highWatermark()).isEqualTo(1);
        }
    }

    @Test
    void closeCompletesWhatIsWaiting()
            throws IOException
    {
        try (BucketLog log = BucketLog.open(dir, FSYNC)) {
            GroupCommit groupCommit = new GroupCommit("test");
            CompletableFuture<AppendResult> future = append(groupCommit, log, 1);
            assertThat(future).isNotDone();
            groupCommit.close();
            assertThat(future).isCompletedWithValue(new AppendResult(0, 0, T0 + 1, false));
            CompletableFuture<AppendResult> late = append(groupCommit, log, 2);
            assertThat(late).isCompletedExceptionally();
            assertThat(late.exceptionNow()).isInstanceOf(LogStorageException.class).hasMessage("Group commit test is closed");
        }
    }

    private static AppendResult await(CompletableFuture<AppendResult> future)
    {
        try {
            return future.get(30, TimeUnit.SECONDS);
        }
        catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError(e);
        }
    }
}
