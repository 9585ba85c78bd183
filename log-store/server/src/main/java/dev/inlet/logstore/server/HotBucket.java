/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.server;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.logstore.kv.KvTablet;
import dev.inlet.logstore.storage.BucketLog;
import dev.inlet.logstore.storage.GroupCommit;
import dev.inlet.logstore.storage.LogBatch;
import dev.inlet.logstore.storage.LogReadResult;
import dev.inlet.logstore.storage.Retention;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static java.util.Objects.requireNonNull;

/**
 * One bucket of one partition of one table, as the server uses it: appends acknowledged by the
 * group commit, reads of durable data (up to the log's high watermark), long polls that wake
 * when an append becomes visible, and retention. Errors name the table, partition and bucket.
 *
 * <p>Thread-safe.
 */
final class HotBucket
{
    private static final int MAX_READ_BYTES = 64 << 20;
    private static final int MAP_THRESHOLD_BYTES = 256 << 10;

    private final TablePath table;
    private final String partition;
    private final int bucket;
    private final BucketLog log;
    private final GroupCommit groupCommit;
    private final Object visible = new Object();
    private volatile KvTablet kv;

    HotBucket(TablePath table, String partition, int bucket, BucketLog log, GroupCommit groupCommit)
    {
        this.table = requireNonNull(table, "table is null");
        this.partition = requireNonNull(partition, "partition is null");
        this.bucket = bucket;
        this.log = requireNonNull(log, "log is null");
        this.groupCommit = requireNonNull(groupCommit, "groupCommit is null");
    }

    /** Attaches the key-value state of a primary-key table's bucket, caught up with the log. */
    void attachKv(KvTablet tablet)
    {
        this.kv = tablet;
    }

    /** The key-value state; only primary-key tables have one. */
    KvTablet kv()
    {
        if (kv == null) {
            throw new IllegalStateException(describe() + " has no key-value state");
        }
        return kv;
    }

    BucketLog log()
    {
        return log;
    }

    /** The folder of the local snapshot at {@code offset}. */
    java.nio.file.Path kvSnapshotDir(long offset)
    {
        return log.directory().resolve(KvTablet.SNAPSHOTS_DIR).resolve(Long.toString(offset));
    }

    /** The offset of the newest local snapshot of the key-value state; 0 if there is none. */
    long kvSnapshotOffset()
    {
        try {
            List<Long> offsets = KvTablet.snapshotOffsets(log.directory());
            return offsets.isEmpty() ? 0 : offsets.getLast();
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot list the snapshots of " + describe(), e);
        }
    }

    String describe()
    {
        return "table " + table + " bucket " + bucket + (partition.isEmpty() ? "" : " partition " + partition);
    }

    /** Appends a batch; the future completes once it is durable under the flush policy. */
    CompletableFuture<AppendOutcome> append(ByteBuffer payload, int recordCount, int schemaId, long writerId, int sequence)
    {
        return append(new ByteBuffer[] {payload}, recordCount, schemaId, writerId, sequence);
    }

    /**
     * Appends a batch whose payload comes in parts, stored one after the other with one gathering
     * write before this returns (the parts are not used after); the future completes once the
     * batch is durable under the flush policy.
     */
    CompletableFuture<AppendOutcome> append(ByteBuffer[] payload, int recordCount, int schemaId, long writerId, int sequence)
    {
        return groupCommit.append(log, payload, recordCount, schemaId, writerId, sequence, System.currentTimeMillis())
                .handle((result, error) -> {
                    if (error != null) {
                        Throwable cause = error instanceof CompletionException c && c.getCause() != null ? c.getCause() : error;
                        throw new CompletionException(cause instanceof InletException inlet
                                ? new InletException(inlet.errorCode(), describe() + ": " + inlet.getMessage(), inlet)
                                : new InletException(InletErrorCode.SERVER_UNAVAILABLE, "Append to " + describe() + " failed: " + cause, cause));
                    }
                    synchronized (visible) {
                        visible.notifyAll();
                    }
                    return new AppendOutcome(result.baseOffset(), result.lastOffset(), result.duplicate());
                });
    }

