/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.server;

import dev.inlet.catalog.config.ConfigOption;
import dev.inlet.catalog.config.ConfigOptionProvider;

import java.util.List;

/** Registers {@link ServerOptions}. */
public final class ServerOptionProvider
        implements ConfigOptionProvider
{
    @Override
    public List<ConfigOption<?>> options()
    {
        return ServerOptions.all();
    }
}
