/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.trino;

import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.union.ScanRequest;
import dev.inlet.union.UnionReader;
import dev.inlet.union.filter.Filter;
import dev.inlet.union.plan.ScanPlan;
import dev.inlet.union.plan.Split;
import dev.inlet.union.plan.SplitCodec;
import io.trino.spi.connector.ColumnHandle;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.connector.ConnectorSplit;
import io.trino.spi.connector.ConnectorSplitManager;
import io.trino.spi.connector.ConnectorSplitSource;
import io.trino.spi.connector.ConnectorTableHandle;
import io.trino.spi.connector.ConnectorTransactionHandle;
import io.trino.spi.connector.Constraint;
import io.trino.spi.connector.FixedSplitSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Plans a union read of the table handle at one consistent point and hands its splits to Trino. */
final class InletSplitManager
        implements ConnectorSplitManager
{
    private final InletCatalog catalog;
    private final UnionReader reader;

    InletSplitManager(InletCatalog catalog, UnionReader reader)
    {
        this.catalog = catalog;
        this.reader = reader;
    }

    @Override
    public ConnectorSplitSource getSplits(ConnectorTransactionHandle transaction, ConnectorSession session, ConnectorTableHandle table, Set<ColumnHandle> dynamicFilterColumns,
            Constraint constraint)
    {
        InletTableHandle handle = (InletTableHandle) table;
        if (handle.getConstraint().isNone()) {
            return FixedSplitSource.emptySplitSource();
        }
        try (PluginContext ignored = PluginContext.enter()) {
            return splits(handle);
        }
    }

    private ConnectorSplitSource splits(InletTableHandle handle)
    {
        TablePath path = new TablePath(handle.getSchemaName(), handle.getTableName());
        TableDescriptor descriptor = catalog.getTable(path).descriptor();
        Filter filter = DomainFilters.toFilter(descriptor, handle.getConstraint());
        ScanRequest request = new ScanRequest(path, Optional.of(handle.getColumns().orElse(descriptor.columnNames())), filter, handle.getLimit().orElse(-1), handle.isLakeOnly());
        ScanPlan plan = reader.plan(request);
        List<ConnectorSplit> splits = new ArrayList<>();
        for (Split split : plan.splits()) {
            splits.add(new InletSplit(SplitCodec.toJson(split), split.weight()));
        }
        return new FixedSplitSource(splits);
    }
}
