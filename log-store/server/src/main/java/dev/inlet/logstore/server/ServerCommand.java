/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.server;

import dev.inlet.catalog.cli.ConfigMixin;
import dev.inlet.catalog.cli.ExitCodes;
import dev.inlet.catalog.cli.ShutdownSignal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.concurrent.Callable;

/** {@code inlet server}: runs the hot store until Ctrl-C or SIGTERM. */
@Command(name = "server",
        description = "Run the hot store: appends and reads over Arrow Flight on server.host:server.port, lookups on server.lookup.port, metrics on server.metrics.port. Ctrl-C or SIGTERM stops it cleanly.",
        mixinStandardHelpOptions = true)
public final class ServerCommand
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
        ShutdownSignal signal = ShutdownSignal.install();
        try (LogStoreServer server = LogStoreServer.start(config.config())) {
            var out = spec.commandLine().getOut();
            out.println("Hot store serving grpc://" + server.location().getUri().getHost() + ":" + server.port()
                    + (server.metricsPort() > 0 ? ", metrics on port " + server.metricsPort() : "") + "; press Ctrl-C to stop.");
            out.flush();
            String by = signal.await();
            out.println("Stopping (" + by + "): finishing in-flight appends ...");
            out.flush();
        }
        spec.commandLine().getOut().println("Hot store stopped.");
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
