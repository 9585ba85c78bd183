/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.server;

import dev.inlet.catalog.CatalogSettings;
import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.config.InletConfig;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TableInfo;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.logstore.client.ClientConfig;
import dev.inlet.logstore.client.InletClient;
import dev.inlet.catalog.testing.S3TestEndpoint;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A hot-store server in the test JVM over an SQLite catalog in a temporary folder, with a catalog
 * handle for creating tables and a way to restart the server on the same data.
 */
final class TestingHotStore
        implements AutoCloseable
{
    private final Path dir;
    private final Map<String, String> settings;
    private final InletCatalog catalog;
    private LogStoreServer server;

    TestingHotStore(Path dir, Map<String, String> extra)
            throws IOException
    {
        this.dir = dir;
        this.settings = new LinkedHashMap<>();
        settings.put("data-dir", dir.toString());
        settings.put("server.port", "0");
        settings.put("server.metrics.port", "0");
        settings.put("server.lookup.port", "-1");
        // a real S3 for tables with a lake format
        settings.putAll(S3TestEndpoint.get().lakeSettings("hot"));
        settings.putAll(extra);
        this.catalog = new InletCatalog(CatalogSettings.fromConfig(config()));
        try {
            this.server = LogStoreServer.start(config());
        }
        catch (IOException | RuntimeException e) {
            catalog.close(); // a test of a refused configuration leaves nothing open
            throw e;
        }
    }

    TestingHotStore(Path dir)
            throws IOException
    {
        this(dir, Map.of());
    }

    InletConfig config()
    {
        return InletConfig.of(settings);
    }

    TableInfo createTable(String name, TableDescriptor descriptor)
    {
        TablePath path = TablePath.parse(name);
        catalog.createDatabase(path.database(), true);
        return catalog.createTable(path, descriptor, false);
    }

    InletCatalog catalog()
    {
        return catalog;
    }

    LogStoreServer server()
    {
        return server;
    }

    URI endpoint()
    {
        return URI.create("grpc://127.0.0.1:" + server.port());
    }

    InletClient client()
    {
        return InletClient.connect(ClientConfig.of(endpoint()));
    }

    /** Stops the server cleanly and starts a new one on the same data (on a new port). */
    void restart()
            throws IOException
    {
        server.close();
        server = LogStoreServer.start(config());
    }

    /** Stops the server cleanly, runs {@code whileStopped} (e.g. to remove state), and starts a new one. */
    void restart(ThrowingRunnable whileStopped)
            throws Exception
    {
        server.close();
        whileStopped.run();
        server = LogStoreServer.start(config());
    }

    interface ThrowingRunnable
    {
        void run()
                throws Exception;
    }

    Path dir()
    {
        return dir;
    }

    @Override
    public void close()
    {
        server.close();
        catalog.close();
    }
}
