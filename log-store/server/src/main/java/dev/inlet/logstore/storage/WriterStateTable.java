/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.storage;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static java.util.Objects.requireNonNull;

/**
 * Idempotent writers of one bucket: for each writer id, the last {@link #BATCHES_PER_WRITER}
 * batches it appended (sequence, offsets, commit timestamp). A writer numbers its batches 0, 1, 2,
 * ... (its first batch may start anywhere, and the number wraps from {@code Integer.MAX_VALUE} to
 * 0); when a retry finds its sequence here, the log answers with the original offsets instead of
 * writing the batch again.
 *
 * <p>The table is a function of the log: every entry comes from a batch header, so it can always
 * be rebuilt by replaying headers ({@link #replay}). Entries for batches retention deleted are
 * dropped ({@link #removeBefore}), and entries for batches a recovery cut are dropped
 * ({@link #truncateTo}), so a table loaded from a snapshot and brought up to date equals one
 * rebuilt from the retained log. {@link WriterStateSnapshot} stores it across restarts.
 *
 * <p>Writers are not expired by time yet: a writer id stays until retention deletes its batches.
 *
 * <p>Not thread-safe: the bucket log uses it under its lock.
 */
public final class WriterStateTable
{
    public static final int BATCHES_PER_WRITER = 5;

    /** One batch of a writer, as the table remembers it. */
    public record WriterBatch(int sequence, long baseOffset, long lastOffset, long commitTimestamp) {}

    private final String bucket;
    private final Map<Long, Deque<WriterBatch>> writers = new LinkedHashMap<>();

    /**
     * @param bucket names the bucket in error messages
     */
    public WriterStateTable(String bucket)
    {
        this.bucket = requireNonNull(bucket, "bucket is null");
    }

    /**
     * Checks a new batch's sequence before it is written.
     *
     * @return the original append, marked duplicate, if this writer already appended a batch with
     *     this sequence; empty if the batch is the writer's next (or first) one and should be written
     * @throws OutOfOrderSequenceException if the sequence skips ahead, or is older than the batches
     *     the table remembers
     */
    public Optional<AppendResult> checkSequence(long writerId, int sequence)
    {
        checkWriter(writerId, sequence);
        Deque<WriterBatch> batches = writers.get(writerId);
        if (batches == null) {
            return Optional.empty();
        }
        for (WriterBatch batch : batches) {
            if (batch.sequence() == sequence) {
                return Optional.of(new AppendResult(batch.baseOffset(), batch.lastOffset(), batch.commitTimestamp(), true));
            }
        }
        int expected = nextSequence(batches.getLast().sequence());
        if (sequence == expected) {
            return Optional.empty();
        }
        String reason = sequence > expected
                ? "the batches from sequence %d on never arrived".formatted(expected)
                : "older than the last %d batches the bucket remembers for this writer".formatted(batches.size());
        throw new OutOfOrderSequenceException(bucket, writerId, expected, sequence, reason);
    }

    /** Remembers a batch that was just appended; {@link #checkSequence} must have accepted it. */
    public void record(long writerId, int sequence, long baseOffset, long lastOffset, long commitTimestamp)
    {
        checkWriter(writerId, sequence);
        Deque<WriterBatch> batches = writers.computeIfAbsent(writerId, _ -> new ArrayDeque<>(BATCHES_PER_WRITER));
        for (WriterBatch known : batches) {
            if (known.sequence() == sequence && known.baseOffset() == baseOffset) {
                // replayed again: a writer snapshot taken at the offset of zero-record batches already holds them
                return;
            }
        }
        if (!batches.isEmpty() && baseOffset <= batches.getLast().lastOffset()) {
            throw new IllegalArgumentException("batch at offset %d of writer %d in bucket %s is not after its previous batch ending at offset %d".formatted(
                    baseOffset, writerId, bucket, batches.getLast().lastOffset()));
        }
        batches.addLast(new WriterBatch(sequence, baseOffset, lastOffset, commitTimestamp));
        if (batches.size() > BATCHES_PER_WRITER) {
            batches.removeFirst();
        }
    }

    /** Brings the table up to date with a batch read from the log; batches without a writer are ignored. */
    public void replay(RecordBatchHeader header)
    {
        if (header.hasWriter()) {
            record(header.writerId(), header.writerSequence(), header.baseOffset(), header.lastOffset(), header.commitTimestamp());
        }
    }

    /** Forgets batches that end before {@code earliestOffset}, which retention deleted. */
    public void removeBefore(long earliestOffset)
    {
        removeIf(batch -> batch.lastOffset() < earliestOffset);
    }

    /** Forgets batches that hold an offset at or after {@code offset}, which a truncation cut. */
    public void truncateTo(long offset)
    {
        removeIf(batch -> batch.lastOffset() >= offset);
    }

    public int writerCount()
    {
        return writers.size();
    }

    /** The sequence of the writer's last batch, if the table knows the writer. */
    public OptionalInt lastSequence(long writerId)
    {
        Deque<WriterBatch> batches = writers.get(writerId);
        return batches == null ? OptionalInt.empty() : OptionalInt.of(batches.getLast().sequence());
    }

    /** A copy of the table: writer id to its remembered batches, oldest first, in insertion order of writers. */
    public Map<Long, List<WriterBatch>> writers()
    {
        Map<Long, List<WriterBatch>> copy = new LinkedHashMap<>();
        writers.forEach((writerId, batches) -> copy.put(writerId, List.copyOf(batches)));
        return copy;
    }

    static int nextSequence(int sequence)
    {
        return sequence == Integer.MAX_VALUE ? 0 : sequence + 1;
    }

    private void removeIf(java.util.function.Predicate<WriterBatch> drop)
    {
        Iterator<Deque<WriterBatch>> iterator = writers.values().iterator();
        while (iterator.hasNext()) {
            Deque<WriterBatch> batches = iterator.next();
            batches.removeIf(drop);
            if (batches.isEmpty()) {
                iterator.remove();
            }
        }
    }

    private void checkWriter(long writerId, int sequence)
    {
        if (writerId < 0 || sequence < 0) {
            throw new IllegalArgumentException("writer %d with sequence %d: writer ids and sequences are non-negative".formatted(writerId, sequence));
        }
    }
}
