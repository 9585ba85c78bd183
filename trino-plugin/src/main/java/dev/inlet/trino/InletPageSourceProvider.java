/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.trino;

import dev.inlet.union.UnionReader;
import dev.inlet.union.plan.Split;
import dev.inlet.union.plan.SplitCodec;
import dev.inlet.union.read.ReadStats;
import io.trino.spi.connector.ColumnHandle;
import io.trino.spi.connector.ConnectorPageSource;
import io.trino.spi.connector.ConnectorPageSourceProvider;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.connector.ConnectorSplit;
import io.trino.spi.connector.ConnectorTableCredentials;
import io.trino.spi.connector.ConnectorTableHandle;
import io.trino.spi.connector.ConnectorTransactionHandle;
import io.trino.spi.connector.DynamicFilter;

import java.util.List;
import java.util.Optional;

/** Reads a split with the union reader, on the worker that received it. */
final class InletPageSourceProvider
        implements ConnectorPageSourceProvider
{
    private final UnionReader reader;

    InletPageSourceProvider(UnionReader reader)
    {
        this.reader = reader;
    }

    @Override
    public ConnectorPageSource createPageSource(ConnectorTransactionHandle transaction, ConnectorSession session, ConnectorSplit split, ConnectorTableHandle table,
            Optional<ConnectorTableCredentials> credentials, List<ColumnHandle> columns, DynamicFilter dynamicFilter)
    {
        Split unionSplit = SplitCodec.fromJson(((InletSplit) split).getSplit());
        List<InletColumnHandle> handles = columns.stream().map(InletColumnHandle.class::cast).toList();
        try (PluginContext ignored = PluginContext.enter()) {
            return new InletPageSource(reader.open(unionSplit, new ReadStats()), handles);
        }
    }
}
