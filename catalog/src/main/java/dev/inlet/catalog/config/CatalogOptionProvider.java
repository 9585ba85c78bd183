/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.config;

import java.util.List;

/** Registers {@link CatalogOptions}. */
public final class CatalogOptionProvider
        implements ConfigOptionProvider
{
    @Override
    public List<ConfigOption<?>> options()
    {
        return CatalogOptions.all();
    }
}
