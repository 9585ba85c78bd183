/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.s3;

import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;

import static java.util.Objects.requireNonNull;

/**
 * An S3-compatible server on the local filesystem (S3Proxy), bound to 127.0.0.1. It is the S3 of
 * {@code inlet local} and of the tests on machines without Docker. Objects live as files under
 * {@code dataDir/<bucket>/<key>}, so a restart on the same folder keeps them.
 *
 * <p>S3Proxy checks SigV4 signatures and honours conditional writes ({@code If-None-Match: *}),
 * which Inlet's Paimon commits rely on.
 */
public final class EmbeddedS3Server
        implements AutoCloseable
{
    public static final String DEFAULT_ACCESS_KEY = "inlet";
    public static final String DEFAULT_SECRET_KEY = "inlet-secret-key";

    private final S3Proxy proxy;
    private final URI endpoint;
    private final String accessKey;
    private final String secretKey;

    private EmbeddedS3Server(S3Proxy proxy, URI endpoint, String accessKey, String secretKey)
    {
        this.proxy = proxy;
        this.endpoint = endpoint;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    /**
     * Starts a server on {@code port} (0 picks a free one) storing objects under {@code dataDir}.
     */
    public static EmbeddedS3Server start(Path dataDir, int port, String accessKey, String secretKey)
            throws Exception
    {
        requireNonNull(dataDir, "dataDir is null");
        Files.createDirectories(dataDir);
        int boundPort = port == 0 ? freePort() : port;
        Properties properties = new Properties();
        // the key still carries the jclouds name S3Proxy used before 4.x
        properties.setProperty("jclouds.filesystem.basedir", dataDir.toAbsolutePath().toString());
        var blobStore = BlobStores.create("filesystem-nio2", properties);
        URI endpoint = URI.create("http://127.0.0.1:" + boundPort);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(blobStore)
                .endpoint(endpoint)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .ignoreUnknownHeaders(true)
                .build();
        proxy.start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!"STARTED".equals(proxy.getState())) {
            if (Instant.now().isAfter(deadline)) {
                proxy.stop();
                throw new IOException("S3Proxy did not start on " + endpoint + " within 30s (state " + proxy.getState() + ")");
            }
            Thread.onSpinWait();
            Thread.sleep(5); // polling a state flag with a deadline, not synchronising on time
        }
        return new EmbeddedS3Server(proxy, endpoint, accessKey, secretKey);
    }

    private static int freePort()
            throws IOException
    {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }

    public URI endpoint()
    {
        return endpoint;
    }

    public S3Settings settings()
    {
        return S3Settings.forEndpoint(endpoint, accessKey, secretKey);
    }

    @Override
    public void close()
    {
        try {
            proxy.stop();
        }
        catch (Exception e) {
            throw new IllegalStateException("Cannot stop the embedded S3 server at " + endpoint, e);
        }
    }
}
