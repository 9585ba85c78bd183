/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.storage;

import dev.inlet.logstore.storage.OffsetIndex.OffsetPosition;
import dev.inlet.logstore.storage.TimeIndex.TimestampOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.zip.CRC32C;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static java.util.Objects.requireNonNull;

/**
 * One segment of a bucket log: a {@code .log} file of record batches (see {@link RecordBatch}),
 * written back to back with no gaps and no file header, plus its {@link OffsetIndex} and
 * {@link TimeIndex}. The segment's base offset, in all three file names, is the base offset of its
 * first batch; each further batch starts at the offset where the previous one ended.
 *
 * <p>Life cycle: {@link #create} makes an empty segment. {@link #open} attaches to existing files
 * and must be followed by exactly one of {@link #load} (trust the log, check the indexes),
 * {@link #recover} (the active segment after a crash: cut a torn tail) or {@link #rebuildIndexes}
 * (a closed segment with a bad index: rebuild, but report rather than cut corrupt data).
 *
 * <p>Integrity: the log file is the truth and the indexes are derived from it. Recovery checks
 * every batch's structure and CRC. Reads check the structure of each header they pass (magic,
 * length, contiguous offsets) but not payload CRCs, which {@link LogBatch#readPayload} and
 * {@link #verify} check; a problem in a closed segment is always an error naming the file and
 * byte position, never skipped.
 *
 * <p>Thread safety: one thread at a time may append, truncate, recover, flush or close (the bucket
 * log serializes them under its lock); reads, lookups and {@link #verify} may run concurrently with
 * each other and with appends. An append writes the batch, then index entries, then publishes the
 * new size and next offset, so readers bounded by {@link #nextOffset()} never see partial data.
 */
