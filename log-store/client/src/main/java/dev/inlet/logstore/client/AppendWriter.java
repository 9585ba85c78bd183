/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.client;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.model.Column;
import dev.inlet.logstore.arrow.ArrowSchemas;
import dev.inlet.logstore.arrow.ArrowValues;
import dev.inlet.logstore.protocol.AppendCommand;
import dev.inlet.logstore.protocol.UpsertOp;
import dev.inlet.logstore.protocol.RowRouter;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Appends rows to one table. Rows are routed to their partition and bucket (by the table's
 * lake-aligned bucket function), collected per bucket into Arrow batches, and sent when a batch is
 * full, when its first row has waited {@link WriterOptions#linger()}, or on {@link #flush()}. Each
 * row's future completes with its offset once the server has made the batch durable.
 *
 * <p>Idempotent by default: the writer has a random id and numbers its batches per bucket, and a
 * batch resent after a failed stream is stored once. Appends block while
 * {@link WriterOptions#maxInFlightBytes()} are unacknowledged (backpressure).
 *
 * <p>Thread-safe: {@link #append} may be called from several threads; rows of one bucket keep the
 * order in which the calls returned.
 */
public final class AppendWriter
        implements AutoCloseable
{
    private final InletClient client;
    private final TableHandle table;
    private final WriterOptions options;
    private final RowRouter router;
    private final RowValidator validator;
    private final long writerId;
    private final AppendSender sender;
    private final ScheduledExecutorService timer;
    private final Map<BucketKey, Accumulator> open = new HashMap<>();
    private final Map<BucketKey, Integer> sequences = new HashMap<>();
    private final Object sealLock = new Object();
    private boolean closed;

    // upserts: the target columns' positions in table order, and the batch schema (targets, _op); null for appends
    private final int[] targetIndexes;
    private final org.apache.arrow.vector.types.pojo.Schema batchSchema;

    record BucketKey(String partition, int bucket) {}

    AppendWriter(InletClient client, TableHandle table, WriterOptions options)
    {
        this(client, table, options, null);
    }

    /**
     * @param targetColumns for an upsert writer of a primary-key table: the columns it sets (null
     *     list: every column but the auto-increment one); null for an append writer
     */
    AppendWriter(InletClient client, TableHandle table, WriterOptions options, java.util.Optional<List<String>> targetColumns)
    {
        this.client = requireNonNull(client, "client is null");
        this.table = requireNonNull(table, "table is null");
        this.options = requireNonNull(options, "options is null");
        this.router = new RowRouter(table.descriptor());
        this.validator = new RowValidator(table.path(), table.descriptor());
        this.writerId = options.idempotent() ? new SecureRandom().nextLong() & Long.MAX_VALUE : -1;
        AppendCommand command;
        if (targetColumns == null) {
            targetIndexes = null;
            batchSchema = table.arrowSchema();
            command = new AppendCommand(AppendCommand.VERSION, table.path().toString(), writerId);
        }
        else {
            var d = table.descriptor();
            List<String> names = d.columnNames();
            List<String> targets = targetColumns.orElseGet(() -> names.stream().filter(n -> d.autoIncrementColumn().filter(n::equals).isEmpty()).toList());
            for (String t : targets) {
                if (!names.contains(t)) {
                    throw new InletException(InletErrorCode.INVALID_WRITE, "Table " + table.path() + " has no column '" + t + "' to write; its columns are " + names);
                }
            }
            for (String k : d.primaryKey()) {
                if (!targets.contains(k)) {
                    throw new InletException(InletErrorCode.INVALID_WRITE, "A partial update of " + table.path() + " must include every primary-key column; target columns "
                            + targets + " lack '" + k + "'");
                }
            }
            targetIndexes = java.util.stream.IntStream.range(0, names.size()).filter(i -> targets.contains(names.get(i))).toArray();
            batchSchema = ArrowSchemas.toUpsertSchema(java.util.Arrays.stream(targetIndexes).mapToObj(i -> d.columns().get(i)).toList());
            command = new AppendCommand(AppendCommand.VERSION, table.path().toString(), writerId, true, targetColumns.orElse(null));
        }
        this.sender = new AppendSender(client, table, writerId, options, batchSchema, command);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "inlet-writer-linger-" + table.path());
            t.setDaemon(true);
            return t;
        });
    }

    public TableHandle table()
    {
        return table;
    }

    /** The writer's id for idempotent appends, or -1. */
    public long writerId()
    {
        return writerId;
    }

    /**
     * Buffers a row: the values of every column in table order, each of its column type's Java
     * class. Returns once the row is buffered; the future completes when it is durable.
     *
     * @throws InletException {@code INVALID_ROW} naming the table, column and value of a bad row,
     *     which is not buffered
     */
    public CompletableFuture<AppendResult> append(Object[] row)
    {
        if (targetIndexes != null) {
            throw new InletException(InletErrorCode.INVALID_WRITE, "Table " + table.path() + " has a primary key; use an upsert writer");
        }
        return add(validator.check(row), null, (byte) 0);
    }

    /**
     * Buffers an upsert or delete of a primary-key table: {@code values} are the target columns'
     * values in table order; a delete reads only the key columns.
     */
    CompletableFuture<AppendResult> write(Object[] values, UpsertOp op)
    {
        if (values.length != targetIndexes.length) {
            throw new InletException(InletErrorCode.INVALID_ROW, "A write to " + table.path() + " has " + values.length + " values; the writer's target columns are "
                    + java.util.Arrays.stream(targetIndexes).mapToObj(i -> table.descriptor().columnNames().get(i)).toList());
        }
        Object[] checked = validator.checkValues(targetIndexes, values);
        Object[] full = new Object[table.descriptor().columns().size()];
        for (int i = 0; i < targetIndexes.length; i++) {
            full[targetIndexes[i]] = checked[i];
        }
        for (String k : table.descriptor().primaryKey()) {
            if (full[table.descriptor().columnNames().indexOf(k)] == null) {
                throw new InletException(InletErrorCode.INVALID_ROW, "A write to " + table.path() + " has a null in primary-key column '" + k + "'");
            }
        }
        return add(full, checked, op.code());
    }

    private CompletableFuture<AppendResult> add(Object[] checked, Object[] values, byte op)
    {
        String partition = router.partition(checked);
        CompletableFuture<AppendResult> future;
        // sealLock spans taking a batch out of `open` and queueing it, so that a flush (which takes
        // it too) never misses a batch that is between the two
        synchronized (sealLock) {
            Accumulator full = null;
            synchronized (this) {
                checkOpen();
                BucketKey key = new BucketKey(partition, router.hasBucketKey() ? router.bucket(checked) : stickyBucket(partition));
                Accumulator acc = open.computeIfAbsent(key, this::newAccumulator);
                future = values == null ? acc.add(checked) : acc.addUpsert(values, op);
                if (acc.rows() >= options.batchRows() || acc.bytes() >= options.batchBytes()) {
                    open.remove(key);
                    full = acc;
                }
            }
            if (full != null) {
                seal(full);
            }
        }
        return future;
    }

    /**
     * Buffers a batch of rows given as Arrow vectors: the columnar counterpart of
     * {@link #append(Object[])} for applications that already hold their data in columns. The
     * root must carry every column of the table, in table order, with the table's Arrow types
     * ({@link TableHandle#arrowSchema()}). Each row is routed to its partition and bucket (only
     * the partition and bucket key values are read as objects) and its values are copied from
     * the vectors into that bucket's batch without boxing; the batches are sent as with
     * {@link #append(Object[])}. Returns once the rows are buffered, so the caller may reuse or
     * close {@code rows} at once.
     *
     * @return a future that completes when every row is durable, or fails with the first error
     *     (the rows of a batch that failed are not stored; others may be)
     * @throws InletException {@code BATCH_SCHEMA_MISMATCH} if the schema is not the table's,
     *     {@code INVALID_ROW} if a NOT NULL column holds nulls; nothing is buffered then
     */
    public CompletableFuture<Void> appendBatch(VectorSchemaRoot rows)
    {
        requireNonNull(rows, "rows is null");
        if (targetIndexes != null) {
            throw new InletException(InletErrorCode.INVALID_WRITE, "Table " + table.path() + " has a primary key; use an upsert writer");
        }
        ArrowSchemas.checkCompatible(table.path(), table.descriptor(), rows.getSchema());
        return writeBatch(rows, java.util.stream.IntStream.range(0, rows.getFieldVectors().size()).toArray(), null);
    }

    /**
     * Buffers upserts given as Arrow vectors: the columnar counterpart of {@link #write} for an
     * upsert writer. The root carries the writer's target columns, in table order, with the
     * table's Arrow types ({@link ArrowSchemas#toUpsertSchema} without its {@code _op} column).
     *
     * @throws InletException {@code BATCH_SCHEMA_MISMATCH} for other columns, {@code INVALID_ROW}
     *     for a null key or a null in a NOT NULL column; nothing is buffered then
     */
    CompletableFuture<Void> upsertBatch(VectorSchemaRoot rows)
    {
        requireNonNull(rows, "rows is null");
        List<org.apache.arrow.vector.types.pojo.Field> expected = batchSchema.getFields().subList(0, targetIndexes.length);
        if (!rows.getSchema().getFields().equals(expected)) {
            throw new InletException(InletErrorCode.BATCH_SCHEMA_MISMATCH, "Upsert batch for " + table.path() + " has columns " + rows.getSchema().getFields()
                    + "; the writer's target columns are " + expected);
        }
        var columns = table.descriptor().columns();
        for (int i = 0; i < targetIndexes.length; i++) {
            String name = columns.get(targetIndexes[i]).name();
            if (rows.getVector(i).getNullCount() > 0 && table.descriptor().primaryKey().contains(name)) {
                throw new InletException(InletErrorCode.INVALID_ROW, "Upsert batch for " + table.path() + " has " + rows.getVector(i).getNullCount()
                        + " nulls in primary-key column '" + name + "'");
            }
        }
        return writeBatch(rows, targetIndexes, UpsertOp.UPSERT);
    }

    /**
     * Routes and buffers the rows of {@code rows}, whose vector {@code i} holds table column
     * {@code tableColumns[i]}; {@code op} is null for appends.
     */
    private CompletableFuture<Void> writeBatch(VectorSchemaRoot rows, int[] tableColumns, UpsertOp op)
    {
        List<FieldVector> source = rows.getFieldVectors();
        var columns = table.descriptor().columns();
        int[] vectorOf = new int[columns.size()];
        java.util.Arrays.fill(vectorOf, -1);
        for (int i = 0; i < tableColumns.length; i++) {
            Column column = columns.get(tableColumns[i]);
            vectorOf[tableColumns[i]] = i;
            if (!column.nullable() && source.get(i).getNullCount() > 0) {
                throw new InletException(InletErrorCode.INVALID_ROW, "Batch for " + table.path() + " has " + source.get(i).getNullCount()
                        + " nulls in column '" + column.name() + "', which is NOT NULL");
            }
        }
        RowWaiter.ColumnarAppend waiter = new RowWaiter.ColumnarAppend();
        int[] partitionColumns = router.partitionColumns();
        int[] bucketColumns = router.bucketColumns();
        Object[] key = new Object[columns.size()];
        synchronized (sealLock) {
            List<Accumulator> full = new ArrayList<>();
            synchronized (this) {
                checkOpen();
                for (int r = 0; r < rows.getRowCount(); r++) {
                    for (int c : partitionColumns) {
                        key[c] = ArrowValues.get(source.get(vectorOf[c]), r);
                    }
                    for (int c : bucketColumns) {
                        key[c] = ArrowValues.get(source.get(vectorOf[c]), r);
                    }
                    String partition = partitionColumns.length == 0 ? "" : router.partition(key);
                    BucketKey bucketKey = new BucketKey(partition, router.hasBucketKey() ? router.bucket(key) : stickyBucket(partition));
                    Accumulator acc = open.computeIfAbsent(bucketKey, this::newAccumulator);
                    acc.addFrom(source, r, op, waiter);
                    if (acc.rows() >= options.batchRows() || acc.bytes() >= options.batchBytes()) {
                        open.remove(bucketKey);
                        full.add(acc);
                    }
                }
            }
            // in the order they filled up, so that each bucket's batches get their sequence in order
            full.forEach(this::seal);
        }
        waiter.routed();
        return waiter.future();
    }

    /** A log table without bucket key keeps filling one bucket per partition until its batch is sealed (sticky). */
    private int stickyBucket(String partition)
    {
        for (BucketKey key : open.keySet()) {
            if (key.partition().equals(partition)) {
                return key.bucket();
            }
        }
        return router.nextFreeBucket();
    }

    private Accumulator newAccumulator(BucketKey key)
    {
        Accumulator acc = new Accumulator(key, VectorSchemaRoot.create(batchSchema, client.allocator()));
        ScheduledFuture<?> timeout = timer.schedule(() -> sealIfStillOpen(acc), options.linger().toNanos(), TimeUnit.NANOSECONDS);
        acc.lingerTimer = timeout;
        return acc;
    }

    private void sealIfStillOpen(Accumulator acc)
    {
        synchronized (sealLock) {
            synchronized (this) {
                if (open.get(acc.key) != acc) {
                    return;
                }
                open.remove(acc.key);
            }
            seal(acc);
        }
    }

    /**
     * Numbers the batch and hands it to the sender in one step, under {@code sealLock}: a batch
     * sealed by the linger timer and one sealed by an append must reach the server in the order
     * of their sequence numbers, or the server would see a gap.
     */
    private void seal(Accumulator acc)
    {
        acc.lingerTimer.cancel(false);
        synchronized (sealLock) {
            int sequence;
            synchronized (this) {
                sequence = writerId < 0 ? -1 : sequences.merge(acc.key, 1, Integer::sum) - 1;
            }
            ArrowRecordBatch batch = acc.seal();
            sender.send(new PendingBatch(acc.key.partition(), acc.key.bucket(), sequence, batch, acc.rows(), acc.waiters, targetIndexes != null));
        }
    }

    /** Sends every buffered row and waits until all sent rows are durable (or failed). */
    public void flush()
    {
        sealAll(false);
        sender.awaitAllAcknowledged();
    }

    /** Seals every open batch; with {@code close}, in the same step marks the writer closed, so no append slips in after. */
    private boolean sealAll(boolean close)
    {
        synchronized (sealLock) {
            List<Accumulator> toSeal;
            synchronized (this) {
                if (close && closed) {
                    return false;
                }
                checkOpen();
                closed = close;
                toSeal = new ArrayList<>(open.values());
                open.clear();
            }
            toSeal.forEach(this::seal);
            return true;
        }
    }

    private void checkOpen()
    {
        if (closed) {
            throw new InletException(InletErrorCode.MALFORMED_REQUEST, "The writer of " + table.path() + " is closed");
        }
    }

    /** Flushes, then closes the stream. */
    @Override
    public void close()
    {
        if (!sealAll(true)) {
            return; // closed before
        }
        try {
            sender.awaitAllAcknowledged();
        }
        finally {
            timer.shutdownNow();
            sender.close();
        }
    }

    /** One bucket's rows being collected. */
    private final class Accumulator
    {
        final BucketKey key;
        final VectorSchemaRoot root;
        final List<FieldVector> vectors;
        final List<RowWaiter> waiters = new ArrayList<>();
        ScheduledFuture<?> lingerTimer;
        private int rows;
        private long bytes;

        Accumulator(BucketKey key, VectorSchemaRoot root)
        {
            this.key = key;
            this.root = root;
            this.vectors = root.getFieldVectors();
        }

        CompletableFuture<AppendResult> add(Object[] row)
        {
            int index = rows;
            for (int i = 0; i < row.length; i++) {
                ArrowValues.set(vectors.get(i), index, row[i]);
                bytes += estimate(row[i]);
            }
            rows = index + 1;
            root.setRowCount(rows);
            CompletableFuture<AppendResult> future = new CompletableFuture<>();
            waiters.add(new RowWaiter.Row(future));
            return future;
        }

        CompletableFuture<AppendResult> addUpsert(Object[] values, byte op)
        {
            int index = rows;
            for (int i = 0; i < values.length; i++) {
                try {
                    ArrowValues.set(vectors.get(i), index, values[i]);
                }
                catch (IllegalArgumentException e) {
                    throw new InletException(InletErrorCode.INVALID_ROW, "Table " + table.path() + ": " + e.getMessage(), e);
                }
                bytes += estimate(values[i]);
            }
            ((org.apache.arrow.vector.TinyIntVector) vectors.get(values.length)).setSafe(index, op);
            rows = index + 1;
            root.setRowCount(rows);
            CompletableFuture<AppendResult> future = new CompletableFuture<>();
            waiters.add(new RowWaiter.Row(future));
            return future;
        }

        /**
         * Copies row {@code row} of {@code source} (the batch's columns) in, value by value,
         * unboxed; an upsert's {@code op} goes into the {@code _op} column after them.
         */
        void addFrom(List<FieldVector> source, int row, UpsertOp op, RowWaiter.ColumnarAppend owner)
        {
            int index = rows;
            for (int i = 0; i < source.size(); i++) {
                FieldVector from = source.get(i);
                vectors.get(i).copyFromSafe(row, index, from);
                bytes += from.isNull(row) ? 1 : from instanceof BaseVariableWidthVector variable ? variable.getValueLength(row) + 4 : 8;
            }
            if (op != null) {
                ((org.apache.arrow.vector.TinyIntVector) vectors.get(source.size())).setSafe(index, op.code());
            }
            rows = index + 1;
            root.setRowCount(rows);
            RowWaiter.Part part = !waiters.isEmpty() && waiters.getLast() instanceof RowWaiter.Part last && last.owner() == owner ? last : null;
            if (part == null) {
                part = new RowWaiter.Part(owner);
                waiters.add(part);
            }
            part.addRow();
        }

        private static long estimate(Object value)
        {
            return switch (value) {
                case null -> 1;
                case String s -> s.length() + 4;
                case byte[] b -> b.length + 4;
                case java.math.BigDecimal d -> 16;
                default -> 8;
            };
        }

        int rows()
        {
            return rows;
        }

        long bytes()
        {
            return bytes;
        }

        ArrowRecordBatch seal()
        {
            try (root) {
                root.setRowCount(rows);
                return new VectorUnloader(root).getRecordBatch();
            }
        }
    }
}
