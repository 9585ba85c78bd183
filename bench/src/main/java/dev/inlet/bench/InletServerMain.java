/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.bench;

import dev.inlet.catalog.config.InletConfig;
import dev.inlet.logstore.server.LogStoreServer;

import java.nio.file.Path;

/**
 * Runs Inlet's hot-store server in a JVM of its own for the benchmark, as {@link KafkaBrokerMain}
 * does for Kafka: the server's heap and garbage collection are then not the harness's. It stops
 * when its standard input closes (the harness ended) or on SIGTERM.
 *
 * <p>Usage: {@code InletServerMain <inlet.properties>}
 */
public final class InletServerMain
{
    private InletServerMain() {}

    public static void main(String[] args)
            throws Exception
    {
        try (LogStoreServer server = LogStoreServer.start(InletConfig.load(Path.of(args[0])))) {
            System.out.println("READY " + server.port());
            System.out.flush();
            // blocks until the harness closes our stdin (or dies)
            while (System.in.read() >= 0) {
                // ignore input
            }
        }
    }
}
