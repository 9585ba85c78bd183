/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Opens a bucket directory and brings it to a consistent state before the log takes appends:
 * <ol>
 * <li>Delete {@code *.tmp} files (never renamed into place, so nothing refers to them) and
 *     {@code *.deleted} files (a deletion the process did not finish).</li>
 * <li>Read the clean-shutdown marker, if any.</li>
 * <li>Delete index files whose {@code .log} file is gone (a segment deletion that stopped after
 *     the log file).</li>
 * <li>Load every closed segment: cheap index checks and a scan of the headers after the last
 *     index entry. A missing or inconsistent index is rebuilt from the log; a damaged batch in a
 *     closed segment fails the open with an error naming file and position, because closed
 *     segments were fsynced when they rolled and damage there is not a torn write.</li>
 * <li>If the marker matches the active segment (its base offset and size), load it like a closed
 *     one. Otherwise the log crashed: {@link LogSegment#recover() recover} the active segment
 *     from its start, cutting everything from the first torn or corrupt batch.</li>
 * <li>Check that the segments' offsets are contiguous.</li>
 * <li>Load the writer state from the newest valid snapshot at or below the end offset (deleting
 *     newer ones, which describe cut data, and corrupt ones), then replay the batch headers after
 *     it; with no usable snapshot, replay the whole log.</li>
 * <li>Delete the clean-shutdown marker durably, so a crash from here on is seen as one.</li>
 * </ol>
 * What was done is returned in the log's {@link RecoveryReport} and logged in one line.
 *
 * <p>Stateless; one call per directory at a time.
 */
final class LogLoader
{
    private static final Logger log = LoggerFactory.getLogger(LogLoader.class);

    private LogLoader() {}

    static BucketLog load(Path directory, LogConfig config)
            throws IOException
    {
        requireNonNull(directory, "directory is null");
        requireNonNull(config, "config is null");
        Files.createDirectories(directory);
        String bucket = directory.toString();
        List<Path> deletedFiles = new ArrayList<>();
        List<Path> rebuiltIndexes = new ArrayList<>();

        // 1. leftovers
        for (Path file : listFiles(directory)) {
            if (LogFileNames.isLeftover(file)) {
                Files.delete(file);
                deletedFiles.add(file);
            }
        }

        // 2. the clean-shutdown marker
        Optional<CleanShutdownMarker> marker;
        try {
            marker = CleanShutdownMarker.read(directory);
        }
        catch (CorruptLogException e) {
            log.warn("Ignoring a damaged clean-shutdown marker; recovering the bucket log as after a crash: {}", e.getMessage());
            marker = Optional.empty();
        }

        // 3. segment files and orphan indexes
        TreeSet<Long> baseOffsets = new TreeSet<>();
        for (Path file : listFiles(directory)) {
            LogFileNames.offsetFromFileName(file, LogFileNames.LOG_SUFFIX).ifPresent(baseOffsets::add);
        }
        for (Path file : listFiles(directory)) {
            OptionalLong indexOf = LogFileNames.offsetFromFileName(file, LogFileNames.OFFSET_INDEX_SUFFIX);
            if (indexOf.isEmpty()) {
                indexOf = LogFileNames.offsetFromFileName(file, LogFileNames.TIME_INDEX_SUFFIX);
            }
            if (indexOf.isPresent() && !baseOffsets.contains(indexOf.getAsLong())) {
                Files.delete(file);
                deletedFiles.add(file);
            }
        }

        NavigableMap<Long, LogSegment> segments = new TreeMap<>();
        boolean clean = true;
        Optional<Path> recoveredSegment = Optional.empty();
        long bytesTruncated = 0;
        try {
            if (baseOffsets.isEmpty()) {
                // a new log; nothing to recover
                segments.put(0L, LogSegment.create(directory, 0, config));
                FileChannels.fsyncDirectory(directory);
            }
            else {
                // 4. closed segments
                long activeBase = baseOffsets.last();
                LogSegment previous = null;
                for (long baseOffset : baseOffsets.headSet(activeBase)) {
                    LogSegment segment = LogSegment.open(directory, baseOffset, config);
                    segments.put(baseOffset, segment);
                    try {
                        segment.load();
                    }
                    catch (CorruptIndexException e) {
                        log.warn("Rebuilding the indexes of {}: {}", segment.logFile(), e.getMessage());
                        segment.rebuildIndexes();
                        rebuiltIndexes.add(segment.logFile());
                    }
                    checkContiguous(previous, segment);
                    previous = segment;
                }

                // 5. the active segment
                LogSegment active = LogSegment.open(directory, activeBase, config);
                segments.put(activeBase, active);
                clean = marker.isPresent()
                        && marker.get().activeSegmentBase() == activeBase
                        && marker.get().activeSegmentBytes() == Files.size(active.logFile());
                if (clean) {
                    try {
                        active.load();
                        if (active.nextOffset() != marker.get().endOffset()) {
                            log.warn("Segment {} ends before offset {}, the clean-shutdown marker says {}; recovering it", active.logFile(), active.nextOffset(), marker.get().endOffset());
                            clean = false;
                        }
                    }
                    catch (CorruptLogException e) {
                        log.warn("Recovering the active segment despite a clean shutdown: {}", e.getMessage());
                        clean = false;
                    }
                }
                if (!clean) {
                    bytesTruncated = active.recover();
                    recoveredSegment = Optional.of(active.logFile());
                    if (bytesTruncated > 0) {
                        // make the cut durable before new appends land behind it
                        active.flush();
                    }
                }
                // 6. contiguous offsets
                checkContiguous(previous, active);
            }

            // 7. writer state
            WriterStateLoad writers = loadWriterState(directory, segments, bucket, deletedFiles);

            // 8. from now on a crash must look like one
            CleanShutdownMarker.delete(directory);

            RecoveryReport report = new RecoveryReport(
                    directory,
                    clean,
                    segments.size(),
                    recoveredSegment,
                    bytesTruncated,
                    rebuiltIndexes,
                    deletedFiles,
                    writers.snapshotOffset(),
                    writers.batchesReplayed(),
                    segments.firstKey(),
                    segments.lastEntry().getValue().nextOffset());
            if (bytesTruncated > 0 || !rebuiltIndexes.isEmpty()) {
                log.warn("Opened {}", report.summary());
            }
            else {
                log.info("Opened {}", report.summary());
            }
            return new BucketLog(directory, config, segments, writers.table(), report);
        }
        catch (IOException | RuntimeException e) {
            for (LogSegment segment : segments.values()) {
                try {
                    segment.close();
                }
                catch (IOException closeFailure) {
                    e.addSuppressed(closeFailure);
                }
            }
            throw e;
        }
    }

    /** Offsets of the writer-state snapshots in the directory, ascending. */
    static List<Long> snapshotOffsets(Path directory)
            throws IOException
    {
        TreeSet<Long> offsets = new TreeSet<>();
        for (Path file : listFiles(directory)) {
            LogFileNames.offsetFromFileName(file, LogFileNames.WRITER_SNAPSHOT_SUFFIX).ifPresent(offsets::add);
        }
        return List.copyOf(offsets);
    }

    private record WriterStateLoad(WriterStateTable table, OptionalLong snapshotOffset, long batchesReplayed) {}

    private static WriterStateLoad loadWriterState(Path directory, NavigableMap<Long, LogSegment> segments, String bucket, List<Path> deletedFiles)
            throws IOException
    {
        long earliest = segments.firstKey();
        long end = segments.lastEntry().getValue().nextOffset();
        WriterStateTable table = null;
        OptionalLong snapshotOffset = OptionalLong.empty();
        List<Long> offsets = snapshotOffsets(directory);
        for (int i = offsets.size() - 1; i >= 0; i--) {
            long offset = offsets.get(i);
            Path file = LogFileNames.writerSnapshotFile(directory, offset);
            if (offset > end) {
                // describes batches recovery cut
                Files.delete(file);
                deletedFiles.add(file);
                continue;
            }
            if (table != null) {
                continue;
            }
            try {
                table = WriterStateSnapshot.read(file, offset, bucket);
                snapshotOffset = OptionalLong.of(offset);
            }
            catch (CorruptLogException e) {
                log.warn("Deleting a corrupt writer-state snapshot: {}", e.getMessage());
                Files.delete(file);
                deletedFiles.add(file);
            }
        }
        if (table == null) {
            table = new WriterStateTable(bucket);
        }
        WriterStateTable target = table;
        long replayFrom = Math.max(snapshotOffset.orElse(earliest), earliest);
        long[] replayed = {0};
        for (LogSegment segment : segments.values()) {
            if (segment.nextOffset() >= replayFrom) { // >=: zero-record batches at a segment's end start at its next offset
                segment.forEachHeader(replayFrom, Long.MAX_VALUE, header -> {
                    target.replay(header);
                    replayed[0]++;
                });
            }
        }
        table.removeBefore(earliest);
        return new WriterStateLoad(table, snapshotOffset, replayed[0]);
    }

    private static void checkContiguous(LogSegment previous, LogSegment segment)
    {
        if (previous != null && previous.nextOffset() != segment.baseOffset()) {
            throw new CorruptLogException("Segment %s starts at offset %d, but the segment before it, %s, ends before offset %d".formatted(
                    segment.logFile(), segment.baseOffset(), previous.logFile(), previous.nextOffset()));
        }
    }

    private static List<Path> listFiles(Path directory)
            throws IOException
    {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
