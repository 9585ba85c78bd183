/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.client;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a client reaches the hot store.
 *
 * @param endpoint {@code grpc://host:port} (or {@code grpc+tls://host:port})
 * @param token bearer token, when the server requires one
 * @param requestTimeout deadline of one request (an append ack, a fetch, an action)
 * @param trustedCertificates PEM certificates to trust for {@code grpc+tls://} instead of the
 *     JDK's default trust store (e.g. a self-signed server certificate)
 */
public record ClientConfig(URI endpoint, Optional<String> token, Duration requestTimeout, Optional<java.nio.file.Path> trustedCertificates)
{
    public static final int DEFAULT_PORT = 9123;

    public ClientConfig
    {
        Objects.requireNonNull(endpoint, "endpoint is null");
        Objects.requireNonNull(token, "token is null");
        Objects.requireNonNull(requestTimeout, "requestTimeout is null");
        Objects.requireNonNull(trustedCertificates, "trustedCertificates is null");
        String scheme = endpoint.getScheme();
        if (!"grpc".equals(scheme) && !"grpc+tcp".equals(scheme) && !"grpc+tls".equals(scheme)) {
            throw new IllegalArgumentException("hot-store endpoint '" + endpoint + "' must be grpc://host:port or grpc+tls://host:port");
        }
    }

    public ClientConfig(URI endpoint, Optional<String> token, Duration requestTimeout)
    {
        this(endpoint, token, requestTimeout, Optional.empty());
    }

    public static ClientConfig of(URI endpoint)
    {
        return new ClientConfig(endpoint, Optional.empty(), Duration.ofSeconds(60));
    }

    public ClientConfig withToken(String newToken)
    {
        return new ClientConfig(endpoint, Optional.ofNullable(newToken), requestTimeout, trustedCertificates);
    }

    public ClientConfig withTrustedCertificates(java.nio.file.Path pemFile)
    {
        return new ClientConfig(endpoint, token, requestTimeout, Optional.of(pemFile));
    }
}
