/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.trino;

import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.logstore.client.AppendWriter;
import dev.inlet.logstore.client.InletClient;
import dev.inlet.logstore.client.UpsertWriter;
import dev.inlet.logstore.client.WriterOptions;
import io.airlift.slice.Slice;
import io.trino.spi.Page;
import io.trino.spi.connector.ConnectorPageSink;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes an {@code INSERT}'s pages through the hot store: appends to a log table, upserts (full
 * rows) into a primary-key table. {@link #finish} returns once every row is acknowledged, so the
 * rows are in the next query's union read. A failed insert may leave the rows it had written (the
 * hot store has no multi-batch transactions); each row is written at most once.
 */
final class InletPageSink
        implements ConnectorPageSink
{
    private final String table;
    private final List<InletColumnHandle> columns;
    private final int[] positions;
    private final List<Column> tableColumns;
    private final AppendWriter appender;
    private final UpsertWriter upserter;
    // the first write the hot store refused; the insert fails with it
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    InletPageSink(InletClient client, String table, TableDescriptor descriptor, List<InletColumnHandle> columns)
    {
        this.table = table;
        this.columns = columns;
        this.tableColumns = descriptor.columns();
        List<String> names = descriptor.columnNames();
        this.positions = columns.stream().mapToInt(c -> names.indexOf(c.getName())).toArray();
        if (descriptor.hasPrimaryKey()) {
            this.upserter = client.newUpsertWriter(table, names, WriterOptions.defaults());
            this.appender = null;
        }
        else {
            this.appender = client.newWriter(table, WriterOptions.defaults());
            this.upserter = null;
        }
    }

    @Override
    public CompletableFuture<?> appendPage(Page page)
    {
        try (PluginContext ignored = PluginContext.enter()) {
            for (int position = 0; position < page.getPositionCount(); position++) {
                Object[] row = new Object[tableColumns.size()];
                for (int c = 0; c < columns.size(); c++) {
                    int at = positions[c];
                    row[at] = BlockValues.get(columns.get(c).getType(), tableColumns.get(at).type(), page.getBlock(c), position);
                }
                CompletableFuture<?> ack = upserter != null ? upserter.upsert(row) : appender.append(row);
                ack.whenComplete((result, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    }
                });
            }
            return NOT_BLOCKED;
        }
        catch (InletException e) {
            throw Errors.toTrino(e);
        }
    }

    @Override
    public CompletableFuture<Collection<Slice>> finish()
    {
        try (PluginContext ignored = PluginContext.enter()) {
            // flush waits for every acknowledgement and throws the first failure
            if (upserter != null) {
                upserter.flush();
                upserter.close();
            }
            else {
                appender.flush();
                appender.close();
            }
            Throwable error = failure.get();
            if (error != null) {
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
                if (cause instanceof InletException inlet) {
                    throw inlet;
                }
                throw new io.trino.spi.TrinoException(io.trino.spi.StandardErrorCode.GENERIC_INTERNAL_ERROR, "Insert into " + table + " failed: " + cause.getMessage(), cause);
            }
            return CompletableFuture.completedFuture(List.of());
        }
        catch (InletException e) {
            throw Errors.toTrino(e);
        }
    }

    @Override
    public void abort()
    {
        try (PluginContext ignored = PluginContext.enter()) {
            if (upserter != null) {
                upserter.close();
            }
            else {
                appender.close();
            }
        }
        catch (RuntimeException e) {
            // aborting: the query has already failed with its own error
        }
    }

    @Override
    public String toString()
    {
        return "InletPageSink[" + table + "]";
    }
}
