/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.config;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Lists one module's configuration keys. Each module registers one in
 * {@code META-INF/services/dev.inlet.catalog.config.ConfigOptionProvider}, so that a configuration
 * file can be checked against every key of every module on the class path.
 */
public interface ConfigOptionProvider
{
    List<ConfigOption<?>> options();

    /** Every key declared by the modules on the class path. */
    static List<ConfigOption<?>> discover()
    {
        List<ConfigOption<?>> all = new ArrayList<>();
        ServiceLoader.load(ConfigOptionProvider.class, ConfigOptionProvider.class.getClassLoader()).forEach(p -> all.addAll(p.options()));
        return all;
    }
}
