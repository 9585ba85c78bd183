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
import java.util.Locale;
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
    /** Paimon option: the endpoint override; {@code host:port} without a scheme means {@code https}. */
    public static final String PAIMON_ENDPOINT = "s3.endpoint";
    public static final String PAIMON_REGION = "s3.region";
    public static final String PAIMON_PATH_STYLE_ACCESS = "s3.path.style.access";
    /** The hyphenated spelling paimon-s3 also accepts for {@link #PAIMON_PATH_STYLE_ACCESS}. */
    public static final String PAIMON_PATH_STYLE_ACCESS_ALIAS = "s3.path-style-access";
    public static final String PAIMON_ACCESS_KEY = "s3.access-key";
    public static final String PAIMON_SECRET_KEY = "s3.secret-key";
    public static final String PAIMON_CREDENTIALS = "s3.credentials";

    private static final String DEFAULT_REGION = "us-east-1";

    public S3Settings
    {
        Objects.requireNonNull(endpoint, "endpoint is null");
        Objects.requireNonNull(region, "region is null");
        Objects.requireNonNull(credentials, "credentials is null");
        Objects.requireNonNull(accessKey, "accessKey is null");
        Objects.requireNonNull(secretKey, "secretKey is null");
        // missing static keys are reported when S3 is first used, not here: a deployment without
        // lake tables never needs S3
    }

    private void checkStaticKeys()
    {
        if (credentials == S3Credentials.STATIC && (accessKey.isEmpty() || secretKey.isEmpty())) {
            throw new dev.inlet.catalog.error.InletException(dev.inlet.catalog.error.InletErrorCode.INVALID_CONFIGURATION,
                    "S3 is needed (a table has a lake format), but static S3 credentials need both s3.access-key and s3.secret-key");
        }
    }

    /** Settings for an S3-compatible endpoint with static keys, as MinIO and S3Proxy use. */
    public static S3Settings forEndpoint(URI endpoint, String accessKey, String secretKey)
    {
        return new S3Settings(Optional.of(endpoint), DEFAULT_REGION, true, S3Credentials.STATIC, Optional.of(accessKey), Optional.of(secretKey));
    }

    /**
     * Reads the Paimon catalog options that paimon-s3 understands, so a Paimon catalog configured
     * for paimon-s3 works unchanged with Inlet's {@code S3FileIO}:
     * <ul>
     *     <li>{@code s3.endpoint}: optional; empty means AWS;</li>
     *     <li>{@code s3.region}: default {@code us-east-1};</li>
     *     <li>{@code s3.path.style.access} (or {@code s3.path-style-access}): default true when an
     *     endpoint is set, since S3-compatible stores rarely have wildcard DNS, else false;</li>
     *     <li>{@code s3.credentials}: {@code static}, {@code environment} or {@code default};
     *     default {@code static} when {@code s3.access-key} and {@code s3.secret-key} are given,
     *     else {@code default}.</li>
     * </ul>
     * Other keys are ignored.
     *
     * @throws IllegalArgumentException when a value cannot be parsed or only one of the two keys is given
     */
    public static S3Settings fromPaimonOptions(Map<String, String> options)
    {
        Objects.requireNonNull(options, "options is null");
        Optional<URI> endpoint = option(options, PAIMON_ENDPOINT).map(S3Settings::parseEndpoint);
        String region = option(options, PAIMON_REGION).orElse(DEFAULT_REGION);
        boolean pathStyle = option(options, PAIMON_PATH_STYLE_ACCESS)
                .or(() -> option(options, PAIMON_PATH_STYLE_ACCESS_ALIAS))
                .map(S3Settings::parseBoolean)
                .orElse(endpoint.isPresent());
        Optional<String> accessKey = option(options, PAIMON_ACCESS_KEY);
        Optional<String> secretKey = option(options, PAIMON_SECRET_KEY);
        S3Credentials credentials = option(options, PAIMON_CREDENTIALS)
                .map(S3Credentials::parse)
                .orElseGet(() -> {
                    if (accessKey.isPresent() != secretKey.isPresent()) {
                        throw new IllegalArgumentException("Set both " + PAIMON_ACCESS_KEY + " and " + PAIMON_SECRET_KEY + ", or neither");
                    }
                    return accessKey.isPresent() ? S3Credentials.STATIC : S3Credentials.DEFAULT;
                });
        return new S3Settings(endpoint, region, pathStyle, credentials, accessKey, secretKey);
    }

    private static Optional<String> option(Map<String, String> options, String key)
    {
        return Optional.ofNullable(options.get(key)).map(String::strip).filter(value -> !value.isEmpty());
    }

    private static URI parseEndpoint(String text)
    {
        // Hadoop-style configurations often give the endpoint as host:port; the SDK needs a scheme
        return URI.create(text.contains("://") ? text : "https://" + text);
    }

    private static boolean parseBoolean(String text)
    {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("Invalid " + PAIMON_PATH_STYLE_ACCESS + " value '" + text + "': use true or false");
        };
    }

    public AwsCredentialsProvider credentialsProvider()
    {
        checkStaticKeys();
        return switch (credentials) {
            case STATIC -> StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey.orElseThrow(), secretKey.orElseThrow()));
            case ENVIRONMENT -> EnvironmentVariableCredentialsProvider.create();
            case DEFAULT -> DefaultCredentialsProvider.builder().build();
        };
    }

    /** A new client; the caller closes it. */
    // The Apache 4 client is deprecated in favour of apache5-client, but Iceberg's S3FileIO
    // builds its clients on it; one HTTP stack for both keeps the distribution smaller.
    @SuppressWarnings("deprecation")
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
            checkStaticKeys();
            p.put("s3.access-key-id", accessKey.orElseThrow());
            p.put("s3.secret-access-key", secretKey.orElseThrow());
        }
        return p;
    }

    /**
     * The same settings as Paimon catalog options, read back by {@link #fromPaimonOptions(Map)}.
     * Keys are passed only when the credentials are static, as in {@link #icebergProperties()}.
     */
    public Map<String, String> paimonOptions()
    {
        Map<String, String> p = new LinkedHashMap<>();
        endpoint.ifPresent(e -> p.put(PAIMON_ENDPOINT, e.toString()));
        p.put(PAIMON_REGION, region);
        p.put(PAIMON_PATH_STYLE_ACCESS, Boolean.toString(pathStyleAccess));
        p.put(PAIMON_CREDENTIALS, credentials.name().toLowerCase(Locale.ROOT));
        if (credentials == S3Credentials.STATIC) {
            checkStaticKeys();
            p.put(PAIMON_ACCESS_KEY, accessKey.orElseThrow());
            p.put(PAIMON_SECRET_KEY, secretKey.orElseThrow());
        }
        return p;
    }

    /** Never prints the secret. */
    @Override
    public String toString()
    {
        return "S3Settings{endpoint=" + endpoint.map(URI::toString).orElse("aws") + ", region=" + region + ", pathStyle=" + pathStyleAccess
                + ", credentials=" + credentials.name().toLowerCase(Locale.ROOT) + accessKey.map(k -> ", accessKey=" + k).orElse("") + "}";
    }
}
