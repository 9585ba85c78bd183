/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.local;

import dev.inlet.catalog.CatalogSettings;
import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.cli.ConfigMixin;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code inlet local}: Inlet on one machine with embedded defaults. It starts an S3-compatible
 * store on the local filesystem (or uses {@code --s3-endpoint}), opens the SQLite catalog, creates
 * the lake buckets and a demo, prints where everything is, and runs until Ctrl-C. Data lives under
 * {@code data-dir} and survives a restart.
 */
@Command(name = "local",
        description = "Run Inlet on this machine with embedded defaults: a local S3-compatible store, the SQLite catalog and a demo. Ctrl-C stops it.",
        mixinStandardHelpOptions = true)
public final class LocalCommand
        implements Callable<Integer>
{
    public static final int DEFAULT_S3_PORT = 9000;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigMixin configMixin;

    @Option(names = "--s3-endpoint", paramLabel = "URL", description = "Use this S3 or MinIO (with s3.access-key/s3.secret-key from the configuration) instead of the embedded store.")
    URI s3Endpoint;

    @Option(names = "--s3-port", paramLabel = "PORT", description = "Port of the embedded S3 store on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int s3Port = DEFAULT_S3_PORT;

    @Option(names = "--no-demo", description = "Do not create the demo tables.")
    boolean noDemo;

    @Option(names = "--exit", description = "Set up, print the summary and exit instead of running until Ctrl-C (for scripts).")
    boolean exitAfterSetup;

    @Override
    public Integer call()
            throws Exception
    {
        PrintWriter out = spec.commandLine().getOut();
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
                if (hasCause(e, BindException.class)) {
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

    /** Prints where everything is, makes the demo, and waits for Ctrl-C (unless --exit). */
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
        out.println("  hot store:        " + hotEndpoint + (hot.metricsPort() > 0 ? " (metrics http://127.0.0.1:" + hot.metricsPort() + "/metrics)" : ""));
        out.println("  tiering service:  running in this process" + tieringMetricsAt + "; inlet tiering status shows the lag");
        if (!noDemo) {
            LocalDemo demo = new LocalDemo(catalog, out);
            demo.createTables();
            demo.createClicks();
            long rows = LocalDemo.feedClicks(hotEndpoint, 100);
            out.println("  wrote 100 clicks to " + LocalDemo.CLICKS + " (" + rows + " rows in the hot store)");
        }
        out.println();
        out.println("Try:  inlet table list   |   inlet tail demo.clicks --from earliest --limit 5   |   inlet tiering status   |   inlet table describe demo.clicks");
        out.println("Query (lake snapshot + hot tail as one table):  inlet scan demo.clicks --limit 10 --explain");
        out.println("Not running yet: Trino (see README's status table).");
        out.flush();
        if (exitAfterSetup) {
            return;
        }
        out.println("Running; press Ctrl-C to stop.");
        out.flush();
        String by = signal.await();
        out.println("Stopping (" + by + ") ...");
        out.flush();
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

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type)
    {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
