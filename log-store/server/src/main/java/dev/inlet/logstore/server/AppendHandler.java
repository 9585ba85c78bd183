/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.server;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.logstore.arrow.ArrowIpc;
import dev.inlet.logstore.arrow.ArrowSchemas;
import dev.inlet.logstore.arrow.ArrowValues;
import dev.inlet.logstore.arrow.GatheredMessage;
import dev.inlet.logstore.protocol.AppendAck;
import dev.inlet.logstore.protocol.AppendCommand;
import dev.inlet.logstore.protocol.BatchRoute;
import dev.inlet.logstore.protocol.FlightErrors;
import dev.inlet.logstore.protocol.RowRouter;
import org.apache.arrow.flight.FlightProducer.StreamListener;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * One {@code DoPut} stream: checks each batch (schema, partition and bucket of every row, size),
 * appends it to its bucket, and acknowledges it once durable. Checks come before the append, so
 * a refused batch writes nothing; the stream then ends with the error, after the acks of the
 * batches before it.
 *
 * <p>Appends are not waited for one by one: the next batch is read while earlier ones wait for
 * their group-commit fsync, and an ack thread sends the acks in arrival order as they complete.
 */
final class AppendHandler
{
    private final HotStore store;
    private final BufferAllocator allocator;
    private final ServerMetrics metrics;
    private final long maxBatchBytes;

    AppendHandler(HotStore store, BufferAllocator allocator, ServerMetrics metrics, long maxBatchBytes)
    {
        this.store = store;
        this.allocator = allocator;
        this.metrics = metrics;
        this.maxBatchBytes = maxBatchBytes;
    }

    private record Pending(BatchRoute route, long startNanos, CompletableFuture<AppendOutcome> outcome) {}

    private static final Pending END = new Pending(null, 0, null);

