/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering;

import dev.inlet.catalog.CatalogSettings;
import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.config.InletConfig;
import dev.inlet.catalog.lake.iceberg.IcebergLakeBridge;
import dev.inlet.catalog.lake.paimon.PaimonLakeBridge;
import dev.inlet.catalog.model.LakeFormat;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TableInfo;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.catalog.testing.LakeRows;
import dev.inlet.catalog.testing.S3TestEndpoint;
import dev.inlet.logstore.client.ClientConfig;
import dev.inlet.logstore.client.InletClient;
import dev.inlet.logstore.server.LogStoreServer;
import org.apache.paimon.table.Table;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a tiering test runs against, all real: the SQLite catalog, the test S3 endpoint (MinIO or
 * an embedded S3Proxy, see {@link S3TestEndpoint}) holding the lake tables, and a hot-store
 * server in this JVM. The union reader's tests use it too (this module's test jar).
 */
public final class TieringTestCluster
        implements AutoCloseable
{
    private final InletConfig config;
    private final InletCatalog catalog;
    private final LogStoreServer server;
    private final InletClient client;

    public TieringTestCluster(Path dir)
            throws IOException
    {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("data-dir", dir.toString());
        settings.put("server.port", "0");
        settings.put("server.metrics.port", "0");
        settings.put("server.lookup.port", "-1");
        // a real S3 for tables with a lake format
        settings.putAll(S3TestEndpoint.get().lakeSettings("tiering"));
        this.config = InletConfig.of(settings);
        this.catalog = new InletCatalog(CatalogSettings.fromConfig(config));
        this.server = LogStoreServer.start(config);
        this.client = InletClient.connect(ClientConfig.of(URI.create("grpc://127.0.0.1:" + server.port())));
    }

    public TableInfo createTable(String name, TableDescriptor descriptor)
    {
        TablePath path = TablePath.parse(name);
        catalog.createDatabase(path.database(), true);
        return catalog.createTable(path, descriptor, false);
    }

    public InletCatalog catalog()
    {
        return catalog;
    }

    /** The configuration the catalog and the hot store were started with. */
    public InletConfig config()
    {
        return config;
    }

    /** Where the hot store listens, as {@code server.endpoint} takes it. */
    public String endpoint()
    {
        return "grpc://127.0.0.1:" + server.port();
    }

    /**
     * The configuration a client of this cluster needs (the catalog, S3, the lake warehouses,
     * the hot store's endpoint), as a Trino catalog file or another process would take it.
     */
    public Map<String, String> clientSettings()
    {
        Map<String, String> settings = new LinkedHashMap<>(config.values());
        settings.remove("server.port");
        settings.remove("server.metrics.port");
        settings.remove("server.lookup.port");
        settings.put("server.endpoint", endpoint());
        return settings;
    }

    public InletClient client()
    {
        return client;
    }

    public Table paimonTable(String name)
    {
        return ((PaimonLakeBridge) catalog.bridge(LakeFormat.PAIMON)).loadTable(TablePath.parse(name));
    }

    /** A round as the service runs it, with {@code hooks}. */
    public TieringRound round(RoundHooks hooks)
    {
        return new TieringRound(catalog, client, new LakeWriters(catalog, "inlet-tiering")::open, hooks, Duration.ofSeconds(30));
    }

    public org.apache.iceberg.Table icebergTable(String name)
    {
        return ((IcebergLakeBridge) catalog.bridge(LakeFormat.ICEBERG)).loadTable(TablePath.parse(name));
    }

    /** Every row of the table's lake table, read by its own library (Paimon or Iceberg), as Java values in column order. */
    public List<List<Object>> readLake(String name)
            throws IOException
    {
        return LakeRows.read(catalog, TablePath.parse(name));
    }

    @Override
    public void close()
    {
        client.close();
        server.close();
        catalog.close();
    }
}
