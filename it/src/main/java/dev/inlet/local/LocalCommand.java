/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.local;

import dev.inlet.catalog.CatalogSettings;
import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.cli.ConfigMixin;
import dev.inlet.catalog.cli.Causes;
import dev.inlet.catalog.cli.ExitCodes;
import dev.inlet.catalog.cli.ShutdownSignal;
import dev.inlet.catalog.config.CatalogOptions;
import dev.inlet.catalog.config.InletConfig;
import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.s3.EmbeddedS3Server;
import dev.inlet.catalog.s3.S3Settings;
import dev.inlet.logstore.client.ClientConfig;
import dev.inlet.logstore.client.InletClient;
import dev.inlet.logstore.server.LogStoreServer;
import dev.inlet.tiering.RoundHooks;
import dev.inlet.tiering.TieringMetrics;
import dev.inlet.tiering.TieringOptions;
import dev.inlet.tiering.TieringService;
import dev.inlet.trinoserver.TrinoServerProcess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.PrintWriter;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code inlet local}: Inlet on one machine with embedded defaults. It starts an S3-compatible
 * store on the local filesystem (or uses {@code --s3-endpoint}), opens the SQLite catalog, starts
 * the hot store and the tiering service in this process and a Trino 483 server as a child process,
 * creates and feeds a demo, prints where everything is and how to query it, and reports a status
 * line until Ctrl-C. Data lives under {@code data-dir} and survives a restart.
 */
@Command(name = "local",
        description = "Run Inlet on this machine with embedded defaults: a local S3-compatible store, the SQLite catalog, the hot store, the tiering service, "
                + "a Trino 483 server with the Inlet catalog, and a live demo. Ctrl-C stops it.",
        mixinStandardHelpOptions = true)
