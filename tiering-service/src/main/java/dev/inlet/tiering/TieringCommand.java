/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering;

import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.cli.ConfigMixin;
import dev.inlet.catalog.cli.ExitCodes;
import dev.inlet.catalog.cli.ShutdownSignal;
import dev.inlet.catalog.config.InletConfig;
import dev.inlet.logstore.client.ClientOptions;
import dev.inlet.logstore.client.InletClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code inlet tiering}: runs the tiering service until Ctrl-C or SIGTERM. */
@Command(name = "tiering",
        description = "Run the tiering service: every lake table's new hot rows are written to its Paimon or Iceberg table every `freshness`, exactly once. "
                + "Reaches the hot store at server.endpoint; metrics on tiering.metrics.port. Ctrl-C or SIGTERM stops it cleanly.",
        mixinStandardHelpOptions = true,
        subcommands = TieringStatusCommand.class)
public final class TieringCommand
        implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigMixin config;

    @Override
    public Integer call()
            throws Exception
    {
        InletConfig settings = config.config();
        PrintWriter out = spec.commandLine().getOut();
        ShutdownSignal signal = ShutdownSignal.install();
        try (InletCatalog catalog = config.openCatalog();
                InletClient client = InletClient.connect(ClientOptions.clientConfig(settings));
                TieringMetrics metrics = new TieringMetrics()) {
            int port = settings.get(TieringOptions.METRICS_PORT);
            String metricsAt = port == 0 ? "off" : "http://" + settings.get(TieringOptions.METRICS_HOST) + ":" + metrics.serve(settings.get(TieringOptions.METRICS_HOST), port) + "/metrics";
            try (TieringService service = new TieringService(catalog, client, settings, metrics, RoundHooks.NONE).start()) {
                out.println("Tiering service running against " + settings.get(ClientOptions.ENDPOINT) + " (metrics " + metricsAt + "); press Ctrl-C to stop.");
                out.flush();
                String by = signal.await();
                out.println("Stopping (" + by + "): letting running rounds finish ...");
                out.flush();
            }
        }
        out.println("Tiering service stopped.");
        out.flush();
        return ExitCodes.OK;
    }
}
