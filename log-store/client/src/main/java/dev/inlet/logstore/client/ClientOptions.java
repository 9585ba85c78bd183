/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.client;

import dev.inlet.catalog.config.ConfigOption;
import dev.inlet.catalog.config.ConfigOptionProvider;
import dev.inlet.catalog.config.InletConfig;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/** The configuration keys every client of the hot store reads (the CLI, tiering, Trino), and the server too. */
public final class ClientOptions
        implements ConfigOptionProvider
{
    public static final ConfigOption<String> ENDPOINT = ConfigOption.string("server.endpoint", "grpc://127.0.0.1:9123",
            "How clients (the CLI, tiering, Trino) reach the hot store: grpc://host:port, or grpc+tls://host:port with TLS.");
    public static final ConfigOption<String> AUTH_TOKEN = ConfigOption.string("server.auth.token", null,
            "Bearer token every request must carry (Authorization: Bearer <token>); empty turns authentication off. The server checks it and clients send it. Write ${env:NAME} to keep it out of the file.");

    public static final ConfigOption<String> TLS_TRUSTED_CERTS = ConfigOption.string("server.tls.trusted-certs", null,
            "PEM file of the certificates clients trust for grpc+tls:// (the Flight endpoint and the lookup port) instead of the JDK's default trust store, e.g. the server's self-signed certificate.");

    @Override
    public List<ConfigOption<?>> options()
    {
        return List.of(ENDPOINT, AUTH_TOKEN, TLS_TRUSTED_CERTS);
    }

    /** The client configuration these keys describe. */
    public static ClientConfig clientConfig(InletConfig config)
    {
        return new ClientConfig(URI.create(config.get(ENDPOINT)), config.getOptional(AUTH_TOKEN), Duration.ofSeconds(60),
                config.getOptional(TLS_TRUSTED_CERTS).map(java.nio.file.Path::of));
    }
}
