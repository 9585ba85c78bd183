/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.trino;

import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.logstore.client.InletClient;
import io.trino.spi.StandardErrorCode;
import io.trino.spi.TrinoException;
import io.trino.spi.connector.ConnectorInsertTableHandle;
import io.trino.spi.connector.ConnectorOutputTableHandle;
import io.trino.spi.connector.ConnectorPageSink;
import io.trino.spi.connector.ConnectorPageSinkId;
import io.trino.spi.connector.ConnectorPageSinkProvider;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.connector.ConnectorTableCredentials;
import io.trino.spi.connector.ConnectorTransactionHandle;

import java.util.Optional;

/** Page sinks of {@code INSERT}s (see {@link InletPageSink}). {@code CREATE TABLE AS} is not supported. */
final class InletPageSinkProvider
        implements ConnectorPageSinkProvider
{
    private final InletCatalog catalog;
    private final InletClient client;

    InletPageSinkProvider(InletCatalog catalog, InletClient client)
    {
        this.catalog = catalog;
        this.client = client;
    }

    @Override
    public ConnectorPageSink createPageSink(ConnectorTransactionHandle transaction, ConnectorSession session, ConnectorOutputTableHandle outputTableHandle,
            Optional<ConnectorTableCredentials> credentials, ConnectorPageSinkId pageSinkId)
    {
        throw new TrinoException(StandardErrorCode.NOT_SUPPORTED, "CREATE TABLE AS is not supported by Inlet; CREATE TABLE, then INSERT");
    }

    @Override
    public ConnectorPageSink createPageSink(ConnectorTransactionHandle transaction, ConnectorSession session, ConnectorInsertTableHandle insertTableHandle,
            Optional<ConnectorTableCredentials> credentials, ConnectorPageSinkId pageSinkId)
    {
        InletInsertTableHandle handle = (InletInsertTableHandle) insertTableHandle;
        try (PluginContext ignored = PluginContext.enter()) {
            TablePath path = new TablePath(handle.getSchemaName(), handle.getTableName());
            return new InletPageSink(client, path.toString(), catalog.getTable(path).descriptor(), handle.getColumns());
        }
    }
}
