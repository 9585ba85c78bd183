/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.trino;

import dev.inlet.catalog.CatalogSettings;
import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.config.InletConfig;
import dev.inlet.logstore.client.ClientOptions;
import dev.inlet.logstore.client.InletClient;
import dev.inlet.union.UnionReader;
import dev.inlet.union.UnionReaderOptions;
import io.trino.spi.connector.Connector;
import io.trino.spi.connector.ConnectorCapabilities;
import io.trino.spi.connector.ConnectorMetadata;
import io.trino.spi.connector.ConnectorPageSinkProvider;
import io.trino.spi.connector.ConnectorPageSourceProvider;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.connector.ConnectorSplitManager;
import io.trino.spi.connector.ConnectorTransactionHandle;
import io.trino.spi.session.PropertyMetadata;
import io.trino.spi.transaction.IsolationLevel;

import java.util.List;
import java.util.Set;

/**
 * One Trino catalog over one Inlet deployment: the Inlet catalog database (tables, lake tables),
 * the hot store, and the union reader that joins them. Reads take no locks; each scan is planned
 * at its own consistent point.
 */
final class InletConnector
        implements Connector
{
    private final InletCatalog catalog;
    private final InletClient client;
    private final UnionReader reader;
    private final InletMetadata metadata;
    private final InletSplitManager splitManager;
    private final InletPageSourceProvider pageSources;
    private final InletPageSinkProvider pageSinks;

    InletConnector(InletConfig config)
    {
        this.catalog = new InletCatalog(CatalogSettings.fromConfig(config));
        this.client = InletClient.connect(ClientOptions.clientConfig(config));
        this.reader = new UnionReader(catalog, client, UnionReaderOptions.Settings.from(config));
        this.metadata = new InletMetadata(catalog, client, reader);
        this.splitManager = new InletSplitManager(catalog, reader);
        this.pageSources = new InletPageSourceProvider(reader);
        this.pageSinks = new InletPageSinkProvider(catalog, client);
    }

    @Override
    public ConnectorTransactionHandle beginTransaction(IsolationLevel isolationLevel, boolean readOnly, boolean autoCommit)
    {
        return InletTransactionHandle.INSTANCE;
    }

    @Override
    public ConnectorMetadata getMetadata(ConnectorSession session, ConnectorTransactionHandle transaction)
    {
        return metadata;
    }

    @Override
    public ConnectorSplitManager getSplitManager()
    {
        return splitManager;
    }

    @Override
    public ConnectorPageSourceProvider getPageSourceProvider()
    {
        return pageSources;
    }

    @Override
    public Set<ConnectorCapabilities> getCapabilities()
    {
        // key columns are NOT NULL
        return Set.of(ConnectorCapabilities.NOT_NULL_COLUMN_CONSTRAINT);
    }

    @Override
    public ConnectorPageSinkProvider getPageSinkProvider()
    {
        return pageSinks;
    }

    @Override
    public List<PropertyMetadata<?>> getTableProperties()
    {
        return TableProperties.all();
    }

    @Override
    public void shutdown()
    {
        try (PluginContext ignored = PluginContext.enter()) {
            reader.close();
            client.close();
            catalog.close();
        }
    }
}