    /** Batches holding offsets {@code [offset, stopAt)}, at most about {@code maxBytes}, at least one. */
    List<StoredBatch> read(long offset, long stopAt, long maxBytes)
    {
        return read(offset, stopAt, maxBytes, false);
    }

    /**
     * Same as {@link #read(long, long, long)}; for a reader that sends only some columns
     * ({@code pruned}), every batch is mapped rather than read, since it touches only the pages of
     * those columns.
     */
    List<StoredBatch> read(long offset, long stopAt, long maxBytes, boolean pruned)
    {
        List<StoredBatch> batches = new ArrayList<>();
        try {
            LogReadResult result = log.read(offset, (int) Math.min(maxBytes, MAX_READ_BYTES));
            for (LogBatch batch : result.batches()) {
                if (batch.baseOffset() >= stopAt) {
                    break;
                }
                if (batch.header().recordCount() == 0) {
                    continue; // only records its writer's sequence (an upsert batch that changed nothing)
                }
                // large batches are mapped: the fetch then reads only what it sends (and Arrow
                // loads a direct buffer in place); small ones are cheaper to read
                ByteBuffer payload = pruned || batch.payloadSize() >= MAP_THRESHOLD_BYTES ? batch.mapPayload() : batch.readPayload();
                batches.add(new StoredBatch(batch.baseOffset(), batch.header().recordCount(), batch.header().commitTimestamp(), batch.header().schemaId(), payload));
            }
        }
        catch (InletException e) {
            if (e.errorCode() == InletErrorCode.OFFSET_OUT_OF_RANGE) {
                throw new InletException(InletErrorCode.OFFSET_OUT_OF_RANGE, "Offset " + offset + " of " + describe() + " is out of range: earliest is "
                        + earliestOffset() + ", latest is " + endOffset(), e);
            }
            throw e;
        }
        catch (IOException e) {
            throw new UncheckedIOException("Read of " + describe() + " at offset " + offset + " failed", e);
        }
        return batches;
    }

    /** Waits until an offset at or after {@code offset} is visible, at most {@code waitMs}. */
    void awaitData(long offset, long waitMs)
    {
        long deadline = System.nanoTime() + waitMs * 1_000_000;
        synchronized (visible) {
            while (endOffset() <= offset) {
                long remaining = (deadline - System.nanoTime()) / 1_000_000;
                if (remaining <= 0) {
                    return;
                }
                try {
                    visible.wait(remaining);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    long earliestOffset()
    {
        return Math.min(log.earliestOffset(), endOffset());
    }

    /** The next offset readers will see: the high watermark (only durable data under fsync). */
    long endOffset()
    {
        return log.highWatermark();
    }

    long offsetForTimestamp(long timestamp)
    {
        OptionalLong offset;
        try {
            offset = log.offsetForTimestamp(timestamp);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Time index of " + describe() + " cannot be read", e);
        }
        return offset.isPresent() ? Math.min(offset.getAsLong(), endOffset()) : endOffset();
    }

    /** Deletes closed segments past retention, never at or above {@code keepFrom} when present. */
    void applyRetention(long now, long retentionMs, long retentionBytes, OptionalLong keepFrom)
    {
        try {
            Retention.apply(log, now, retentionMs, retentionBytes, keepFrom);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Retention of " + describe() + " failed", e);
        }
    }

    long segmentCount()
    {
        return log.segments().size();
    }

    long sizeInBytes()
    {
        return log.sizeInBytes();
    }

    void close()
    {
        if (kv != null) {
            kv.close();
        }
        try {
            log.close();
        }
        catch (IOException e) {
            throw new UncheckedIOException("Closing " + describe() + " failed", e);
        }
    }

    void closeAndDelete()
    {
        if (kv != null) {
            kv.closeAndDelete();
            kv = null;
        }
        close();
        dev.inlet.logstore.storage.FileTrees.deleteRecursively(log.directory());
    }
}
