/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.storage;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * What opening a bucket log found and changed.
 *
 * @param directory the bucket directory
 * @param cleanShutdown whether a valid clean-shutdown marker matched the active segment (or the
 *     log is new); if not, the log crashed and the active segment was recovered
 * @param segments how many segments the log has
 * @param recoveredSegment the {@code .log} file that was scanned and cut, if one was
 * @param bytesTruncated how many bytes recovery cut from the end of the active segment
 * @param rebuiltIndexes the {@code .log} files whose indexes were rebuilt
 * @param deletedFiles leftover temporary and half-deleted files, orphan indexes, stale or
 *     corrupt writer snapshots
 * @param writerSnapshotOffset the writer-state snapshot the writer state was loaded from, or
 *     empty if it was rebuilt from the log alone
 * @param writerBatchesReplayed how many batch headers were replayed into the writer state
 * @param earliestOffset the log's earliest offset
 * @param endOffset the log's end offset after recovery
 */
public record RecoveryReport(
        Path directory,
        boolean cleanShutdown,
        int segments,
        Optional<Path> recoveredSegment,
        long bytesTruncated,
        List<Path> rebuiltIndexes,
        List<Path> deletedFiles,
        OptionalLong writerSnapshotOffset,
        long writerBatchesReplayed,
        long earliestOffset,
        long endOffset)
{
    public RecoveryReport
    {
        requireNonNull(directory, "directory is null");
        requireNonNull(recoveredSegment, "recoveredSegment is null");
        rebuiltIndexes = List.copyOf(requireNonNull(rebuiltIndexes, "rebuiltIndexes is null"));
        deletedFiles = List.copyOf(requireNonNull(deletedFiles, "deletedFiles is null"));
        requireNonNull(writerSnapshotOffset, "writerSnapshotOffset is null");
    }

    /** One line for the server log. */
    public String summary()
    {
        return "bucket log %s: %s, %d segments, offsets [%d, %d), %s, %d indexes rebuilt, %d files deleted, writer state from %s plus %d batches".formatted(
                directory,
                cleanShutdown ? "clean shutdown" : "recovered after a crash",
                segments,
                earliestOffset,
                endOffset,
                recoveredSegment.map(file -> "cut %d bytes from %s".formatted(bytesTruncated, file.getFileName())).orElse("nothing cut"),
                rebuiltIndexes.size(),
                deletedFiles.size(),
                writerSnapshotOffset.isPresent() ? "the snapshot at offset " + writerSnapshotOffset.getAsLong() : "the log",
                writerBatchesReplayed);
    }
}
