/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.server;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.logstore.kv.ByteKey;
import dev.inlet.logstore.kv.ChangelogBatches;
import dev.inlet.logstore.kv.KvTablet;
import dev.inlet.logstore.arrow.GatheredMessage;
import dev.inlet.logstore.kv.RowCodec;
import dev.inlet.logstore.kv.RowMerger;
import dev.inlet.logstore.kv.TableSchema;
import dev.inlet.logstore.protocol.ChangeType;
import org.apache.arrow.vector.FieldVector;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Writes one upsert batch to a primary-key table's bucket: under the bucket's write lock it skips a
 * batch the writer already sent, reads the stored rows of the batch's keys, merges, appends the
 * resulting changelog to the log and stages the new rows; the merge reads the batch's vectors and
 * the stored values in place and writes the changelog's vectors straight from the merged values; once the append is durable the rows go
 * to RocksDB and the returned future completes. A batch that changes nothing still appends a
 * batch of zero records, so that its writer's sequence is durable.
 */
final class KvWriter
{
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    /** Where upsert batches are merged: as many threads as cores, so buckets merge in parallel. */
    static final java.util.concurrent.ExecutorService POOL = java.util.concurrent.Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()), r -> Thread.ofPlatform().daemon().name("inlet-kv-merge-", 0).unstarted(r));

    private KvWriter() {}

    static CompletableFuture<AppendOutcome> write(HotTable table, HotBucket bucket, UpsertBatch batch, long writerId, int sequence, long maxBatchBytes)
    {
        KvTableState state = table.kv();
        KvTablet tablet = bucket.kv();
        tablet.writeLock().lock();
        try {
            // taken under the lock: every row staged before is in this version's schema or an older one
            KvTableState.Version version = state.version();
            RowMerger merger = version.merger();
            TableSchema schema = version.schema();
            int schemaId = schema.schemaId();
            if (writerId >= 0 && bucket.log().checkDuplicate(writerId, sequence).isPresent()) {
                // the log answers a retried batch with the original's offsets once it is durable
                return bucket.append(EMPTY, 0, schemaId, writerId, sequence);
            }
            FieldVector[] columns = batch.columns(schema.columnCount());
            boolean[] target = batch.target(schema.columnCount());
            RowCodec codec = state.codec();
            int rows = batch.rowCount();
            // each changed key's newest value in this batch (null: deleted)
            Map<ByteKey, byte[]> writes = HashMap.newHashMap(rows);
            CompletableFuture<AppendOutcome> appended;
            try (ChangelogBatches.Builder changelog = new ChangelogBatches.Builder(schema, version.logSchema(), codec, merger.beforeImages() ? 2 * rows : rows, state.allocator())) {
                for (int r = 0; r < rows; r++) {
                    ByteKey key = new ByteKey(state.keys().encode(columns, r));
                    byte[] stored = writes.containsKey(key) ? writes.get(key) : tablet.getValue(key);
                    if (batch.isDelete(r)) {
                        if (stored != null) {
                            changelog.add(ChangeType.DELETE, stored);
                            writes.put(key, null);
                        }
                        continue;
                    }
                    if (stored != null && batch.isInsertIfAbsent(r)) {
                        continue;
                    }
                    byte[] value = merger.upsert(stored, columns, r, target, state.ids()::next, codec, schema);
                    if (value == stored) {
                        continue;
                    }
                    if (stored == null) {
                        changelog.add(ChangeType.INSERT, value);
                    }
                    else {
                        if (merger.beforeImages()) {
                            changelog.add(ChangeType.UPDATE_BEFORE, stored);
                        }
                        changelog.add(ChangeType.UPDATE_AFTER, value);
                    }
                    writes.put(key, value);
                }
                if (changelog.rows() == 0) {
                    appended = bucket.append(EMPTY, 0, schemaId, writerId, sequence);
                }
                else {
                    // written from the changelog vectors' buffers before append returns
                    try (GatheredMessage payload = changelog.gather()) {
                        if (payload.size() > maxBatchBytes) {
                            throw new InletException(InletErrorCode.BATCH_TOO_LARGE, "The changelog of an upsert batch for " + bucket.describe() + " has " + payload.size()
                                    + " bytes; the most log.max-batch.bytes allows is " + maxBatchBytes + " (send smaller batches)");
                        }
                        appended = bucket.append(payload.parts(), changelog.rows(), schemaId, writerId, sequence);
                    }
                }
            }
            if (appended.isCompletedExceptionally()) {
                return appended; // refused before anything was written: nothing to stage
            }
            long token = tablet.stage(writes);
            // off the group-commit thread: a RocksDB write must not delay every bucket's next fsync
            return appended.handleAsync((outcome, error) -> {
                if (error != null) {
                    Throwable cause = error instanceof CompletionException c && c.getCause() != null ? c.getCause() : error;
                    tablet.abort(token, cause);
                    throw error instanceof CompletionException c ? c : new CompletionException(error);
                }
                tablet.commit(token, outcome.lastOffset() + 1);
                return outcome;
            }, POOL);
        }
        finally {
            tablet.writeLock().unlock();
        }
    }
}
