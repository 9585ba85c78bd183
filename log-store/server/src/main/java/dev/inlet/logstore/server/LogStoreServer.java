/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.server;

import dev.inlet.catalog.CatalogSettings;
import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.config.CatalogOptions;
import dev.inlet.catalog.config.InletConfig;
import dev.inlet.logstore.client.ClientOptions;
import dev.inlet.logstore.kv.KvStoreOptions;
import dev.inlet.logstore.protocol.PemTls;
import org.apache.arrow.flight.FlightServer;
import org.apache.arrow.flight.Location;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The hot-store server: the Arrow Flight endpoint over the tables' bucket logs, group commit,
 * retention and metrics. {@link #close()} stops accepting calls, lets in-flight appends finish
 * and be fsynced, and closes every log (which marks a clean shutdown).
 */
public final class LogStoreServer
        implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(LogStoreServer.class);

    private final BufferAllocator allocator;
    private final InletCatalog catalog;
    private final StorageRuntime storage;
    private final HotStore store;
    private final ServerMetrics metrics;
    private final FlightServer flight;
    private final InletFlightProducer producer;
    private final Location location;
    private final int metricsPort;
    private final RetentionService retention;
    private final LookupPort lookupPort;

    private LogStoreServer(BufferAllocator allocator, InletCatalog catalog, StorageRuntime storage, HotStore store, ServerMetrics metrics, FlightServer flight,
            Location location, int metricsPort, RetentionService retention, InletFlightProducer producer, LookupPort lookupPort)
    {
        this.lookupPort = lookupPort;
        this.allocator = allocator;
        this.catalog = catalog;
        this.storage = storage;
        this.store = store;
        this.metrics = metrics;
        this.flight = flight;
        this.location = location;
        this.metricsPort = metricsPort;
        this.retention = retention;
        this.producer = producer;
    }

    private static final java.time.Duration SHUTDOWN_GRACE = java.time.Duration.ofSeconds(10);

    /** Starts a server from the configuration (catalog, data folder, server and log keys). */
    public static LogStoreServer start(InletConfig config)
            throws IOException
    {
        requireNonNull(config, "config is null");
        long blockCache = config.get(ServerOptions.KV_BLOCK_CACHE_BYTES);
        if (blockCache < 0) {
            throw new dev.inlet.catalog.error.InletException(dev.inlet.catalog.error.InletErrorCode.INVALID_CONFIGURATION,
                    ServerOptions.KV_BLOCK_CACHE_BYTES.key() + " must not be negative, got " + blockCache);
        }
        java.time.Duration idleTimeout = config.get(ServerOptions.LOOKUP_IDLE_TIMEOUT);
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new dev.inlet.catalog.error.InletException(dev.inlet.catalog.error.InletErrorCode.INVALID_CONFIGURATION,
                    ServerOptions.LOOKUP_IDLE_TIMEOUT.key() + " must be positive, got " + idleTimeout.toMillis() + " ms");
        }
        // checked before anything is opened, so that a refused configuration leaves nothing behind
        if (config.getOptional(ServerOptions.TLS_CERT_FILE).isPresent() != config.getOptional(ServerOptions.TLS_KEY_FILE).isPresent()) {
            throw new dev.inlet.catalog.error.InletException(dev.inlet.catalog.error.InletErrorCode.INVALID_CONFIGURATION,
                    "TLS needs both server.tls.cert-file and server.tls.key-file");
        }
        Optional<String> cert = config.getOptional(ServerOptions.TLS_CERT_FILE);
        Optional<String> key = config.getOptional(ServerOptions.TLS_KEY_FILE);
        Optional<SSLContext> tls = cert.isPresent() ? Optional.of(tlsContext(cert.get(), key.get())) : Optional.empty();
        CatalogSettings settings = CatalogSettings.fromConfig(config);
        Path dataDir = Path.of(config.get(CatalogOptions.DATA_DIR)).toAbsolutePath().resolve("hot");
        BufferAllocator allocator = new RootAllocator();
        InletCatalog catalog = new InletCatalog(settings);
        ServerMetrics metrics = new ServerMetrics();
        StorageRuntime storage = StorageRuntime.fromConfig(config, metrics);
        HotStore store = new HotStore(catalog, dataDir, storage::openBucket, allocator, config.get(ServerOptions.KV_ID_RANGE), new KvStoreOptions(blockCache));
        String host = config.get(ServerOptions.HOST);
        int port = config.get(ServerOptions.PORT);
        Location bind = cert.isPresent() ? Location.forGrpcTls(host, port) : Location.forGrpcInsecure(host, port);
        // open before the Flight endpoint, so that no client is ever told there is none; with TLS
        // on, it speaks TLS with the Flight endpoint's certificate
        int lookupPortNumber = config.get(ServerOptions.LOOKUP_PORT);
        LookupPort lookupPort = null;
        if (lookupPortNumber != 0) {
            try {
                lookupPort = LookupPort.start(store, allocator, metrics, host, Math.max(lookupPortNumber, 0), tls, config.getOptional(ClientOptions.AUTH_TOKEN),
                        config.get(ServerOptions.LOOKUP_MAX_CONNECTIONS), idleTimeout, config.get(ServerOptions.MAX_BATCH_BYTES));
            }
            catch (IOException e) {
                store.close();
                storage.close();
                catalog.close();
                allocator.close();
                throw e;
            }
        }
        InletFlightProducer producer = new InletFlightProducer(store, allocator, metrics, Location.reuseConnection(), config.get(ServerOptions.MAX_BATCH_BYTES),
                lookupPort == null ? 0 : lookupPort.port(), tls.isPresent());
        FlightServer.Builder builder = FlightServer.builder(allocator, bind, producer);
        if (cert.isPresent()) {
            builder.useTls(new File(cert.get()), new File(key.get()));
        }
        config.getOptional(ClientOptions.AUTH_TOKEN).ifPresent(token -> builder.headerAuthenticator(new BearerTokenAuthenticator(token)));
        FlightServer flight = builder.build();
        try {
            flight.start();
        }
        catch (IOException e) {
            if (lookupPort != null) {
                lookupPort.close();
            }
            store.close();
            storage.close();
            catalog.close();
            allocator.close();
            throw new IOException("Cannot start the hot store on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        Location location = cert.isPresent() ? Location.forGrpcTls(host, flight.getPort()) : Location.forGrpcInsecure(host, flight.getPort());
        int metricsPort = config.get(ServerOptions.METRICS_PORT);
        if (metricsPort != 0) {
            metricsPort = metrics.serve(host, Math.max(metricsPort, 0));
        }
        RetentionService retention = new RetentionService(store, catalog, config.get(ServerOptions.RETENTION_CHECK_INTERVAL), config.get(ServerOptions.RETENTION_BYTES), metrics,
                config.get(ServerOptions.KV_SNAPSHOT_INTERVAL),
                config.getOptional(ServerOptions.KV_SNAPSHOT_REMOTE_DIR).map(dir -> new KvSnapshotUploader(settings.s3().newClient(), java.net.URI.create(dir))).orElse(null));
        LOG.info("Hot store serving {} (data {}, flush policy {}, auth {}, metrics {}, lookup port {})", location.getUri(), dataDir, storage.flushPolicyName(),
                config.getOptional(ClientOptions.AUTH_TOKEN).isPresent() ? "bearer token" : "off", metricsPort > 0 ? "http://" + host + ":" + metricsPort + "/metrics" : "off",
                lookupPort == null ? "off" : host + ":" + lookupPort.port() + (tls.isPresent() ? " (TLS)" : ""));
        return new LogStoreServer(allocator, catalog, storage, store, metrics, flight, location, metricsPort, retention, producer, lookupPort);
    }

    /** The lookup port's TLS context from the Flight endpoint's files, or a refusal naming the file and what is wrong with it. */
    private static SSLContext tlsContext(String cert, String key)
    {
        try {
            return PemTls.server(Path.of(cert), Path.of(key));
        }
        catch (IOException | GeneralSecurityException e) {
            throw new dev.inlet.catalog.error.InletException(dev.inlet.catalog.error.InletErrorCode.INVALID_CONFIGURATION,
                    "Cannot use server.tls.cert-file " + cert + " with server.tls.key-file " + key + ": " + e.getMessage(), e);
        }
    }

    public Location location()
    {
        return location;
    }

    public int port()
    {
        return flight.getPort();
    }

    public int metricsPort()
    {
        return metricsPort;
    }

    /** Open connections on the lookup port (0 if it is off). */
    int lookupConnections()
    {
        return lookupPort == null ? 0 : lookupPort.connections();
    }

    /**
     * Closes the lookup port while the server goes on reporting it: what a client behind a
     * firewall that passes only the Flight port sees. For tests.
     */
    void closeLookupPortForTest()
    {
        lookupPort.close();
    }

    /** The lookup port, or 0 if it is off. */
    public int lookupPort()
    {
        return lookupPort == null ? 0 : lookupPort.port();
    }

    /** Snapshots the key-value state of every open primary-key table's buckets once (the service also does it periodically). */
    public void snapshotKvState()
    {
        retention.snapshotOnce();
    }

    /** Runs retention over every open table once (the service also runs it periodically). */
    public void runRetention()
    {
        retention.runOnce();
    }

    @Override
    public void close()
    {
        LOG.info("Hot store stopping");
        retention.close();
        try {
            flight.shutdown();
            producer.stopLookupStreams();
            if (lookupPort != null) {
                lookupPort.close();
            }
            // in-flight calls finish; a client that keeps a stream open past the grace period is cut off
            if (!flight.awaitTermination(SHUTDOWN_GRACE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                LOG.warn("Calls still open after {}s; closing them", SHUTDOWN_GRACE.toSeconds());
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
        storage.close();
        metrics.close();
        catalog.close();
        try {
            flight.close();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        allocator.close();
        LOG.info("Hot store stopped");
    }
}
