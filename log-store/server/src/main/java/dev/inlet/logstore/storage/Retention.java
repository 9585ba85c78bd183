/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.storage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * Decides which segments of a bucket log retention deletes, and deletes them. Segments go whole,
 * oldest first, and only while each one qualifies:
 * <ul>
 * <li>by time: its newest batch was committed more than {@code retentionMs} before {@code now};</li>
 * <li>by size: the log without it still holds at least {@code retentionBytes} (as in Kafka,
 *     {@code retentionBytes} is what is kept, so the log may stay up to one segment above it);</li>
 * </ul>
 * and never
 * <ul>
 * <li>the active segment, nor</li>
 * <li>for a lake-enabled table ({@code tieredOffset} present), a segment holding any offset at or
 *     after {@code tieredOffset}, the first offset not yet in the lake: data leaves the hot store
 *     only once the lake has it, whatever the retention settings say.</li>
 * </ul>
 *
 * <p>Stateless; thread-safe as far as {@link BucketLog} is.
 */
public final class Retention
{
    private Retention() {}

    /** Why a segment was deleted. */
    public enum Reason
    {
        TIME,
        SIZE,
    }

    public record DeletedSegment(SegmentInfo segment, Reason reason)
    {
        public DeletedSegment
        {
            requireNonNull(segment, "segment is null");
            requireNonNull(reason, "reason is null");
        }
    }

    /**
     * What one pass deleted.
     *
     * @param deleted the deleted segments, oldest first
     * @param earliestOffset the log's earliest offset afterwards
     */
    public record Result(List<DeletedSegment> deleted, long earliestOffset)
    {
        public Result
        {
            deleted = List.copyOf(requireNonNull(deleted, "deleted is null"));
        }

        public long deletedBytes()
        {
            return deleted.stream().mapToLong(segment -> segment.segment().sizeInBytes()).sum();
        }
    }

    /** Applies the log's own {@link LogConfig#retentionMs()} and {@link LogConfig#retentionBytes()}. */
    public static Result apply(BucketLog log, long now, OptionalLong tieredOffset)
            throws IOException
    {
        return apply(log, now, log.config().retentionMs(), log.config().retentionBytes(), tieredOffset);
    }

    /**
     * Deletes what retention allows; see the class comment.
     *
     * @param now the current time, epoch ms
     * @param retentionMs keep segments whose newest batch is younger than this; -1 for no limit
     * @param retentionBytes keep at least this many of the newest bytes; -1 for no limit
     * @param tieredOffset for a lake-enabled table, the bucket's first offset not yet tiered;
     *     empty for a table without a lake
     */
    public static Result apply(BucketLog log, long now, long retentionMs, long retentionBytes, OptionalLong tieredOffset)
            throws IOException
    {
        requireNonNull(log, "log is null");
        requireNonNull(tieredOffset, "tieredOffset is null");
        if (retentionMs < -1 || retentionBytes < -1) {
            throw new IllegalArgumentException("retentionMs and retentionBytes must be -1 (no limit) or non-negative: %d, %d".formatted(retentionMs, retentionBytes));
        }
        List<SegmentInfo> segments = log.segments();
        long remainingBytes = segments.stream().mapToLong(SegmentInfo::sizeInBytes).sum();
        Map<Long, Reason> reasons = new HashMap<>();
        long limit = -1;
        for (SegmentInfo segment : segments) {
            if (segment.active()) {
                break;
            }
            if (tieredOffset.isPresent() && segment.nextOffset() > tieredOffset.getAsLong()) {
                break;
            }
            boolean expired = retentionMs >= 0 && segment.largestTimestamp() < now - retentionMs;
            boolean overSize = retentionBytes >= 0 && remainingBytes - segment.sizeInBytes() >= retentionBytes;
            if (!expired && !overSize) {
                break;
            }
            reasons.put(segment.baseOffset(), expired ? Reason.TIME : Reason.SIZE);
            remainingBytes -= segment.sizeInBytes();
            limit = segment.nextOffset();
        }
        if (limit < 0) {
            return new Result(List.of(), log.earliestOffset());
        }
        List<DeletedSegment> deleted = new ArrayList<>();
        for (SegmentInfo segment : log.deleteSegmentsBefore(limit)) {
            deleted.add(new DeletedSegment(segment, reasons.getOrDefault(segment.baseOffset(), Reason.SIZE)));
        }
        return new Result(deleted, log.earliestOffset());
    }
}
