/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.client;

import dev.inlet.logstore.protocol.UpsertOp;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Upserts and deletes rows of a primary-key table. A writer sets its target columns: all of them
 * (but the auto-increment column, which the server fills), or a subset that includes the primary
 * key, for a partial update that leaves the other columns as stored. Rows are the target columns'
 * values in table order. Batching, routing by the table's bucket function, backpressure and
 * idempotent retries are those of {@link AppendWriter}.
 *
 * <p>Each future completes once the write is durable and applied, with the offset at which the
 * bucket's log ends after it: a scanner that reads up to there has seen its changelog rows.
 *
 * <p>Thread-safe.
 */
public final class UpsertWriter
        implements AutoCloseable
{
    private final AppendWriter writer;
    private final List<String> targetColumns;

    UpsertWriter(AppendWriter writer, List<String> targetColumns)
    {
        this.writer = writer;
        this.targetColumns = targetColumns;
    }

    public TableHandle table()
    {
        return writer.table();
    }

    /** The columns this writer sets, in table order. */
    public List<String> targetColumns()
    {
        return targetColumns;
    }

    /** Inserts the row, or merges it into the stored row of its key under the table's merge engine. */
    public CompletableFuture<AppendResult> upsert(Object[] values)
    {
        return writer.write(values, UpsertOp.UPSERT);
    }

    /**
     * Upserts a batch of rows given as Arrow vectors of the writer's target columns, in table order
     * (the table's Arrow types): the columnar counterpart of {@link #upsert}, which copies the
     * values into the writer's batches without making objects of them. Returns once the rows are
     * buffered, so the caller may reuse {@code rows} at once.
     *
     * @return completes when every row is durable, or fails with the first error
     * @throws dev.inlet.catalog.error.InletException {@code BATCH_SCHEMA_MISMATCH} for other
     *     columns, {@code INVALID_ROW} for a null key or a null in a NOT NULL column; nothing is
     *     buffered then
     */
    public CompletableFuture<Void> upsertBatch(org.apache.arrow.vector.VectorSchemaRoot rows)
    {
        return writer.upsertBatch(rows);
    }

    /**
     * Writes a row only if its key has no row yet; a key that has one keeps it, unchanged and with
     * no changelog row (the result's offset is then the bucket's end). Values as for {@link #upsert}.
     */
    public CompletableFuture<AppendResult> insertIfAbsent(Object[] values)
    {
        return writer.write(values, UpsertOp.INSERT_IF_ABSENT);
    }

    /** Deletes the row of the key the values hold (only the key columns are read; the others may be null). */
    public CompletableFuture<AppendResult> delete(Object[] values)
    {
        return writer.write(values, UpsertOp.DELETE);
    }

    /** Sends every buffered write and waits until all are durable (or failed). */
    public void flush()
    {
        writer.flush();
    }

    @Override
    public void close()
    {
        writer.close();
    }
}
