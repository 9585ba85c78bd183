/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.trino;

/**
 * Sets the thread's context class loader to the plugin's while the connector works: the lake
 * libraries (Iceberg's dynamic loading of its AWS client pieces, Hadoop's configuration, the
 * ServiceLoader lookups) load classes through it, and a Trino thread carries the engine's loader.
 *
 * <pre>{@code try (PluginContext ignored = PluginContext.enter()) { ... } }</pre>
 */
final class PluginContext
        implements AutoCloseable
{
    private static final ClassLoader PLUGIN = PluginContext.class.getClassLoader();

    private final Thread thread;
    private final ClassLoader previous;

    private PluginContext()
    {
        this.thread = Thread.currentThread();
        this.previous = thread.getContextClassLoader();
        thread.setContextClassLoader(PLUGIN);
    }

    static PluginContext enter()
    {
        return new PluginContext();
    }

    @Override
    public void close()
    {
        thread.setContextClassLoader(previous);
    }
}