final class LogSegment
        implements Closeable
{
    private static final Logger log = LoggerFactory.getLogger(LogSegment.class);

    /** Timestamp of an empty segment. */
    static final long NO_TIMESTAMP = Long.MIN_VALUE;

    private static final int SCAN_CHUNK_BYTES = 64 * 1024;

    private final long baseOffset;
    private final LogConfig config;
    private final Path logFile;
    private final FileChannel channel;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;

    // published in this order by the writer: size, then nextOffset
    private volatile int size;
    private volatile long nextOffset;
    private volatile long firstTimestamp = NO_TIMESTAMP;
    private volatile long largestTimestamp = NO_TIMESTAMP;
    private int bytesSinceLastIndexEntry;
    private boolean loaded;

    private LogSegment(Path dir, long baseOffset, LogConfig config, FileChannel channel)
            throws IOException
    {
        this.baseOffset = baseOffset;
        this.config = requireNonNull(config, "config is null");
        this.logFile = LogFileNames.logFile(dir, baseOffset);
        this.channel = requireNonNull(channel, "channel is null");
        OffsetIndex offsetIndex = null;
        try {
            offsetIndex = new OffsetIndex(LogFileNames.offsetIndexFile(dir, baseOffset), baseOffset);
            this.offsetIndex = offsetIndex;
            this.timeIndex = new TimeIndex(LogFileNames.timeIndexFile(dir, baseOffset), baseOffset);
        }
        catch (IOException | RuntimeException e) {
            closeQuietly(offsetIndex, e);
            closeQuietly(channel, e);
            throw e;
        }
        this.nextOffset = baseOffset;
    }

    /** Creates an empty segment; fails if its {@code .log} file exists. Index files left behind are replaced. */
    static LogSegment create(Path dir, long baseOffset, LogConfig config)
            throws IOException
    {
        Files.deleteIfExists(LogFileNames.offsetIndexFile(dir, baseOffset));
        Files.deleteIfExists(LogFileNames.timeIndexFile(dir, baseOffset));
        FileChannel channel = FileChannel.open(LogFileNames.logFile(dir, baseOffset), CREATE_NEW, READ, WRITE);
        LogSegment segment = new LogSegment(dir, baseOffset, config, channel);
        segment.loaded = true;
        return segment;
    }

    /** Opens the files of an existing segment; call {@link #load}, {@link #recover} or {@link #rebuildIndexes} next. */
    static LogSegment open(Path dir, long baseOffset, LogConfig config)
            throws IOException
    {
        FileChannel channel = FileChannel.open(LogFileNames.logFile(dir, baseOffset), READ, WRITE);
        if (channel.size() > Integer.MAX_VALUE) {
            long fileSize = channel.size();
            channel.close();
            throw new CorruptLogException("Segment %s has %d bytes, more than a segment can hold (positions are int32)".formatted(
                    LogFileNames.logFile(dir, baseOffset), fileSize));
        }
        return new LogSegment(dir, baseOffset, config, channel);
    }

    long baseOffset()
    {
        return baseOffset;
    }

    /** The offset after the last batch: where the next append starts. */
    long nextOffset()
    {
        return nextOffset;
    }

    int sizeInBytes()
    {
        return size;
    }

    /** Commit timestamp of the first batch, or {@link #NO_TIMESTAMP} if the segment is empty. */
    long firstTimestamp()
    {
        return firstTimestamp;
    }

    /** Commit timestamp of the newest batch, or {@link #NO_TIMESTAMP} if the segment is empty. */
    long largestTimestamp()
    {
        return largestTimestamp;
    }

    boolean isEmpty()
    {
        return size == 0;
    }

    Path logFile()
    {
        return logFile;
    }

    OffsetIndex offsetIndex()
    {
        return offsetIndex;
    }

    TimeIndex timeIndex()
    {
        return timeIndex;
    }

    /**
     * Loads a segment that is trusted to be complete (closed before the last shutdown or roll):
     * checks the indexes cheaply and scans the batch headers after the last index entry to find
     * the next offset and the newest timestamp.
     *
     * @throws CorruptIndexException if an index is missing or does not fit the log; rebuild it
     * @throws CorruptLogException if a header after the last index entry is damaged
     */
    void load()
            throws IOException
    {
        int fileSize = size = (int) channel.size();
        if (!offsetIndex.existed() || !timeIndex.existed()) {
            throw new CorruptIndexException("Segment %s is missing its %s".formatted(logFile, !offsetIndex.existed() ? "offset index" : "time index"));
        }
        offsetIndex.sanityCheck(fileSize);
        OffsetPosition last = offsetIndex.lastEntry();
        if (offsetIndex.entries() > 0) {
            RecordBatchHeader header = readRawHeader(last.position(), fileSize);
            if (header == null || header.baseOffset() != last.offset()) {
                throw new CorruptIndexException("Index %s maps offset %d to position %d, where %s".formatted(offsetIndex.file(), last.offset(), last.position(),
                        header == null ? "no batch header fits" : "the batch starts at offset " + header.baseOffset()));
            }
        }
        long[] tail = {last.offset(), NO_TIMESTAMP};
        scanHeaders(last.offset(), last.position(), fileSize, Long.MAX_VALUE, (header, position) -> {
            tail[0] = header.nextOffset();
            tail[1] = Math.max(tail[1], header.commitTimestamp());
            return true;
        });
        long largest = Math.max(tail[1], timeIndex.lastEntry().map(TimestampOffset::timestamp).orElse(NO_TIMESTAMP));
        timeIndex.sanityCheck(tail[0], largest);
        firstTimestamp = fileSize == 0 ? NO_TIMESTAMP : readHeader(0, fileSize, baseOffset).commitTimestamp();
        largestTimestamp = largest;
        bytesSinceLastIndexEntry = fileSize - last.position();
        channel.position(fileSize);
        nextOffset = tail[0];
        loaded = true;
    }

    /**
     * Recovers the active segment after a crash: scans every batch from the start, checking its
     * structure, its offsets and its CRC; cuts the file at the first batch that fails (a torn
     * write or garbage at the tail) and rebuilds both indexes from the batches that remain.
     *
     * @return the number of bytes cut from the end of the log file
     */
    int recover()
            throws IOException
    {
        long fileSize = channel.size();
        ScanResult scan = scanAndRebuildIndexes(fileSize);
        int truncated = (int) (fileSize - scan.validBytes());
        if (truncated > 0) {
            log.warn("Cut {} bytes from {} at position {}: {}", truncated, logFile, scan.validBytes(), scan.problem().orElseThrow());
            channel.truncate(scan.validBytes());
        }
        apply(scan);
        return truncated;
    }

    /**
     * Rebuilds both indexes of a closed segment from its log file. Unlike {@link #recover} it cuts
     * nothing: a closed segment was complete, so a bad batch in it is corruption.
     *
     * @throws CorruptLogException naming the file and position of the first bad batch
     */
    void rebuildIndexes()
            throws IOException
    {
        ScanResult scan = scanAndRebuildIndexes(channel.size());
        if (scan.problem().isPresent()) {
            throw new CorruptLogException("Corrupt batch in closed segment %s at position %d: %s".formatted(logFile, scan.validBytes(), scan.problem().get()));
        }
        log.info("Rebuilt the indexes of {} ({} batches' bytes, {} index entries)", logFile, scan.validBytes(), offsetIndex.entries());
        apply(scan);
    }

    /**
     * Checks every batch up to the current end: structure, offsets, CRC, and that each offset-index
     * entry points at the start of the batch with its offset.
     *
     * @throws CorruptLogException (or {@link CorruptIndexException}) naming the file and position
     */
    void verify()
            throws IOException
    {
        long end = size;
        // may include an entry for a batch being appended beyond end; such entries are not checked
        int entries = offsetIndex.entries();
        int[] nextEntry = {0};
        OffsetPosition[] expected = {entries > 0 ? offsetIndex.entry(0) : null};
        ScanResult scan = scan(end, (header, position) -> {
            OffsetPosition entry = expected[0];
            if (entry != null && entry.position() <= position) {
                if (entry.position() != position || entry.offset() != header.baseOffset()) {
                    throw new CorruptIndexException("Index %s maps offset %d to position %d, but the batch at position %d starts at offset %d".formatted(
                            offsetIndex.file(), entry.offset(), entry.position(), position, header.baseOffset()));
                }
                nextEntry[0]++;
                expected[0] = nextEntry[0] < entries ? offsetIndex.entry(nextEntry[0]) : null;
            }
        });
        if (scan.problem().isPresent()) {
            throw new CorruptLogException("Corrupt batch in %s at position %d: %s".formatted(logFile, scan.validBytes(), scan.problem().get()));
        }
        if (expected[0] != null && expected[0].position() < end) {
            throw new CorruptIndexException("Index %s maps offset %d to position %d, past the last batch".formatted(offsetIndex.file(), expected[0].offset(), expected[0].position()));
        }
    }

    /** Whether the next batch should go to a new segment instead of this one. */
    boolean shouldRoll(int batchSize, long commitTimestamp, long lastOffset)
    {
        // a segment without records (only zero-record batches) is never rolled: the next segment
        // would start at the same offset, and segments are named by their base offset
        if (size == 0 || nextOffset == baseOffset) {
            return false;
        }
        return (long) size + batchSize > config.segmentBytes()
                || commitTimestamp - firstTimestamp >= config.segmentMs()
                || lastOffset - baseOffset > Integer.MAX_VALUE
                || (long) size + batchSize > Integer.MAX_VALUE;
    }

    /**
     * Appends one encoded batch. The header must continue the segment: base offset
     * {@link #nextOffset()}, timestamp not below {@link #largestTimestamp()}.
     *
     * @param header the decoded form of {@code headerBytes}
     * @param headerBytes the encoded header ({@link RecordBatch.HeaderBuilder#encodeHeader})
     * @param payload the payload, in one buffer or in parts written one after the other (a
     *     gathering write); no buffer's position moves
     */
    void append(RecordBatchHeader header, ByteBuffer headerBytes, ByteBuffer... payload)
            throws IOException
    {
        checkLoaded();
        if (header.baseOffset() != nextOffset) {
            throw new IllegalArgumentException("batch at offset %d does not continue %s, which ends before offset %d".formatted(header.baseOffset(), logFile, nextOffset));
        }
        if (largestTimestamp != NO_TIMESTAMP && header.commitTimestamp() < largestTimestamp) {
            throw new IllegalArgumentException("commit timestamp %d is older than the last batch's %d in %s".formatted(header.commitTimestamp(), largestTimestamp, logFile));
        }
        long batchBytes = headerBytes.remaining() + RecordBatch.remaining(payload);
        if (batchBytes != header.sizeInBytes()) {
            throw new IllegalArgumentException("batch bytes (%d) do not match the header (%d)".formatted(batchBytes, header.sizeInBytes()));
        }
        int position = size;
        if ((long) position + header.sizeInBytes() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("segment %s cannot grow past 2 GiB".formatted(logFile));
        }
        ByteBuffer[] buffers = new ByteBuffer[payload.length + 1];
        buffers[0] = headerBytes.duplicate();
        for (int i = 0; i < payload.length; i++) {
            buffers[i + 1] = payload[i].duplicate();
        }
        FileChannels.writeFully(channel, buffers);
        // a batch of zero records shares its base offset with the batch after it, which the index must point to
        if (bytesSinceLastIndexEntry >= config.indexIntervalBytes() && header.recordCount() > 0) {
            offsetIndex.append(header.baseOffset(), position);
            timeIndex.maybeAppend(header.commitTimestamp(), header.baseOffset());
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += header.sizeInBytes();
        if (firstTimestamp == NO_TIMESTAMP) {
            firstTimestamp = header.commitTimestamp();
        }
        largestTimestamp = header.commitTimestamp();
        size = position + header.sizeInBytes();
        nextOffset = header.nextOffset();
    }

    /**
     * The batches from the one that holds {@code startOffset}, in order, below {@code maxOffset},
     * as long as their total size stays within {@code maxBytes}; if {@code minOneBatch}, the first
     * batch is returned even if it alone exceeds {@code maxBytes}. Empty if the segment holds no
     * batch at or after {@code startOffset} below {@code maxOffset}.
     */
    List<LogBatch> read(long startOffset, long maxOffset, long maxBytes, boolean minOneBatch)
            throws IOException
    {
        long bound = Math.min(maxOffset, nextOffset);
        int fileSize = size;
        Optional<BatchPosition> first = findBatch(startOffset, bound, fileSize);
        List<LogBatch> batches = new ArrayList<>();
        if (first.isEmpty()) {
            return batches;
        }
        RecordBatchHeader header = first.get().header();
        long position = first.get().position();
        long total = 0;
        while (true) {
            if (total + header.sizeInBytes() > maxBytes && !(batches.isEmpty() && minOneBatch)) {
                return batches;
            }
            batches.add(new LogBatch(header, logFile, channel, position));
            total += header.sizeInBytes();
            if (header.nextOffset() >= bound) {
                return batches;
            }
            position += header.sizeInBytes();
            header = readHeader(position, fileSize, header.nextOffset());
        }
    }

    /**
     * The base offset of the first batch below {@code maxOffset} whose commit timestamp is at
     * least {@code timestamp}, or empty if there is none.
     */
    OptionalLong offsetForTimestamp(long timestamp, long maxOffset)
            throws IOException
    {
        long bound = Math.min(maxOffset, nextOffset);
        if (bound <= baseOffset || largestTimestamp < timestamp) {
            return OptionalLong.empty();
        }
        long startOffset = timeIndex.lastEntryBefore(timestamp).map(TimestampOffset::offset).orElse(baseOffset);
        OffsetPosition start = offsetIndex.lookup(startOffset);
        long[] found = {-1};
        scanHeaders(start.offset(), start.position(), size, bound, (header, position) -> {
            if (header.commitTimestamp() >= timestamp) {
                found[0] = header.baseOffset();
                return false;
            }
            return true;
        });
        return found[0] < 0 ? OptionalLong.empty() : OptionalLong.of(found[0]);
    }

    /** Calls the visitor with each batch header whose base offset is in {@code [fromOffset, maxOffset)}, in order. */
    void forEachHeader(long fromOffset, long maxOffset, HeaderVisitor visitor)
            throws IOException
    {
        long bound = Math.min(maxOffset, nextOffset);
        if (fromOffset > bound || fromOffset == bound && maxOffset <= nextOffset) {
            return;
        }
        OffsetPosition start = offsetIndex.lookup(Math.max(fromOffset, baseOffset));
        // up to the end of the file when the whole segment is asked for: zero-record batches at
        // its end start at nextOffset
        long scanBound = maxOffset > nextOffset ? Long.MAX_VALUE : bound;
        scanHeaders(start.offset(), start.position(), size, scanBound, (header, position) -> {
            if (header.baseOffset() >= fromOffset) {
                visitor.visit(header);
            }
            return true;
        });
    }

    /**
     * Removes every batch that holds an offset at or after {@code offset}, from the log and both
     * indexes. A batch that holds {@code offset} in its middle goes entirely, so afterwards
     * {@link #nextOffset()} is at most {@code offset}.
     *
     * @return the number of bytes removed from the log file
     */
    int truncateTo(long offset)
            throws IOException
    {
        checkLoaded();
        if (offset >= nextOffset) {
            return 0;
        }
        int fileSize = size;
        long cutOffset = baseOffset;
        int cutPosition = 0;
        if (offset > baseOffset) {
            BatchPosition batch = findBatch(offset, nextOffset, fileSize).orElseThrow();
            cutOffset = batch.header().baseOffset();
            cutPosition = (int) batch.position();
        }
        offsetIndex.truncateTo(cutOffset);
        timeIndex.truncateTo(cutOffset);
        channel.truncate(cutPosition);
        channel.position(cutPosition);
        size = cutPosition;
        OffsetPosition last = offsetIndex.lastEntry();
        long[] tail = {last.offset(), NO_TIMESTAMP};
        scanHeaders(last.offset(), last.position(), cutPosition, Long.MAX_VALUE, (header, position) -> {
            tail[0] = header.nextOffset();
            tail[1] = header.commitTimestamp();
            return true;
        });
        nextOffset = tail[0];
        largestTimestamp = cutPosition == 0 ? NO_TIMESTAMP : Math.max(tail[1], timeIndex.lastEntry().map(TimestampOffset::timestamp).orElse(NO_TIMESTAMP));
        if (cutPosition == 0) {
            firstTimestamp = NO_TIMESTAMP;
        }
        bytesSinceLastIndexEntry = cutPosition - last.position();
        return fileSize - cutPosition;
    }

    /** Fsyncs the log file's data (not the indexes, which recovery rebuilds); returns the number of fsyncs, 1. */
    int flushLog()
            throws IOException
    {
        channel.force(false);
        return 1;
    }

    /** Fsyncs the log file and both indexes; returns the number of fsyncs, 3. */
    int flush()
            throws IOException
    {
        channel.force(true);
        offsetIndex.flush();
        timeIndex.flush();
        return 3;
    }

    @Override
    public void close()
            throws IOException
    {
        try (channel; offsetIndex; timeIndex) {
            // closes all three, keeping the first failure
        }
    }

    /**
     * Closes the segment and deletes its files: each is first renamed to {@code *.deleted}, so a
     * crash half-way leaves only files the loader removes. The {@code .log} file goes first, so a
     * surviving index is an orphan, which the loader also removes.
     */
    void delete()
            throws IOException
    {
        close();
        for (Path file : List.of(logFile, offsetIndex.file(), timeIndex.file())) {
            Path deleted = LogFileNames.deletedFile(file);
            if (Files.exists(file)) {
                Files.move(file, deleted);
            }
            Files.deleteIfExists(deleted);
        }
    }

    @Override
    public String toString()
    {
        return "LogSegment[%s, offsets [%d, %d), %d bytes]".formatted(logFile, baseOffset, nextOffset, size);
    }

    /** Receives batch headers in offset order. */
    @FunctionalInterface
    interface HeaderVisitor
    {
        void visit(RecordBatchHeader header)
                throws IOException;
    }

    private record BatchPosition(RecordBatchHeader header, long position) {}

    private record ScanResult(int validBytes, long nextOffset, long firstTimestamp, long largestTimestamp, int bytesSinceLastIndexEntry, Optional<String> problem) {}

    @FunctionalInterface
    private interface ScanVisitor
    {
        void visit(RecordBatchHeader header, long position)
                throws IOException;
    }

    @FunctionalInterface
    private interface HeaderScanVisitor
    {
        /** Returns whether to go on. */
        boolean visit(RecordBatchHeader header, long position)
                throws IOException;
    }

    private ScanResult scanAndRebuildIndexes(long end)
            throws IOException
    {
        offsetIndex.reset();
        timeIndex.reset();
        int[] bytesSinceLastEntry = {0};
        // the same rule as append(), so that a rebuilt index has the same entries as the original
        ScanResult scan = scan(end, (header, position) -> {
            if (bytesSinceLastEntry[0] >= config.indexIntervalBytes() && header.recordCount() > 0) {
                offsetIndex.append(header.baseOffset(), (int) position);
                timeIndex.maybeAppend(header.commitTimestamp(), header.baseOffset());
                bytesSinceLastEntry[0] = 0;
            }
            bytesSinceLastEntry[0] += header.sizeInBytes();
        });
        return new ScanResult(scan.validBytes(), scan.nextOffset(), scan.firstTimestamp(), scan.largestTimestamp(), bytesSinceLastEntry[0], scan.problem());
    }

    private void apply(ScanResult scan)
            throws IOException
    {
        size = scan.validBytes();
        channel.position(size);
        firstTimestamp = scan.firstTimestamp();
        largestTimestamp = scan.largestTimestamp();
        bytesSinceLastIndexEntry = scan.bytesSinceLastIndexEntry();
        nextOffset = scan.nextOffset();
        loaded = true;
    }

    /**
     * Reads every batch from the start up to {@code end}, checking structure, offsets and CRC,
     * and stops at the first that fails. Never throws for bad data; it reports the problem.
     */
    private ScanResult scan(long end, ScanVisitor visitor)
            throws IOException
    {
        ByteBuffer chunk = ByteBuffer.allocateDirect(SCAN_CHUNK_BYTES);
        long position = 0;
        long expectedOffset = baseOffset;
        long first = NO_TIMESTAMP;
        long largest = NO_TIMESTAMP;
        String problem = null;
        while (position < end) {
            if (end - position < RecordBatch.HEADER_SIZE) {
                problem = "%d bytes at the end are too few for a batch header".formatted(end - position);
                break;
            }
            RecordBatchHeader header = readRawHeader(position, end);
            problem = RecordBatch.headerProblem(header, end - position).orElse(null);
            if (problem == null && header.baseOffset() != expectedOffset) {
                problem = "batch has base offset %d where offset %d was expected".formatted(header.baseOffset(), expectedOffset);
            }
            if (problem == null) {
                int crc = payloadCrc(header, position, chunk);
                if (crc != header.crc()) {
                    problem = "CRC mismatch in batch at offset %d: stored %08x, computed %08x".formatted(header.baseOffset(), header.crc(), crc);
                }
            }
            if (problem != null) {
                break;
            }
            visitor.visit(header, position);
            if (first == NO_TIMESTAMP) {
                first = header.commitTimestamp();
            }
            largest = Math.max(largest, header.commitTimestamp());
            position += header.sizeInBytes();
            expectedOffset = header.nextOffset();
        }
        return new ScanResult((int) position, expectedOffset, first, largest, 0, Optional.ofNullable(problem));
    }

    /**
     * Walks batch headers from a known batch start, checking their structure and offsets but not
     * CRCs, until the visitor says stop, the offset reaches {@code maxOffset} or the position
     * reaches {@code end}.
     *
     * @throws CorruptLogException naming the file and position of a damaged header
     */
    private void scanHeaders(long fromOffset, long fromPosition, long end, long maxOffset, HeaderScanVisitor visitor)
            throws IOException
    {
        long position = fromPosition;
        long expectedOffset = fromOffset;
        while (position < end && expectedOffset < maxOffset) {
            RecordBatchHeader header = readHeader(position, end, expectedOffset);
            if (!visitor.visit(header, position)) {
                return;
            }
            position += header.sizeInBytes();
            expectedOffset = header.nextOffset();
        }
    }

    /** The batch that holds {@code offset} (or the first after it), if it starts below {@code bound}. */
    private Optional<BatchPosition> findBatch(long offset, long bound, int fileSize)
            throws IOException
    {
        if (Math.max(offset, baseOffset) >= bound) {
            return Optional.empty();
        }
        OffsetPosition start = offsetIndex.lookup(Math.max(offset, baseOffset));
        long position = start.position();
        long expectedOffset = start.offset();
        while (expectedOffset < bound) {
            RecordBatchHeader header = readHeader(position, fileSize, expectedOffset);
            if (header.nextOffset() > offset) {
                return Optional.of(new BatchPosition(header, position));
            }
            position += header.sizeInBytes();
            expectedOffset = header.nextOffset();
        }
        return Optional.empty();
    }

    /**
     * Reads and checks the header of a batch that must exist: it fits before {@code end}, is well
     * formed and starts at {@code expectedOffset}.
     */
    private RecordBatchHeader readHeader(long position, long end, long expectedOffset)
            throws IOException
    {
        RecordBatchHeader header = readRawHeader(position, end);
        if (header == null) {
            throw new CorruptLogException("Corrupt batch header in %s at position %d: only %d bytes left, too few for a header".formatted(logFile, position, end - position));
        }
        Optional<String> problem = RecordBatch.headerProblem(header, end - position);
        if (problem.isEmpty() && header.baseOffset() != expectedOffset) {
            problem = Optional.of("batch has base offset %d where offset %d was expected".formatted(header.baseOffset(), expectedOffset));
        }
        if (problem.isPresent()) {
            throw new CorruptLogException("Corrupt batch header in %s at position %d: %s".formatted(logFile, position, problem.get()));
        }
        return header;
    }

    /** The header at {@code position}, unchecked, or null if fewer than a header's bytes are left before {@code end}. */
    private RecordBatchHeader readRawHeader(long position, long end)
            throws IOException
    {
        if (end - position < RecordBatch.HEADER_SIZE) {
            return null;
        }
        ByteBuffer buffer = ByteBuffer.allocate(RecordBatch.HEADER_SIZE);
        try {
            FileChannels.readFully(channel, buffer, position, logFile);
        }
        catch (EOFException e) {
            return null;
        }
        return RecordBatch.readHeader(buffer.flip());
    }

    private int payloadCrc(RecordBatchHeader header, long position, ByteBuffer chunk)
            throws IOException
    {
        CRC32C crc = RecordBatch.startCrc(header);
        long from = position + RecordBatch.HEADER_SIZE;
        long remaining = header.payloadSize();
        while (remaining > 0) {
            int n = (int) Math.min(chunk.capacity(), remaining);
            chunk.clear().limit(n);
            FileChannels.readFully(channel, chunk, from, logFile);
            crc.update(chunk.flip());
            from += n;
            remaining -= n;
        }
        return (int) crc.getValue();
    }

    private void checkLoaded()
    {
        if (!loaded) {
            throw new IllegalStateException("segment %s was opened but not loaded or recovered".formatted(logFile));
        }
    }

    private static void closeQuietly(Closeable closeable, Throwable failure)
    {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        }
        catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
