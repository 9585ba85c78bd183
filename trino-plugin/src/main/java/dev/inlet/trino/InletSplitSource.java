/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.trino;

import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.union.UnionReader;
import dev.inlet.union.plan.ScanPlan;
import dev.inlet.union.plan.Split;
import dev.inlet.union.plan.SplitCodec;
import io.trino.spi.connector.ColumnHandle;
import io.trino.spi.connector.ConnectorSplit;
import io.trino.spi.connector.ConnectorSplitSource;
import io.trino.spi.connector.DynamicFilterSnapshot;
import io.trino.spi.predicate.TupleDomain;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Plans the union read when Trino first asks for splits, after waiting (up to
 * {@link #DYNAMIC_FILTER_WAIT_MILLIS}) for the dynamic filters of a join: their domains join the
 * table's filter, so the plan skips the hot partitions and lake files they exclude and the
 * splits drop the rows they reject.
 */
final class InletSplitSource
        implements ConnectorSplitSource
{
    static final long DYNAMIC_FILTER_WAIT_MILLIS = 2_000;

    private final UnionReader reader;
    private final InletTableHandle handle;
    private final TableDescriptor descriptor;
    private final boolean waitForDynamicFilters;
    private List<ConnectorSplit> pending;
    private int next;

    InletSplitSource(UnionReader reader, InletTableHandle handle, TableDescriptor descriptor, boolean waitForDynamicFilters)
    {
        this.reader = reader;
        this.handle = handle;
        this.descriptor = descriptor;
        this.waitForDynamicFilters = waitForDynamicFilters;
    }

    @Override
    public long getRequestedDynamicFilterWaitTimeoutMillis()
    {
        return waitForDynamicFilters ? DYNAMIC_FILTER_WAIT_MILLIS : 0;
    }

    @Override
    public CompletableFuture<List<ConnectorSplit>> getNextBatch(int maxSize, DynamicFilterSnapshot dynamicFilter)
    {
        if (pending == null) {
            pending = plan(dynamicFilter.currentPredicate());
        }
        List<ConnectorSplit> batch = List.copyOf(pending.subList(next, Math.min(pending.size(), next + maxSize)));
        next += batch.size();
        return CompletableFuture.completedFuture(batch);
    }

    private List<ConnectorSplit> plan(TupleDomain<ColumnHandle> dynamic)
    {
        TupleDomain<ColumnHandle> constraint = handle.getConstraint().intersect(DomainFilters.enforceable(descriptor, dynamic));
        if (constraint.isNone()) {
            return List.of();
        }
        try (PluginContext ignored = PluginContext.enter()) {
            ScanPlan plan = reader.plan(handle.scanRequest(descriptor, Optional.empty(), constraint, true));
            List<ConnectorSplit> splits = new ArrayList<>();
            for (Split split : plan.splits()) {
                splits.add(new InletSplit(SplitCodec.toJson(split), split.weight()));
            }
            return splits;
        }
        catch (InletException e) {
            throw Errors.toTrino(e);
        }
    }

    @Override
    public boolean isFinished()
    {
        return pending != null && next >= pending.size();
    }

    @Override
    public void close() {}
}
