/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.storage;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalLong;

import static dev.inlet.logstore.storage.TestBucketLog.SMALL;
import static dev.inlet.logstore.storage.TestBucketLog.T0;
import static dev.inlet.logstore.storage.TestRecordBatch.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The log under test: 13 batches of 10 records and 300 bytes, committed one second apart, in
 * segments of three batches (900 bytes): four closed segments [0, 30) ... [90, 120) whose newest
 * batches are at T0 + 2 s, 5 s, 8 s and 11 s, and the active segment [120, 130).
 */
class TestRetention
{
    private static final long NO_LIMIT = -1;

    @TempDir
    Path dir;

    @BeforeEach
    void writeLog()
            throws IOException
    {
        try (BucketLog log = BucketLog.open(dir, SMALL)) {
            for (int i = 0; i < 13; i++) {
                log.append(payload(253, i), 10, 1, -1, -1, T0 + 1000L * i);
            }
            assertThat(log.segments()).extracting(SegmentInfo::baseOffset).containsExactly(0L, 30L, 60L, 90L, 120L);
            assertThat(log.segments()).extracting(SegmentInfo::sizeInBytes).containsExactly(900L, 900L, 900L, 900L, 300L);
            assertThat(log.segments()).extracting(SegmentInfo::largestTimestamp).containsExactly(T0 + 2000, T0 + 5000, T0 + 8000, T0 + 11000, T0 + 12000);
        }
    }

    @Test
    void deletesSegmentsWhoseNewestBatchIsOlderThanRetention()
            throws IOException
    {
        try (BucketLog log = BucketLog.open(dir, SMALL)) {
            // cutoff T0 + 7001: the segments ending at 2 s and 5 s are older, the one ending at 8 s is not
            Retention.Result result = Retention.apply(log, T0 + 8001, 1000, NO_LIMIT, OptionalLong.empty());
            assertThat(result.deleted()).extracting(deleted -> deleted.segment().baseOffset()).containsExactly(0L, 30L);
            assertThat(result.deleted()).extracting(Retention.DeletedSegment::reason).containsOnly(Retention.Reason.TIME);
            assertThat(result.deletedBytes()).isEqualTo(1800);
            assertThat(result.earliestOffset()).isEqualTo(60);
            assertThat(log.earliestOffset()).isEqualTo(60);
            assertThat(LogFileNames.logFile(dir, 0)).doesNotExist();
            assertThat(LogFileNames.offsetIndexFile(dir, 30)).doesNotExist();
            assertThatThrownBy(() -> log.read(59, 100)).isInstanceOf(OffsetOutOfRangeException.class);

            // a batch exactly retentionMs old is kept
            assertThat(Retention.apply(log, T0 + 9000, 1000, NO_LIMIT, OptionalLong.empty()).deleted()).isEmpty();
        }
        try (BucketLog log = BucketLog.open(dir, SMALL)) {
            assertThat(log.earliestOffset()).isEqualTo(60);
        }
    }

    @Test
    void deletesTheOldestSegmentsBeyondTheSizeBudget()
            throws IOException
    {
        try (BucketLog log = BucketLog.open(dir, SMALL)) {
            // 3900 bytes; keeping at least 1900 allows deleting two segments (2100 remain), not three (1200)
            Retention.Result result = Retention.apply(log, T0, NO_LIMIT, 1900, OptionalLong.empty());
            assertThat(result.deleted()).extracting(deleted -> deleted.segment().baseOffset()).containsExactly(0L, 30L);
            assertThat(result.deleted()).extracting(Retention.DeletedSegment::reason).containsOnly(Retention.Reason.SIZE);
            assertThat(log.sizeInBytes()).isEqualTo(2100);
            assertThat(Retention.apply(log, T0, NO_LIMIT, 1900, OptionalLong.empty()).deleted()).isEmpty();
        }
    }

    @Test
    void neverDeletesOffsetsAtOrAfterTheTieredOffset()
            throws IOException
    {
        try (BucketLog log = BucketLog.open(dir, SMALL)) {
            // everything is expired, but the lake has only [0, 75)
            Retention.Result result = Retention.apply(log, T0 + 1_000_000, 0, 0, OptionalLong.of(75));
            assertThat(result.deleted()).extracting(deleted -> deleted.segment().baseOffset()).containsExactly(0L, 30L);
            assertThat(log.earliestOffset()).isEqualTo(60);

            assertThat(Retention.apply(log, T0 + 1_000_000, 0, 0, OptionalLong.of(89)).deleted()).isEmpty();
            assertThat(Retention.apply(log, T0 + 1_000_000, 0, 0, OptionalLong.of(90)).deleted()).extracting(deleted -> deleted.segment().baseOffset()).containsExactly(60L);
        }
    }

    @Test
    void nothingIsDeletedBeforeAnythingIsTiered()
            throws IOException
    {
        try (BucketLog log = BucketLog.open(dir, SMALL)) {
            assertThat(Retention.apply(log, T0 + 1_000_000, 0, 0, OptionalLong.of(0)).deleted()).isEmpty();
            assertThat(log.segments()).hasSize(5);
        }
    }

    @Test
    void everyUntieredOffsetSurvives(@TempDir Path scratch)
            throws IOException
    {
        for (long tiered = 0; tiered <= 130; tiered += 7) {
            Path copy = scratch.resolve("tiered-" + tiered);
            TestBucketLog.copyDirectory(dir, copy);
            try (BucketLog log = BucketLog.open(copy, SMALL)) {
                Retention.apply(log, T0 + 1_000_000, 0, 0, OptionalLong.of(tiered));
                // the closed segments entirely below the tiered offset are gone, nothing else
                long expectedEarliest = Math.min(tiered / 30 * 30, 120);
                assertThat(log.earliestOffset()).as("tiered offset %d", tiered).isEqualTo(expectedEarliest);
                assertThat(log.read(Math.min(tiered, 129), 1).batches()).isNotEmpty();
            }
        }
    }

    @Test
    void neverDeletesTheActiveSegment()
            throws IOException
    {
        try (BucketLog log = BucketLog.open(dir, SMALL)) {
            Retention.Result result = Retention.apply(log, T0 + 1_000_000, 0, 0, OptionalLong.of(130));
            assertThat(result.deleted()).hasSize(4);
            assertThat(log.segments()).extracting(SegmentInfo::baseOffset).containsExactly(120L);
            assertThat(log.earliestOffset()).isEqualTo(120);
            assertThat(log.read(120, 1000).batches()).hasSize(1);
            // and the log goes on
            assertThat(log.append(payload(10, 1), 1, 1, -1, -1, T0 + 1_000_000).baseOffset()).isEqualTo(130);
        }
    }

    @Test
    void noLimitsDeleteNothing()
            throws IOException
    {
        try (BucketLog log = BucketLog.open(dir, SMALL)) {
            assertThat(Retention.apply(log, Long.MAX_VALUE / 2, NO_LIMIT, NO_LIMIT, OptionalLong.empty()).deleted()).isEmpty();
        }
    }

    @Test
    void usesTheLogsConfiguration()
            throws IOException
    {
        try (BucketLog log = BucketLog.open(dir, SMALL.withRetentionMs(5000).withRetentionBytes(NO_LIMIT))) {
            // cutoff T0 + 6000: the segments ending at 2 s and 5 s go
            assertThat(Retention.apply(log, T0 + 11_000, OptionalLong.empty()).deleted()).extracting(deleted -> deleted.segment().baseOffset()).containsExactly(0L, 30L);
        }
    }
}
