/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.lake.hadoop;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.s3.S3Settings;
import org.apache.hadoop.conf.Configuration;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * How the lake bridges reach warehouses on {@code s3a://} and {@code hdfs://}: through Apache
 * Hadoop's {@code FileSystem} (Hadoop 3.5; 3.4 and older fail on JDK 23 and later), with a Hadoop
 * {@link Configuration} built here. Warehouses on {@code s3://} do not use Hadoop at all; they go
 * through Inlet's own S3 client.
 *
 * <p>The configuration is Hadoop's defaults, then {@code core-site.xml} and {@code hdfs-site.xml}
 * from {@link #confDir()} (for HDFS: the name nodes, HA, Kerberos), then Inlet's {@code s3.*}
 * settings as the base {@code fs.s3a.*} keys, so that one set of S3 settings serves {@code s3://}
 * and {@code s3a://} alike. Per-bucket keys ({@code fs.s3a.bucket.NAME.*}) in
 * {@code core-site.xml} still override them, as S3A always lets them.
 *
 * @param confDir folder holding {@code core-site.xml} and {@code hdfs-site.xml}; empty for none
 */
public record HadoopSettings(Optional<Path> confDir)
{
    /** The warehouse schemes served through Hadoop. */
    public static final Set<String> SCHEMES = Set.of("s3a", "hdfs");

    /** The environment variable Hadoop's own tools read the configuration folder from. */
    public static final String HADOOP_CONF_DIR = "HADOOP_CONF_DIR";

    private static final List<String> SITE_FILES = List.of("core-site.xml", "hdfs-site.xml");

    public HadoopSettings
    {
        requireNonNull(confDir, "confDir is null");
    }

    /** No configuration folder: Hadoop's defaults and Inlet's S3 settings only. */
    public static HadoopSettings none()
    {
        return new HadoopSettings(Optional.empty());
    }

    /** The folder named by {@code $HADOOP_CONF_DIR}, if set, as Hadoop's own tools do. */
    public static HadoopSettings fromEnvironment()
    {
        return new HadoopSettings(Optional.ofNullable(System.getenv(HADOOP_CONF_DIR))
                .map(String::strip)
                .filter(dir -> !dir.isEmpty())
                .map(Path::of));
    }

    /** Whether {@code warehouse} is reached through Hadoop ({@code s3a://}, {@code hdfs://}) rather than Inlet's S3 client. */
    public static boolean isHadoopWarehouse(String warehouse)
    {
        requireNonNull(warehouse, "warehouse is null");
        String scheme;
        try {
            scheme = URI.create(warehouse).getScheme();
        }
        catch (IllegalArgumentException e) {
            return false;
        }
        return scheme != null && SCHEMES.contains(scheme.toLowerCase(Locale.ROOT));
    }

    /**
     * A new Hadoop configuration for the lake libraries (see the class comment for its layers).
     *
     * @throws InletException {@code INVALID_CONFIGURATION} if the configuration folder does not exist
     */
    public Configuration configuration(S3Settings s3)
    {
        requireNonNull(s3, "s3 is null");
        // true: start from core-default.xml (and a core-site.xml on the class path), as every Hadoop client does
        Configuration conf = new Configuration(true);
        if (confDir.isPresent()) {
            Path dir = confDir.get();
            if (!Files.isDirectory(dir)) {
                throw new InletException(InletErrorCode.INVALID_CONFIGURATION, "The Hadoop configuration folder " + dir + " does not exist or is not a folder"
                        + " (set by lake.hadoop.conf-dir or $" + HADOOP_CONF_DIR + ")");
            }
            for (String name : SITE_FILES) {
                Path file = dir.resolve(name);
                if (Files.isRegularFile(file)) {
                    conf.addResource(new org.apache.hadoop.fs.Path(file.toUri()));
                }
            }
        }
        s3aProperties(s3).forEach(conf::set);
        return conf;
    }

    /**
     * Inlet's S3 settings as S3A's base keys: the endpoint (with TLS on unless its scheme is
     * {@code http}), the signing region, path-style access and the credentials: the keys themselves
     * for static credentials, else the AWS SDK provider of the environment or of its default chain.
     */
    public static Map<String, String> s3aProperties(S3Settings s3)
    {
        requireNonNull(s3, "s3 is null");
        Map<String, String> p = new LinkedHashMap<>();
        s3.endpoint().ifPresent(endpoint -> p.put("fs.s3a.endpoint", endpoint.toString()));
        p.put("fs.s3a.endpoint.region", s3.region());
        p.put("fs.s3a.path.style.access", Boolean.toString(s3.pathStyleAccess()));
        boolean tls = s3.endpoint().map(URI::getScheme).map(scheme -> !scheme.equalsIgnoreCase("http")).orElse(true);
        p.put("fs.s3a.connection.ssl.enabled", Boolean.toString(tls));
        switch (s3.credentials()) {
            case STATIC -> {
                p.put("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
                p.put("fs.s3a.access.key", s3.accessKey().orElseThrow());
                p.put("fs.s3a.secret.key", s3.secretKey().orElseThrow());
            }
            case ENVIRONMENT -> p.put("fs.s3a.aws.credentials.provider", "software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider");
            case DEFAULT -> p.put("fs.s3a.aws.credentials.provider", "software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider");
        }
        return p;
    }
}
