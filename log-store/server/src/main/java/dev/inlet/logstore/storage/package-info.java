/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */

/**
 * The hot store's per-bucket log: record batches at dense offsets in segment files, Kafka-style.
 *
 * <p>Where to start reading: {@link dev.inlet.logstore.storage.BucketLog} (one bucket's log),
 * {@link dev.inlet.logstore.storage.GroupCommit} (acknowledging appends once durable),
 * {@link dev.inlet.logstore.storage.Retention}, and {@link dev.inlet.logstore.storage.LogLoader}
 * for what happens at startup.
 *
 * <p>On disk, one class per structure, each with its byte layout in its Javadoc:
 * <ul>
 * <li>{@link dev.inlet.logstore.storage.RecordBatch}: the batch format ({@code .log} content);</li>
 * <li>{@link dev.inlet.logstore.storage.LogSegment}: a {@code .log} file with its two indexes;</li>
 * <li>{@link dev.inlet.logstore.storage.OffsetIndex} ({@code .index}) and
 *     {@link dev.inlet.logstore.storage.TimeIndex} ({@code .timeindex}): derived, rebuilt after a
 *     crash;</li>
 * <li>{@link dev.inlet.logstore.storage.WriterStateSnapshot} ({@code .writers}) and
 *     {@link dev.inlet.logstore.storage.CleanShutdownMarker} ({@code clean-shutdown}): not derivable
 *     from a single file, so versioned and CRC-checked.</li>
 * </ul>
 * {@link dev.inlet.logstore.storage.LogFileNames} names every file.
 *
 * <p>Invariants and the tests that prove them: a crash at any byte of the active segment keeps
 * exactly the complete batches ({@code TestBucketLog.crashAtAnyByteKeepsExactlyTheCompleteBatches});
 * recovery cuts exactly the torn or corrupt tail and rebuilds identical indexes
 * ({@code TestLogSegment}); corruption in a closed segment is an error naming file and position,
 * never skipped ({@code TestLogSegment}, {@code TestBucketLog}); under the fsync policy an append
 * is acknowledged and visible only after an fsync covered it, and concurrent appends share fsyncs
 * ({@code TestGroupCommit}); a writer's retry returns the original offsets across restarts and
 * crashes ({@code TestWriterStateTable}); retention never deletes untiered data or the active
 * segment ({@code TestRetention}).
 */
package dev.inlet.logstore.storage;
