/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.s3;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach S3 or an S3-compatible store (MinIO, S3Proxy). The same settings serve AWS and
 * MinIO: for AWS leave the endpoint empty and path-style off; for MinIO set the endpoint and
 * path-style on.
 *
 * @param endpoint override of the service endpoint, e.g. {@code http://127.0.0.1:9000}; empty for AWS
 * @param region the signing region
 * @param pathStyleAccess address buckets as {@code endpoint/bucket/key} rather than {@code bucket.endpoint/key}
 * @param credentials where credentials come from
 * @param accessKey for {@link S3Credentials#STATIC}
 * @param secretKey for {@link S3Credentials#STATIC}
 */
public record S3Settings(
        Optional<URI> endpoint,
        String region,
        boolean pathStyleAccess,
        S3Credentials credentials,
        Optional<String> accessKey,
        Optional<String> secretKey)
{
    public S3Settings
    {
        Objects.requireNonNull(endpoint, "endpoint is null");
        Objects.requireNonNull(region, "region is null");
        Objects.requireNonNull(credentials, "credentials is null");
        Objects.requireNonNull(accessKey, "accessKey is null");
        Objects.requireNonNull(secretKey, "secretKey is null");
        if (credentials == S3Credentials.STATIC && (accessKey.isEmpty() || secretKey.isEmpty())) {
            throw new IllegalArgumentException("static S3 credentials need both s3.access-key and s3.secret-key");
        }
    }

    /** Settings for an S3-compatible endpoint with static keys, as MinIO and S3Proxy use. */
    public static S3Settings forEndpoint(URI endpoint, String accessKey, String secretKey)
    {
        return new S3Settings(Optional.of(endpoint), "us-east-1", true, S3Credentials.STATIC, Optional.of(accessKey), Optional.of(secretKey));
    }

    public AwsCredentialsProvider credentialsProvider()
    {
        return switch (credentials) {
            case STATIC -> StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey.orElseThrow(), secretKey.orElseThrow()));
            case ENVIRONMENT -> EnvironmentVariableCredentialsProvider.create();
            case DEFAULT -> DefaultCredentialsProvider.builder().build();
        };
    }

    /** A new client; the caller closes it. */
    public S3Client newClient()
    {
        var builder = S3Client.builder()
                .region(Region.of(region))
                .credentialsProvider(credentialsProvider())
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(pathStyleAccess).build())
                .httpClientBuilder(ApacheHttpClient.builder()
                        .maxConnections(64)
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(60)));
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /**
     * The same settings as Iceberg {@code S3FileIO} catalog properties. Credentials are passed only
     * when static; otherwise Iceberg's client uses the SDK's default chain, which covers the
     * environment.
     */
    public Map<String, String> icebergProperties()
    {
        Map<String, String> p = new LinkedHashMap<>();
        endpoint.ifPresent(e -> p.put("s3.endpoint", e.toString()));
        p.put("s3.path-style-access", Boolean.toString(pathStyleAccess));
        p.put("client.region", region);
        if (credentials == S3Credentials.STATIC) {
            p.put("s3.access-key-id", accessKey.orElseThrow());
            p.put("s3.secret-access-key", secretKey.orElseThrow());
        }
        return p;
    }

    /** Never prints the secret. */
    @Override
    public String toString()
    {
        return "S3Settings{endpoint=" + endpoint.map(URI::toString).orElse("aws") + ", region=" + region + ", pathStyle=" + pathStyleAccess
                + ", credentials=" + credentials.name().toLowerCase(java.util.Locale.ROOT) + accessKey.map(k -> ", accessKey=" + k).orElse("") + "}";
    }
}
