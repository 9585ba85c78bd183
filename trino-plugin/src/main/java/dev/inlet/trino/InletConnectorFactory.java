/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.trino;

import dev.inlet.catalog.config.ConfigOptionProvider;
import dev.inlet.catalog.config.InletConfig;
import io.trino.spi.connector.Connector;
import io.trino.spi.connector.ConnectorContext;
import io.trino.spi.connector.ConnectorFactory;

import java.util.HashMap;
import java.util.Map;

/**
 * Creates the {@code inlet} connector from a Trino catalog file whose properties (besides
 * {@code connector.name}) are Inlet configuration keys, as in {@code conf/inlet.properties}:
 * how to reach the hot store, the catalog database and S3. Unknown keys are refused.
 */
public final class InletConnectorFactory
        implements ConnectorFactory
{
    public static final String NAME = "inlet";

    @Override
    public String getName()
    {
        return NAME;
    }

    @Override
    public Connector create(String catalogName, Map<String, String> config, ConnectorContext context)
    {
        ArrowAccess.check();
        try (PluginContext ignored = PluginContext.enter()) {
            InletConfig inlet = InletConfig.of(new HashMap<>(config));
            inlet.checkKnown(ConfigOptionProvider.discover());
            return new InletConnector(inlet);
        }
    }
}
