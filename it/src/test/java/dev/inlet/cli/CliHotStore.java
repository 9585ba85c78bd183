/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.cli;

import dev.inlet.catalog.config.InletConfig;
import dev.inlet.logstore.server.LogStoreServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the CLI tests run commands against: a hot store in the test JVM (catalog under
 * {@code dir/data}) and the configuration file that points the {@code inlet} commands at it.
 */
final class CliHotStore
        implements AutoCloseable
{
    private final Path config;
    private final LogStoreServer server;

    CliHotStore(Path dir)
            throws IOException
    {
        this.config = dir.resolve("inlet.properties");
        Files.writeString(config, String.join("\n", "data-dir=" + dir.resolve("data"), "server.port=0", "server.metrics.port=0", "server.lookup.port=-1"));
        this.server = LogStoreServer.start(InletConfig.load(config));
        Files.writeString(config, Files.readString(config).replace("server.port=0", "server.port=" + server.port()) + "\nserver.endpoint=grpc://127.0.0.1:" + server.port());
    }

    /** The configuration file, for {@code --config}. */
    Path config()
    {
        return config;
    }

    @Override
    public void close()
    {
        server.close();
    }
}
