/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.testing;

import dev.inlet.catalog.s3.EmbeddedS3Server;
import dev.inlet.catalog.s3.S3Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import software.amazon.awssdk.services.s3.S3Client;

/**
 * The real S3 endpoint every Inlet test uses, chosen once per test JVM:
 * <ol>
 *     <li>{@code -Dinlet.test.s3.endpoint=http://host:port} (with {@code inlet.test.s3.access-key} and
 *     {@code inlet.test.s3.secret-key}): an S3 or MinIO you run yourself;</li>
 *     <li>otherwise, when a Docker engine answers: MinIO in a Testcontainers container;</li>
 *     <li>otherwise: an embedded S3Proxy on a temporary folder ({@link EmbeddedS3Server}).</li>
 * </ol>
 * All three are real S3 protocol servers that check signatures; none is a mock. Tests isolate
 * themselves with {@link #newBucket(String)}.
 */
public final class S3TestEndpoint
{
    private static final Logger LOG = LoggerFactory.getLogger(S3TestEndpoint.class);
    private static final String MINIO_IMAGE = "minio/minio:RELEASE.2025-09-07T16-13-09Z";
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static volatile S3TestEndpoint instance;

    private final S3Settings settings;
    private final String kind;

    private S3TestEndpoint(S3Settings settings, String kind)
    {
        this.settings = settings;
        this.kind = kind;
    }

    /** The endpoint of this JVM, started on first use and stopped when the JVM exits. */
    public static S3TestEndpoint get()
    {
        S3TestEndpoint local = instance;
        if (local == null) {
            synchronized (S3TestEndpoint.class) {
                local = instance;
                if (local == null) {
                    local = start();
                    instance = local;
                }
            }
        }
        return local;
    }

    private static S3TestEndpoint start()
    {
        try {
            String external = System.getProperty("inlet.test.s3.endpoint");
            if (external != null && !external.isBlank()) {
                S3Settings s = S3Settings.forEndpoint(URI.create(external),
                        System.getProperty("inlet.test.s3.access-key", "minioadmin"),
                        System.getProperty("inlet.test.s3.secret-key", "minioadmin"));
                LOG.info("Tests use the external S3 endpoint {}", external);
                return new S3TestEndpoint(s, "external " + external);
            }
            if (dockerAvailable()) {
                @SuppressWarnings("resource") // stopped by Testcontainers' reaper when the JVM exits
                GenericContainer<?> minio = new GenericContainer<>(MINIO_IMAGE)
                        .withCommand("server", "/data")
                        .withEnv("MINIO_ROOT_USER", "minioadmin")
                        .withEnv("MINIO_ROOT_PASSWORD", "minioadmin")
                        .withExposedPorts(9000)
                        .waitingFor(Wait.forHttp("/minio/health/ready").forPort(9000));
                minio.start();
                URI endpoint = URI.create("http://" + minio.getHost() + ":" + minio.getMappedPort(9000));
                LOG.info("Tests use MinIO in Docker at {}", endpoint);
                return new S3TestEndpoint(S3Settings.forEndpoint(endpoint, "minioadmin", "minioadmin"), "minio " + endpoint);
            }
            Path dir = Files.createTempDirectory("inlet-s3-");
            EmbeddedS3Server server = EmbeddedS3Server.start(dir, 0, "inlet-test", "inlet-test-secret");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                }
                catch (Exception e) {
                    // the JVM is going away; nothing more to do
                }
            }));
            LOG.info("No Docker engine: tests use an embedded S3Proxy at {} on {}", server.endpoint(), dir);
            return new S3TestEndpoint(server.settings(), "s3proxy " + server.endpoint());
        }
        catch (Exception e) {
            throw new IllegalStateException("Could not start an S3 endpoint for the tests", e);
        }
    }

    private static boolean dockerAvailable()
    {
        if (Boolean.getBoolean("inlet.test.s3.no-docker")) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        }
        catch (Throwable e) {
            return false;
        }
    }

    public S3Settings settings()
    {
        return settings;
    }

    /** Which server this is, for logs: {@code s3proxy http://...}, {@code minio http://...}. */
    public String kind()
    {
        return kind;
    }

    /**
     * The {@code s3.*} and {@code lake.*} settings of an Inlet configuration whose lake tables go
     * to a new bucket of this endpoint (Paimon under {@code /paimon}, Iceberg under {@code /iceberg}).
     */
    public java.util.Map<String, String> lakeSettings(String bucketPrefix)
    {
        String bucket = newBucket(bucketPrefix);
        return java.util.Map.of(
                "s3.endpoint", settings.endpoint().orElseThrow().toString(),
                "s3.access-key", settings.accessKey().orElseThrow(),
                "s3.secret-key", settings.secretKey().orElseThrow(),
                "lake.paimon.warehouse", "s3://" + bucket + "/paimon",
                "lake.iceberg.warehouse", "s3://" + bucket + "/iceberg");
    }

    /** Creates an empty bucket with a unique name starting with {@code prefix}. */
    public String newBucket(String prefix)
    {
        String name = (prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-") + "-" + BUCKETS.incrementAndGet() + "-"
                + UUID.randomUUID().toString().substring(0, 8));
        if (name.length() > 63) {
            name = name.substring(name.length() - 63).replaceAll("^-+", "b");
        }
        try (S3Client client = settings.newClient()) {
            String bucket = name;
            client.createBucket(b -> b.bucket(bucket));
        }
        return name;
    }
}