public final class LocalCommand
        implements Callable<Integer>
{
    public static final int DEFAULT_S3_PORT = 9000;
    public static final int DEFAULT_TRINO_PORT = 8080;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigMixin configMixin;

    @Option(names = "--s3-endpoint", paramLabel = "URL", description = "Use this S3 or MinIO (with s3.access-key/s3.secret-key from the configuration) instead of the embedded store.")
    URI s3Endpoint;

    @Option(names = "--s3-port", paramLabel = "PORT", description = "Port of the embedded S3 store on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int s3Port = DEFAULT_S3_PORT;

    @Option(names = "--no-demo", description = "Do not create and feed the demo tables.")
    boolean noDemo;

    @Option(names = "--no-trino", description = "Do not start the Trino server.")
    boolean noTrino;

    @Option(names = "--trino-port", paramLabel = "PORT", description = "HTTP port of the Trino server on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int trinoPort = DEFAULT_TRINO_PORT;

    @Option(names = "--status-interval", paramLabel = "DURATION", description = "How often the status line is printed, e.g. 10s or 1m (default: ${DEFAULT-VALUE}; 0s: never).")
    String statusInterval = "10s";

    private Duration statusEvery;

    @Option(names = "--exit", description = "Set up, print the summary and exit instead of running until Ctrl-C (for scripts).")
    boolean exitAfterSetup;

    @Override
    public Integer call()
            throws Exception
    {
        PrintWriter out = spec.commandLine().getOut();
        statusEvery = dev.inlet.catalog.config.Durations.parse(statusInterval);
        InletConfig config = configMixin.config();
        Path dataDir = Path.of(config.get(CatalogOptions.DATA_DIR)).toAbsolutePath();
        EmbeddedS3Server embedded = null;
        S3Settings s3;
        if (s3Endpoint != null) {
            s3 = S3Settings.forEndpoint(s3Endpoint, config.get(CatalogOptions.S3_ACCESS_KEY), config.get(CatalogOptions.S3_SECRET_KEY));
        }
        else {
            String accessKey = config.getOptional(CatalogOptions.S3_ACCESS_KEY).orElse(EmbeddedS3Server.DEFAULT_ACCESS_KEY);
            String secretKey = config.getOptional(CatalogOptions.S3_SECRET_KEY).orElse(EmbeddedS3Server.DEFAULT_SECRET_KEY);
            try {
                embedded = EmbeddedS3Server.start(dataDir.resolve("s3"), s3Port, accessKey, secretKey);
            }
            catch (Exception e) {
                if (Causes.has(e, BindException.class)) {
                    throw new InletException(InletErrorCode.INVALID_CONFIGURATION, "Port " + s3Port + " on 127.0.0.1 is in use; stop what uses it, or pass --s3-port 0 (any free port)", e);
                }
                throw e;
            }
            s3 = embedded.settings();
        }
        CatalogSettings settings = CatalogSettings.fromConfig(config).withS3(s3);
        // the hot store reads the same configuration, with the S3 the local deployment uses
        java.util.Map<String, String> serverSettings = new java.util.HashMap<>(java.util.Map.of(
                CatalogOptions.S3_ENDPOINT.key(), s3.endpoint().map(URI::toString).orElse(""),
                CatalogOptions.S3_ACCESS_KEY.key(), s3.accessKey().orElse(""),
                CatalogOptions.S3_SECRET_KEY.key(), s3.secretKey().orElse("")));
        // key-value snapshots go to S3 too, beside the lake, unless configured otherwise
        URI paimon = URI.create(settings.paimonWarehouse());
        if (config.getOptional(dev.inlet.logstore.server.ServerOptions.KV_SNAPSHOT_REMOTE_DIR).isEmpty() && "s3".equals(paimon.getScheme())) {
            serverSettings.put(dev.inlet.logstore.server.ServerOptions.KV_SNAPSHOT_REMOTE_DIR.key(), "s3://" + paimon.getHost() + "/_inlet/kv-snapshots");
        }
        InletConfig serverConfig = config.with(serverSettings);
        ShutdownSignal signal = ShutdownSignal.install();
        EmbeddedS3Server s3Server = embedded;
        try (InletCatalog catalog = new InletCatalog(settings); LogStoreServer hot = LogStoreServer.start(serverConfig)) {
            createBuckets(s3, settings);
            URI hotEndpoint = URI.create("grpc://127.0.0.1:" + hot.port());
            // the tiering service of this machine, in this process, on the same catalog
            try (InletClient tieringClient = InletClient.connect(ClientConfig.of(hotEndpoint));
                    TieringMetrics tieringMetrics = new TieringMetrics();
                    TieringService tiering = new TieringService(catalog, tieringClient, serverConfig, tieringMetrics, RoundHooks.NONE).start()) {
                int tieringPort = serverConfig.get(TieringOptions.METRICS_PORT);
                String tieringMetricsAt = tieringPort == 0 ? ""
                        : " (metrics http://127.0.0.1:" + tieringMetrics.serve("127.0.0.1", tieringPort) + "/metrics)";
                runUntilStopped(out, dataDir, s3, s3Server, settings, catalog, hot, hotEndpoint, tieringMetricsAt, signal);
            }
        }
        finally {
            if (s3Server != null) {
                s3Server.close();
            }
        }
        if (!exitAfterSetup) {
            out.println("Inlet local stopped.");
            out.flush();
        }
        return ExitCodes.OK;
    }

    /** Prints where everything is, makes the demo, starts Trino, and reports until Ctrl-C (unless --exit). */
    private void runUntilStopped(PrintWriter out, Path dataDir, S3Settings s3, EmbeddedS3Server s3Server, CatalogSettings settings, InletCatalog catalog, LogStoreServer hot,
            URI hotEndpoint, String tieringMetricsAt, ShutdownSignal signal)
            throws Exception
    {
        out.println("Inlet local is up.");
        out.println("  data folder:      " + dataDir);
        out.println("  S3 endpoint:      " + s3.endpoint().map(URI::toString).orElse("AWS") + (s3Server != null ? " (embedded, files under " + dataDir.resolve("s3") + ")" : ""));
        out.println("  S3 credentials:   access key " + s3.accessKey().orElse("?") + ", secret key " + s3.secretKey().orElse("?"));
        out.println("  catalog database: " + settings.database());
        out.println("  Paimon warehouse: " + settings.paimonWarehouse());
        out.println("  Iceberg warehouse:" + " " + settings.icebergWarehouse());
        out.println("  hot store:        " + hotEndpoint + (hot.lookupPort() > 0 ? " (lookups on port " + hot.lookupPort() + ")" : "")
                + (hot.metricsPort() > 0 ? " (metrics http://127.0.0.1:" + hot.metricsPort() + "/metrics)" : ""));
        out.println("  tiering service:  running in this process" + tieringMetricsAt + "; inlet tiering status shows the lag");
        out.flush();
        try (InletClient client = InletClient.connect(ClientConfig.of(hotEndpoint))) {
            LocalDemo.Feed feed = null;
            if (!noDemo) {
                new LocalDemo(catalog, out).createTables();
                long history = LocalDemo.writeHistory(client);
                out.println(history > 0 ? "  wrote the history: orders 1-" + LocalDemo.HISTORY_ORDERS + " with their payments and deliveries (" + history + " rows)"
                        : "  the history is there from an earlier run");
                feed = new LocalDemo.Feed(client, 5);
            }
            out.flush();
            TrinoServerProcess trino = null;
            try {
                if (!noTrino) {
                    trino = startTrino(out, dataDir, settings, s3, hotEndpoint);
                }
                printHowToQuery(out, trino);
                if (exitAfterSetup) {
                    return;
                }
                out.println("Running; press Ctrl-C to stop.");
                out.flush();
                report(out, catalog, client, feed, trino, signal);
            }
            finally {
                if (trino != null) {
                    trino.close();
                }
            }
        }
    }

    private TrinoServerProcess startTrino(PrintWriter out, Path dataDir, CatalogSettings settings, S3Settings s3, URI hotEndpoint)
            throws Exception
    {
        Path home = Path.of(System.getProperty("inlet.home", "."));
        LocalTrino.Parts parts;
        try {
            parts = LocalTrino.parts(home);
        }
        catch (IllegalStateException e) {
            throw new InletException(InletErrorCode.INVALID_CONFIGURATION, "Cannot start Trino: " + e.getMessage() + " (or pass --no-trino)", e);
        }
        // a Trino an earlier, killed inlet local left running holds the port
        TrinoServerProcess.stopLeftOver(dataDir.resolve("trino"));
        if (trinoPort != 0 && !portFree(trinoPort)) {
            throw new InletException(InletErrorCode.INVALID_CONFIGURATION, "Port " + trinoPort + " on 127.0.0.1 is in use; stop what uses it, or pass --trino-port 0 (any free port)");
        }
        out.println();
        out.println("Starting Trino 483 (about half a minute) ...");
        out.flush();
        TrinoServerProcess trino = LocalTrino.start(parts, dataDir, trinoPort, LocalTrino.catalogProperties(parts, settings, s3, hotEndpoint));
        out.println("  Trino:            http://127.0.0.1:" + trino.port() + " (catalog inlet; log " + trino.home().resolve("var/log/server.log") + ")");
        out.println("  JDBC URL:         " + trino.jdbcUrl("inlet", LocalDemo.DATABASE) + " (any user name, no password)");
        return trino;
    }

    private void printHowToQuery(PrintWriter out, TrinoServerProcess trino)
    {
        out.println();
        if (trino != null && !noDemo) {
            String server = trino.port() == DEFAULT_TRINO_PORT ? "" : " --server http://127.0.0.1:" + trino.port();
            out.println("Query the demo through Trino (lake snapshot + hot tail as one table):");
            for (String query : LocalDemo.EXAMPLE_QUERIES) {
                out.println("  inlet sql" + server + " \"" + query + "\"");
            }
        }
        else if (trino != null) {
            out.println("Query through Trino:  inlet sql" + (trino.port() == DEFAULT_TRINO_PORT ? "" : " --server http://127.0.0.1:" + trino.port()) + " \"SHOW SCHEMAS FROM inlet\"");
        }
        out.println("Try:  inlet table list   |   inlet tiering status   |   inlet scan demo.order_status --limit 5 --explain");
        out.flush();
    }

    /** Feeds the demo and prints the status line until a signal arrives. */
    private void report(PrintWriter out, InletCatalog catalog, InletClient client, LocalDemo.Feed feed, TrinoServerProcess trino, ShutdownSignal signal)
            throws InterruptedException
    {
        LocalStatus status = new LocalStatus(catalog, client, List.of(LocalDemo.ORDERS, LocalDemo.ORDER_STATUS, LocalDemo.USERS));
        Duration tick = Duration.ofSeconds(1);
        long ticks = 0;
        long ticksPerLine = statusEvery.isZero() ? 0 : Math.max(1, statusEvery.toMillis() / tick.toMillis());
        Optional<String> by = Optional.empty();
        while (by.isEmpty()) {
            if (feed != null) {
                feed.tick();
            }
            ticks++;
            if (ticksPerLine > 0 && feed != null && ticks % ticksPerLine == 0) {
                out.println(status.line(feed.rows()));
                out.flush();
            }
            if (trino != null && !trino.isAlive()) {
                throw new InletException(InletErrorCode.SERVER_UNAVAILABLE, "The Trino server stopped; see " + trino.home().resolve("var/log/server.log"));
            }
            by = signal.await(tick);
        }
        out.println("Stopping (" + by.get() + ") ...");
        out.flush();
    }

    private static boolean portFree(int port)
    {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        }
        catch (java.io.IOException e) {
            return false;
        }
    }

    private static void createBuckets(S3Settings s3, CatalogSettings settings)
    {
        Set<String> buckets = new LinkedHashSet<>();
        for (String warehouse : List.of(settings.paimonWarehouse(), settings.icebergWarehouse())) {
            // an hdfs:// warehouse has no bucket: its folders appear with its first table
            if (!warehouse.regionMatches(true, 0, "hdfs:", 0, 5)) {
                buckets.add(bucketOf(warehouse));
            }
        }
        try (S3Client client = s3.newClient()) {
            for (String bucket : buckets) {
                try {
                    client.headBucket(b -> b.bucket(bucket));
                }
                catch (software.amazon.awssdk.services.s3.model.NoSuchBucketException e) {
                    client.createBucket(b -> b.bucket(bucket));
                }
                catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
                    if (e.statusCode() != 404) {
                        throw new InletException(InletErrorCode.LAKE_FAILURE, "Cannot check S3 bucket " + bucket + " at " + s3 + ": " + e.getMessage(), e);
                    }
                    client.createBucket(b -> b.bucket(bucket));
                }
            }
        }
    }

    static String bucketOf(String warehouse)
    {
        URI uri = URI.create(warehouse);
        if (uri.getHost() == null) {
            throw new InletException(InletErrorCode.INVALID_CONFIGURATION, "Warehouse '" + warehouse + "' must look like s3://bucket/path");
        }
        return uri.getHost();
    }
}
