/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * The log of one bucket of one table: a directory of segments holding record batches at dense
 * offsets 0, 1, 2, ... Appends go to the last (active) segment, which rolls when it is full or
 * old; retention deletes whole segments from the front.
 *
 * <p>Offsets: {@link #earliestOffset()} is the first offset still held, {@link #endOffset()} the
 * next one to be assigned, {@link #highWatermark()} the end of what readers see. Under
 * {@link FlushPolicy#FSYNC} the high watermark is the {@link #flushedOffset()}: readers (and the
 * tiering service) only see appends that are durable, so a crash never takes back data someone
 * has read. Under the other policies it is the end offset.
 *
 * <p>Durability: {@link #append} writes to the page cache and returns; {@link #flush} makes
 * everything appended so far durable. {@link GroupCommit} turns that into acknowledged appends.
 * A segment is fsynced when it rolls, so after a crash only the active segment can have lost or
 * torn data, and only it is recovered. Writer state survives through {@link WriterStateSnapshot}s
 * written at roll and close, brought up to date by replaying batch headers.
 *
 * <p>Failure: if a write or fsync fails, the log goes offline: appends and flushes throw
 * {@link LogStorageException} until the log is reopened, which recovers it from what reached the
 * disk. Retrying an fsync after a failure proves nothing, since the kernel may have dropped the
 * dirty pages.
 *
 * <p>Thread safety: thread-safe. Appends, rolls, retention and close are serialized by a lock;
 * reads and {@link #offsetForTimestamp} take no lock and run concurrently with them; the fsync of
 * {@link #flush} runs outside the lock, so appends continue while it waits for the disk.
 */
public final class BucketLog
        implements Closeable
{
    private static final Logger log = LoggerFactory.getLogger(BucketLog.class);

    private static final int WRITER_SNAPSHOTS_TO_KEEP = 2;

    private final Path directory;
    private final String name;
    private final LogConfig config;
    private final RecoveryReport recoveryReport;
    private final ReentrantLock lock = new ReentrantLock();
    private final ConcurrentSkipListMap<Long, LogSegment> segments;
    private final WriterStateTable writers;
    private final AtomicLong flushedOffset;
    // bytes appended since open (guarded by lock) and how many of them are flushed: durability is
    // tracked by bytes because a zero-record batch adds bytes but no offset
    private long appendedBytes;
    private final AtomicLong flushedBytes = new AtomicLong();
    private final LongAdder fsyncs = new LongAdder();
    private final ReentrantLock highWatermarkLock = new ReentrantLock();
    private final Condition highWatermarkAdvanced = highWatermarkLock.newCondition();
    private final AtomicInteger highWatermarkWaiters = new AtomicInteger();

    private volatile LogSegment activeSegment;
    private volatile long endOffset;
    private volatile long earliestOffset;
    private volatile boolean closed;
    private volatile Throwable failure;
    private long lastTimestamp;

    BucketLog(Path directory, LogConfig config, NavigableMap<Long, LogSegment> segments, WriterStateTable writers, RecoveryReport recoveryReport)
    {
        this.directory = requireNonNull(directory, "directory is null");
        this.name = directory.toString();
        this.config = requireNonNull(config, "config is null");
        this.segments = new ConcurrentSkipListMap<>(requireNonNull(segments, "segments is null"));
        this.writers = requireNonNull(writers, "writers is null");
        this.recoveryReport = requireNonNull(recoveryReport, "recoveryReport is null");
        this.activeSegment = this.segments.lastEntry().getValue();
        this.endOffset = activeSegment.nextOffset();
        this.earliestOffset = this.segments.firstKey();
        // whatever survived recovery is on disk; treat it as durable
        this.flushedOffset = new AtomicLong(endOffset);
        this.lastTimestamp = this.segments.descendingMap().values().stream()
                .mapToLong(LogSegment::largestTimestamp)
                .filter(timestamp -> timestamp != LogSegment.NO_TIMESTAMP)
                .findFirst()
                .orElse(Long.MIN_VALUE);
    }

    /**
     * Opens the bucket log in {@code directory}, creating it if needed, and recovers it; see
     * {@link LogLoader}. The returned log's {@link #recoveryReport()} says what was done.
     */
    public static BucketLog open(Path directory, LogConfig config)
            throws IOException
    {
        return LogLoader.load(directory, config);
    }

    public Path directory()
    {
        return directory;
    }

    public LogConfig config()
    {
        return config;
    }

    public RecoveryReport recoveryReport()
    {
        return recoveryReport;
    }

    /** The first offset the log holds; equal to {@link #endOffset()} when it holds nothing. */
    public long earliestOffset()
    {
        return earliestOffset;
    }

    /** The offset the next appended record gets. */
    public long endOffset()
    {
        return endOffset;
    }

    /** Offsets below this are fsynced. */
    public long flushedOffset()
    {
        return flushedOffset.get();
    }

    /**
     * Whether the writer already appended a batch with this sequence (what {@link #append} would
     * answer without writing), checked before a caller does work that depends on the batch being
     * new (merging an upsert batch).
     *
     * @throws OutOfOrderSequenceException if the sequence skips ahead or is too old
     */
    public Optional<AppendResult> checkDuplicate(long writerId, int writerSequence)
    {
        lock.lock();
        try {
            return writers.checkSequence(writerId, writerSequence).map(r -> r.withFlushTarget(appendedBytes));
        }
        finally {
            lock.unlock();
        }
    }

    /** Whether an append (or a duplicate's answer) is on disk: every byte up to its flush target is flushed. */
    public boolean isDurable(AppendResult result)
    {
        return flushedBytes.get() >= result.flushTarget();
    }

    /** Offsets below this are acknowledged and visible to readers; see the class comment. */
    public long highWatermark()
    {
        return config.flushPolicy() == FlushPolicy.FSYNC ? flushedOffset.get() : endOffset;
    }

    /** How many fsyncs this log has issued since it was opened (files and directory). */
    public long fsyncCount()
    {
        return fsyncs.sum();
    }

    /**
     * Appends one batch at the end of the log and returns its offsets. The batch is in the page
     * cache when this returns; it is durable after the next {@link #flush}.
     *
     * <p>For an idempotent writer ({@code writerId >= 0}): if the writer already appended a batch
     * with this sequence, nothing is written and the original offsets come back with
     * {@code duplicate} set; a sequence that skips ahead is rejected.
     *
     * @param payload the batch's payload (an Arrow IPC message), written as is; its position does
     *     not move
     * @param recordCount how many records (and so offsets) the batch holds
     * @param schemaId the schema the payload was written with
     * @param writerId the idempotent writer, or {@link RecordBatch#NO_WRITER_ID}
     * @param writerSequence the writer's batch sequence, or {@link RecordBatch#NO_WRITER_SEQUENCE}
     * @param commitTimestamp the server's clock (epoch ms); raised to the previous batch's if the
     *     clock went back, so that commit timestamps never decrease along the log
     * @throws RecordBatchTooLargeException if the payload exceeds {@link LogConfig#maxBatchBytes()}
     * @throws OutOfOrderSequenceException if the writer's sequence skips ahead or is too old
     * @throws LogStorageException if the log is closed or offline
     */
    public AppendResult append(ByteBuffer payload, int recordCount, int schemaId, long writerId, int writerSequence, long commitTimestamp)
            throws IOException
    {
        requireNonNull(payload, "payload is null");
        return append(new ByteBuffer[] {payload}, recordCount, schemaId, writerId, writerSequence, commitTimestamp);
    }

    /**
     * Same as {@link #append(ByteBuffer, int, int, long, int, long)} for a payload in parts, which
     * are stored one after the other, as one payload, with one gathering write (a server writes an
     * Arrow message from the received vectors' buffers without copying them into one buffer first).
     * The parts are not used after this returns.
     */
    public AppendResult append(ByteBuffer[] payload, int recordCount, int schemaId, long writerId, int writerSequence, long commitTimestamp)
            throws IOException
    {
        requireNonNull(payload, "payload is null");
        if (recordCount < 0) {
            throw new IllegalArgumentException("recordCount must not be negative: " + recordCount);
        }
        // validates the writer fields before the writer table sees them
        RecordBatch.HeaderBuilder builder = RecordBatch.header().recordCount(recordCount).schemaId(schemaId).writer(writerId, writerSequence);
        long payloadSize = RecordBatch.remaining(payload);
        long batchSize = RecordBatch.HEADER_SIZE + payloadSize;
        RecordBatch.checkPayloadSize(payloadSize, config.maxBatchBytes(), name);

        lock.lock();
        try {
            checkWritable();
            if (writerId != RecordBatch.NO_WRITER_ID) {
                Optional<AppendResult> original = writers.checkSequence(writerId, writerSequence);
                if (original.isPresent()) {
                    // durable at the latest once everything appended so far is
                    return original.get().withFlushTarget(appendedBytes);
                }
            }
            long timestamp = Math.max(commitTimestamp, lastTimestamp);
            long baseOffset = endOffset;
            if (baseOffset > Long.MAX_VALUE - recordCount) {
                throw new LogStorageException("Bucket log %s has run out of offsets".formatted(name));
            }
            long lastOffset = baseOffset + recordCount - 1;
            ByteBuffer header = builder.baseOffset(baseOffset).commitTimestamp(timestamp).encodeHeader(payload);
            RecordBatchHeader decoded = RecordBatch.readHeader(header);
            try {
                if (activeSegment.shouldRoll((int) batchSize, timestamp, lastOffset)) {
                    roll();
                }
                activeSegment.append(decoded, header, payload);
            }
            catch (IOException e) {
                throw goOffline("append at offset " + baseOffset, e);
            }
            if (writerId != RecordBatch.NO_WRITER_ID) {
                writers.record(writerId, writerSequence, baseOffset, lastOffset, timestamp);
            }
            lastTimestamp = timestamp;
            endOffset = lastOffset + 1;
            appendedBytes += batchSize;
            if (config.flushPolicy() != FlushPolicy.FSYNC) {
                signalHighWatermark();
            }
            return new AppendResult(baseOffset, lastOffset, timestamp, false, appendedBytes);
        }
        finally {
            lock.unlock();
        }
    }

    /**
     * Makes every batch appended before the call durable: fsyncs the active segment's log file
     * (closed segments were fsynced when they rolled; indexes are rebuilt by recovery, so they are
     * not fsynced here). The fsync runs outside the lock: appends made meanwhile are covered by the
     * next flush.
     *
     * @return the number of fsyncs issued: 0 if everything was already durable, else 1
     * @throws LogStorageException if the log is offline, or goes offline because the fsync failed
     */
    public int flush()
            throws IOException
    {
        LogSegment segment;
        long target;
        long targetBytes;
        lock.lock();
        try {
            target = endOffset;
            targetBytes = appendedBytes;
            if (flushedBytes.get() >= targetBytes) {
                return 0;
            }
            checkWritable();
            segment = activeSegment;
        }
        finally {
            lock.unlock();
        }
        try {
            segment.flushLog();
        }
        catch (ClosedChannelException e) {
            // close() or a roll flushed the segment meanwhile
            if (flushedBytes.get() >= targetBytes) {
                return 0;
            }
            throw goOffline("fsync", e);
        }
        catch (IOException e) {
            throw goOffline("fsync", e);
        }
        fsyncs.increment();
        flushedOffset.accumulateAndGet(target, Math::max);
        flushedBytes.accumulateAndGet(targetBytes, Math::max);
        signalHighWatermark();
        return 1;
    }

    /**
     * Reads batches from {@code startOffset} on, below the high watermark, across segments.
     * The first batch is the one that holds {@code startOffset}, so it may start before it. Whole
     * batches are returned as long as their total size stays within {@code maxBytes}, and at least
     * one even if it alone is larger. An offset at the high watermark (or between it and the end
     * offset) gives an empty result: the data is not there yet or not yet durable.
     *
     * <p>The batches are file regions, not copies; see {@link LogBatch}.
     *
     * @throws OffsetOutOfRangeException if {@code startOffset} is below the earliest offset or
     *     above the end offset
     * @throws CorruptLogException if a batch header on the way is damaged
     */
    public LogReadResult read(long startOffset, int maxBytes)
            throws IOException
    {
        return read(startOffset, Long.MAX_VALUE, maxBytes);
    }

    /**
     * Like {@link #read(long, int)}, and also stops before the first batch that starts at or after
     * {@code maxOffset} (a batch that starts below it is returned whole).
     */
    public LogReadResult read(long startOffset, long maxOffset, int maxBytes)
            throws IOException
    {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
        }
        checkOpen();
        long highWatermark = highWatermark();
        long end = endOffset;
        long earliest = earliestOffset;
        if (startOffset < earliest || startOffset > end) {
            throw new OffsetOutOfRangeException(directory, startOffset, earliest, end);
        }
        List<LogBatch> batches = new ArrayList<>();
        long bound = Math.min(highWatermark, maxOffset);
        if (startOffset >= bound) {
            return new LogReadResult(batches, earliest, highWatermark, end);
        }
        try {
            long position = startOffset;
            long remaining = maxBytes;
            Long key = segments.floorKey(startOffset);
            while (key != null && position < bound) {
                LogSegment segment = segments.get(key);
                if (segment == null) {
                    throw new ClosedChannelException();
                }
                List<LogBatch> found = segment.read(position, bound, remaining, batches.isEmpty());
                for (LogBatch batch : found) {
                    batches.add(batch);
                    remaining -= batch.sizeInBytes();
                    position = batch.header().nextOffset();
                }
                if (position < Math.min(segment.nextOffset(), bound)) {
                    break;
                }
                key = segments.higherKey(key);
            }
        }
        catch (ClosedChannelException e) {
            // retention deleted a segment under the read
            if (startOffset < earliestOffset) {
                throw new OffsetOutOfRangeException(directory, startOffset, earliestOffset, endOffset);
            }
            checkOpen();
            throw e;
        }
        return new LogReadResult(batches, earliest, highWatermark, end);
    }

    /**
     * Waits until offset {@code offset} is readable (the high watermark passed it), for a reader
     * at the tail that long-polls. Returns early when the log closes.
     *
     * @return whether the high watermark is above {@code offset}
     */
    public boolean awaitHighWatermark(long offset, long timeout, TimeUnit unit)
            throws InterruptedException
    {
        if (highWatermark() > offset) {
            return true;
        }
        long remaining = unit.toNanos(timeout);
        highWatermarkWaiters.incrementAndGet();
        highWatermarkLock.lock();
        try {
            // an advance publishes the offset, then checks for waiters; a waiter registers, then checks the offset
            while (highWatermark() <= offset && !closed && remaining > 0) {
                remaining = highWatermarkAdvanced.awaitNanos(remaining);
            }
            return highWatermark() > offset;
        }
        finally {
            highWatermarkLock.unlock();
            highWatermarkWaiters.decrementAndGet();
        }
    }

    /**
     * The first offset whose batch has a commit timestamp at or after {@code timestamp}: the base
     * offset of that batch (all its records share the timestamp). Empty if no batch below the high
     * watermark is that new. Uses the time indexes, then scans a few headers.
     */
    public OptionalLong offsetForTimestamp(long timestamp)
            throws IOException
    {
        checkOpen();
        long highWatermark = highWatermark();
        for (LogSegment segment : segments.values()) {
            if (segment.baseOffset() >= highWatermark) {
                break;
            }
            // commit timestamps never decrease along the log, so the first segment that reaches the timestamp holds the answer
            if (segment.largestTimestamp() >= timestamp) {
                return segment.offsetForTimestamp(timestamp, highWatermark);
            }
        }
        return OptionalLong.empty();
    }

    /** The segments, oldest first. */
    public List<SegmentInfo> segments()
    {
        LogSegment active = activeSegment;
        List<SegmentInfo> infos = new ArrayList<>();
        for (LogSegment segment : segments.values()) {
            infos.add(info(segment, segment == active));
        }
        return infos;
    }

    /** Bytes in all segment files. */
    public long sizeInBytes()
    {
        long size = 0;
        for (LogSegment segment : segments.values()) {
            size += segment.sizeInBytes();
        }
        return size;
    }

    /**
     * Deletes the closed segments whose offsets all lie below {@code offsetLimit}, oldest first,
     * stopping at the first that does not; never the active segment. Used by {@link Retention}.
     * Readers holding batches of a deleted segment get {@link ClosedChannelException}s from them.
     *
     * @return the deleted segments
     */
    public List<SegmentInfo> deleteSegmentsBefore(long offsetLimit)
            throws IOException
    {
        lock.lock();
        try {
            checkOpen();
            List<LogSegment> doomed = new ArrayList<>();
            for (LogSegment segment : segments.values()) {
                if (segment == activeSegment || segment.nextOffset() > offsetLimit) {
                    break;
                }
                doomed.add(segment);
            }
            if (doomed.isEmpty()) {
                return List.of();
            }
            List<SegmentInfo> deleted = new ArrayList<>();
            for (LogSegment segment : doomed) {
                segments.remove(segment.baseOffset());
                deleted.add(info(segment, false));
            }
            earliestOffset = segments.firstKey();
            writers.removeBefore(earliestOffset);
            for (LogSegment segment : doomed) {
                try {
                    segment.delete();
                }
                catch (IOException e) {
                    // the log no longer refers to it; leftover files are cleaned at the next start
                    log.warn("Could not delete the files of segment {}", segment.logFile(), e);
                }
            }
            log.info("Deleted {} segments of bucket log {} below offset {}; earliest offset is now {}", doomed.size(), name, offsetLimit, earliestOffset);
            return deleted;
        }
        finally {
            lock.unlock();
        }
    }

    /**
     * Checks every batch of every segment (structure, offsets, CRC) and every offset-index entry.
     * Reads each segment whole; meant for tools and tests, not the serving path.
     *
     * @throws CorruptLogException naming the file and position of the first problem
     */
    public void verify()
            throws IOException
    {
        checkOpen();
        for (LogSegment segment : segments.values()) {
            segment.verify();
        }
    }

    /**
     * Flushes everything, writes a writer-state snapshot and the clean-shutdown marker, and closes
     * the files. If the log is offline no marker is written, so the next open recovers it.
     * Idempotent.
     */
    @Override
    public void close()
            throws IOException
    {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            IOException failed = null;
            try {
                if (failure == null) {
                    LogSegment active = activeSegment;
                    fsyncs.add(active.flush());
                    flushedOffset.accumulateAndGet(endOffset, Math::max);
                    flushedBytes.accumulateAndGet(appendedBytes, Math::max);
                    writeWriterSnapshot(endOffset);
                    new CleanShutdownMarker(endOffset, active.baseOffset(), active.sizeInBytes()).write(directory);
                    fsyncs.add(2);
                }
            }
            catch (IOException e) {
                failed = e;
            }
            signalHighWatermark();
            for (LogSegment segment : segments.values()) {
                try {
                    segment.close();
                }
                catch (IOException e) {
                    if (failed == null) {
                        failed = e;
                    }
                    else {
                        failed.addSuppressed(e);
                    }
                }
            }
            if (failed != null) {
                throw failed;
            }
        }
        finally {
            lock.unlock();
        }
    }

    /**
     * Closes the log without flushing and deletes its directory with every file in it, for a
     * dropped table. Readers holding batches get {@link ClosedChannelException}s from them.
     */
    public void closeAndDelete()
            throws IOException
    {
        lock.lock();
        try {
            closed = true;
            signalHighWatermark();
            for (LogSegment segment : segments.values()) {
                try {
                    segment.close();
                }
                catch (IOException e) {
                    log.warn("Could not close segment {} before deleting it", segment.logFile(), e);
                }
            }
            segments.clear();
            try (Stream<Path> files = Files.list(directory)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(directory);
            log.info("Deleted bucket log {}", name);
        }
        finally {
            lock.unlock();
        }
    }

    @Override
    public String toString()
    {
        return "BucketLog[%s, offsets [%d, %d), %d segments]".formatted(name, earliestOffset, endOffset, segments.size());
    }

    /** The writer state, for tests in this package. */
    WriterStateTable writerState()
    {
        return writers;
    }

    /** The active segment, for tests in this package. */
    LogSegment activeSegment()
    {
        return activeSegment;
    }

    /**
     * Closes the active segment and starts a new one at the end offset. The closed segment is
     * fsynced first, with its indexes: from then on only the new segment can lose data in a crash,
     * which is what lets the loader recover only the last segment. The new file is made durable by
     * fsyncing the directory, and a writer-state snapshot is taken at the boundary.
     */
    private void roll()
            throws IOException
    {
        LogSegment old = activeSegment;
        fsyncs.add(old.flush());
        flushedOffset.accumulateAndGet(endOffset, Math::max);
        flushedBytes.accumulateAndGet(appendedBytes, Math::max);
        signalHighWatermark();
        LogSegment next = LogSegment.create(directory, endOffset, config);
        FileChannels.fsyncDirectory(directory);
        fsyncs.increment();
        segments.put(next.baseOffset(), next);
        activeSegment = next;
        log.debug("Rolled bucket log {} at offset {} ({} bytes in {})", name, endOffset, old.sizeInBytes(), old.logFile().getFileName());
        writeWriterSnapshot(endOffset);
    }

    private void writeWriterSnapshot(long offset)
            throws IOException
    {
        WriterStateSnapshot.write(directory, offset, writers);
        fsyncs.add(2);
        List<Long> offsets = LogLoader.snapshotOffsets(directory);
        for (int i = 0; i < offsets.size() - WRITER_SNAPSHOTS_TO_KEEP; i++) {
            Files.deleteIfExists(LogFileNames.writerSnapshotFile(directory, offsets.get(i)));
        }
    }

    private void signalHighWatermark()
    {
        if (highWatermarkWaiters.get() > 0) {
            highWatermarkLock.lock();
            try {
                highWatermarkAdvanced.signalAll();
            }
            finally {
                highWatermarkLock.unlock();
            }
        }
    }

    private static SegmentInfo info(LogSegment segment, boolean active)
    {
        return new SegmentInfo(segment.baseOffset(), segment.nextOffset(), segment.sizeInBytes(), segment.largestTimestamp(), active);
    }

    private void checkOpen()
    {
        if (closed) {
            throw new LogStorageException("Bucket log %s is closed".formatted(name));
        }
    }

    private void checkWritable()
    {
        checkOpen();
        Throwable cause = failure;
        if (cause != null) {
            throw new LogStorageException("Bucket log %s is offline after an I/O error; reopen it to recover".formatted(name), cause);
        }
    }

    private LogStorageException goOffline(String operation, IOException cause)
    {
        if (failure == null) {
            failure = cause;
            log.error("Bucket log {} goes offline: {} failed", name, operation, cause);
        }
        return new LogStorageException("Bucket log %s failed during %s and is offline until reopened".formatted(name, operation), cause);
    }
}