    void run(AppendCommand command, FlightStream stream, StreamListener<PutResult> acks)
    {
        HotTable table = store.table(command.table());
        if (table.descriptor().hasPrimaryKey() && !command.upsert()) {
            throw new InletException(InletErrorCode.INVALID_WRITE, "Table " + table.path() + " has a primary key " + table.descriptor().primaryKey()
                    + "; it takes upserts and deletes (an append command with \"upsert\":true), not appends");
        }
        if (!table.descriptor().hasPrimaryKey() && command.upsert()) {
            throw new InletException(InletErrorCode.INVALID_WRITE, "Table " + table.path() + " is a log table without primary key; it takes appends, not upserts");
        }
        // upserts are read with the table as the stream found it; a column added meanwhile is null in them
        TableDescriptor upsertTable = table.descriptor();
        boolean[] target = command.upsert() ? UpsertBatch.target(table.path(), upsertTable, command.targetColumns()) : null;
        BlockingQueue<Pending> pending = new LinkedBlockingQueue<>();
        CompletableFuture<Throwable> ackFailure = new CompletableFuture<>();
        Thread ackThread = Thread.ofVirtual().name("inlet-acks-" + table.path()).start(() -> sendAcks(pending, acks, ackFailure));
        RuntimeException refused = null;
        // upserts: per bucket, the merge of the batch before (not its fsync) that the next waits for
        java.util.Map<HotBucket, CompletableFuture<?>> merged = new java.util.HashMap<>();
        try {
            // once an earlier batch failed (e.g. its fsync), the stream ends: later batches are not
            // written, since they would never be acknowledged
            while (!ackFailure.isDone() && stream.next()) {
                VectorSchemaRoot root = stream.getRoot();
                ArrowBuf metadata = stream.getLatestMetadata();
                BatchRoute route = route(table, metadata);
                long start = System.nanoTime();
                if (target != null) {
                    UpsertBatch batch = UpsertBatch.read(table.path(), upsertTable, target, root, allocator);
                    HotBucket bucket;
                    try {
                        checkRoutes(table, upsertTable, batch, route);
                        bucket = table.partition(route.partition(), true).bucket(table.path(), route.bucket());
                    }
                    catch (RuntimeException e) {
                        batch.close();
                        throw e;
                    }
                    // merged on the pool, one batch of a bucket after the other, so that the next
                    // batch is read and other buckets merge meanwhile; acks still go in arrival order
                    HotTable current = table;
                    CompletableFuture<CompletableFuture<AppendOutcome>> staged = merged.getOrDefault(bucket, CompletableFuture.completedFuture(null))
                            .handleAsync((_, failed) -> {
                                try (batch) {
                                    if (failed != null) {
                                        throw failed instanceof CompletionException c ? c : new CompletionException(failed);
                                    }
                                    return KvWriter.write(current, bucket, batch, command.writerId(), route.sequence(), maxBatchBytes);
                                }
                            }, KvWriter.POOL);
                    merged.put(bucket, staged);
                    CompletableFuture<AppendOutcome> outcome = staged.thenCompose(durable -> durable);
                    metrics.recordsIn.labelValues(table.path().toString()).inc(root.getRowCount());
                    pending.add(new Pending(route, start, outcome));
                    continue;
                }
                table = checkSchema(table, root);
                checkRows(table, root, route);
                // The stored payload is the IPC message of the received vectors, written from their
                // buffers with one gathering write: no copy into a heap buffer first.
                long payloadSize;
                CompletableFuture<AppendOutcome> outcome;
                try (GatheredMessage payload = ArrowIpc.gather(root)) {
                    payloadSize = payload.size();
                    if (payloadSize > maxBatchBytes) {
                        throw new InletException(InletErrorCode.BATCH_TOO_LARGE, "Batch for " + table.path() + " bucket " + route.bucket() + " has " + payloadSize
                                + " bytes; the most log.max-batch.bytes allows is " + maxBatchBytes);
                    }
                    HotBucket bucket = table.partition(route.partition(), true).bucket(table.path(), route.bucket());
                    // written before append returns; only the durability wait is left in the future
                    outcome = bucket.append(payload.parts(), root.getRowCount(), table.info().schemaId(), command.writerId(), route.sequence());
                }
                metrics.bytesIn.labelValues(table.path().toString()).inc(payloadSize);
                metrics.recordsIn.labelValues(table.path().toString()).inc(root.getRowCount());
                pending.add(new Pending(route, start, outcome));
            }
        }
        catch (RuntimeException e) {
            // any failure, not only a refusal: the ack thread must be joined before the stream is
            // ended, since the listener is not thread-safe
            refused = e;
        }
        finally {
            pending.add(END);
        }
        try {
            ackThread.join();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Throwable failure = ackFailure.getNow(null);
        if (failure != null) {
            acks.onError(failure instanceof InletException i ? FlightErrors.toFlight(i) : failure);
        }
        else if (refused instanceof InletException inlet) {
            metrics.errors.labelValues(inlet.errorCode().name()).inc();
            acks.onError(FlightErrors.toFlight(inlet));
        }
        else if (refused != null) {
            throw refused; // InletFlightProducer reports it as an internal error, after the acks
        }
        else {
            acks.onCompleted();
        }
    }

    private void sendAcks(BlockingQueue<Pending> pending, StreamListener<PutResult> acks, CompletableFuture<Throwable> failure)
    {
        try {
            while (true) {
                Pending p = pending.take();
                if (p == END) {
                    return;
                }
                if (failure.isDone()) {
                    continue; // drain: the stream already failed, later outcomes are not acknowledged
                }
                try {
                    AppendOutcome outcome = p.outcome().join();
                    AppendAck ack = new AppendAck(AppendAck.VERSION, p.route().partition(), p.route().bucket(), p.route().sequence(), outcome.baseOffset(),
                            outcome.lastOffset(), outcome.duplicate());
                    byte[] bytes = ack.toBytes();
                    ArrowBuf buf = dev.inlet.logstore.protocol.MetadataBuffers.of(allocator, bytes);
                    try (PutResult result = PutResult.metadata(buf)) {
                        acks.onNext(result); // serialized before it returns: the buffer can go
                    }
                    metrics.requestSeconds.labelValues("append").observe((System.nanoTime() - p.startNanos()) / 1e9);
                }
                catch (java.util.concurrent.CompletionException e) {
                    failure.complete(e.getCause());
                }
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static BatchRoute route(HotTable table, ArrowBuf metadata)
    {
        if (metadata == null) {
            throw new InletException(InletErrorCode.MALFORMED_REQUEST, "A batch for " + table.path() + " has no app_metadata; each batch must name its partition, bucket and sequence");
        }
        byte[] bytes = dev.inlet.logstore.protocol.MetadataBuffers.bytes(metadata);
        return BatchRoute.fromBytes(bytes);
    }

    /** Checks the batch's schema; a mismatch may mean the table gained a column since it was opened. */
    private HotTable checkSchema(HotTable table, VectorSchemaRoot root)
    {
        try {
            ArrowSchemas.checkCompatible(table.path(), table.descriptor(), root.getSchema());
            return table;
        }
        catch (InletException e) {
            HotTable refreshed = store.refresh(table);
            ArrowSchemas.checkCompatible(refreshed.path(), refreshed.descriptor(), root.getSchema());
            return refreshed;
        }
    }

    /** Every row of an upsert batch must belong to the named partition and bucket (partition and bucket-key columns are key columns: every batch has them). */
    private static void checkRoutes(HotTable table, TableDescriptor upsertTable, UpsertBatch batch, BatchRoute route)
    {
        checkRowRoutes(table, batch.columns(upsertTable.columns().size()), batch.rowCount(), route, r -> " (key " + UpsertBatch.key(upsertTable, batch.boxedRow(r)) + ")");
    }

    /**
     * Routes every row the way the writer must have (only the partition and bucket-key values
     * are read as objects) and compares with the batch's route; {@code byColumn[c]} is the
     * vector of table column {@code c}, {@code describe} adds what names a row in a message.
     */
    private static void checkRowRoutes(HotTable table, FieldVector[] byColumn, int rows, BatchRoute route, java.util.function.IntFunction<String> describe)
    {
        RowRouter router = table.router();
        int[] partitionColumns = router.partitionColumns();
        int[] bucketColumns = router.bucketColumns();
        Object[] row = new Object[byColumn.length];
        for (int r = 0; r < rows; r++) {
            for (int c : partitionColumns) {
                row[c] = ArrowValues.get(byColumn[c], r);
            }
            for (int c : bucketColumns) {
                row[c] = ArrowValues.get(byColumn[c], r);
            }
            String partition = router.partition(row);
            if (!partition.equals(route.partition())) {
                throw new InletException(InletErrorCode.WRONG_PARTITION, "Batch for " + table.path() + " names partition '" + route.partition() + "' but row " + r
                        + describe.apply(r) + " belongs to '" + partition + "'");
            }
            if (router.hasBucketKey()) {
                int bucket = router.bucket(row);
                if (bucket != route.bucket()) {
                    throw new InletException(InletErrorCode.WRONG_BUCKET, "Batch for " + table.path() + " names bucket " + route.bucket() + " but row " + r
                            + describe.apply(r) + " belongs to bucket " + bucket);
                }
            }
        }
    }

    /** Every row must belong to the named partition and bucket, and NOT NULL columns must hold values. */
    private static void checkRows(HotTable table, VectorSchemaRoot root, BatchRoute route)
    {
        RowRouter router = table.router();
        List<FieldVector> vectors = root.getFieldVectors();
        var columns = table.descriptor().columns();
        for (int c = 0; c < columns.size(); c++) {
            if (!columns.get(c).nullable() && vectors.get(c).getNullCount() > 0) {
                throw new InletException(InletErrorCode.INVALID_ROW, "Batch for " + table.path() + " has nulls in NOT NULL column '" + columns.get(c).name() + "'");
            }
        }
        int[] partitionColumns = router.partitionColumns();
        int[] bucketColumns = router.bucketColumns();
        if (partitionColumns.length == 0 && !router.hasBucketKey()) {
            if (!route.partition().isEmpty()) {
                throw new InletException(InletErrorCode.WRONG_PARTITION, "Table " + table.path() + " is not partitioned, but a batch names partition '" + route.partition() + "'");
            }
            if (route.bucket() >= table.descriptor().bucketCount()) {
                throw new InletException(InletErrorCode.WRONG_BUCKET, "Table " + table.path() + " has buckets 0 to " + (table.descriptor().bucketCount() - 1) + "; a batch names bucket " + route.bucket());
            }
            return;
        }
        checkRowRoutes(table, vectors.toArray(FieldVector[]::new), root.getRowCount(), route, r -> "");
    }
}
