/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.trino;

import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.union.UnionReader;
import io.trino.spi.connector.ColumnHandle;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.connector.ConnectorSplitManager;
import io.trino.spi.connector.ConnectorSplitSource;
import io.trino.spi.connector.ConnectorTableHandle;
import io.trino.spi.connector.ConnectorTransactionHandle;
import io.trino.spi.connector.Constraint;
import io.trino.spi.connector.FixedSplitSource;

import java.util.Set;

/** Splits of a union read of the table handle, planned at one consistent point (see {@link InletSplitSource}). */
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
            var descriptor = catalog.getTable(new TablePath(handle.getSchemaName(), handle.getTableName())).descriptor();
            return new InletSplitSource(reader, handle, descriptor, !dynamicFilterColumns.isEmpty());
        }
    }
}
