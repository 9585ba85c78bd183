/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.server;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.logstore.kv.ByteKey;
import dev.inlet.logstore.kv.ChangelogBatches;
import dev.inlet.logstore.kv.KvTablet;
import dev.inlet.logstore.kv.RowMerger;
import dev.inlet.logstore.kv.TableSchema;
import dev.inlet.logstore.protocol.UpsertOp;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Writes one upsert batch to a primary-key table's bucket: under the bucket's write lock it skips a
 * batch the writer already sent, reads the stored rows of the batch's keys, merges, appends the
 * resulting changelog to the log and stages the new rows; once the append is durable the rows go
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
            UpsertBatch rows = batch.widenedTo(schema.columnCount());
            if (writerId >= 0 && bucket.log().checkDuplicate(writerId, sequence).isPresent()) {
                // the log answers a retried batch with the original's offsets once it is durable
                return bucket.append(EMPTY, 0, schemaId, writerId, sequence);
            }
            List<RowMerger.Change> changelog = new ArrayList<>();
            // each changed key's final row in this batch (null: deleted); encoded once, at the end
            Map<ByteKey, Object[]> merged = new LinkedHashMap<>();
            for (int r = 0; r < rows.rows().size(); r++) {
                Object[] input = rows.rows().get(r);
                ByteKey key = new ByteKey(state.keys().encode(input));
                Object[] stored = merged.containsKey(key) ? merged.get(key) : tablet.get(key, schema);
                Object[] result = rows.ops().get(r) == UpsertOp.DELETE
                        ? merger.delete(stored, changelog)
                        : merger.upsert(stored, input, rows.target(), state.ids()::next, changelog);
                if (result != stored) {
                    merged.put(key, result);
                }
            }
            Map<ByteKey, byte[]> writes = new LinkedHashMap<>();
            merged.forEach((key, row) -> writes.put(key, row == null ? null : state.codec().encode(row, schema)));
            ByteBuffer payload = changelog.isEmpty() ? EMPTY : ChangelogBatches.encode(merger.table(), changelog, state.allocator());
            if (payload.remaining() > maxBatchBytes) {
                throw new InletException(InletErrorCode.BATCH_TOO_LARGE, "The changelog of an upsert batch for " + bucket.describe() + " has " + payload.remaining()
                        + " bytes; the most log.max-batch.bytes allows is " + maxBatchBytes + " (send smaller batches)");
            }
            CompletableFuture<AppendOutcome> appended = bucket.append(payload, changelog.size(), schemaId, writerId, sequence);
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
