/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.local;

import dev.inlet.catalog.CatalogSettings;
import dev.inlet.catalog.s3.S3Settings;
import dev.inlet.trinoserver.TrinoServerProcess;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The Trino 483 server of {@code inlet local}: the distribution's {@code trino/} folder (Trino's
 * libraries, assembled from Maven Central at build time) started as a separate process, with the
 * distribution's {@code plugin/inlet} installed and the shipped catalog file
 * {@code conf/trino/inlet.properties} pointed at this deployment's hot store, catalog and S3.
 * Its folder is {@code <data-dir>/trino}.
 */
final class LocalTrino
{
    static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private LocalTrino() {}

    /** What the distribution at {@code home} needs to run Trino, or why it cannot. */
    record Parts(Path server, Path plugin, Path catalogFile) {}

    static Parts parts(Path home)
    {
        Parts parts = new Parts(home.resolve("trino"), home.resolve("plugin/inlet"), home.resolve("conf/trino/inlet.properties"));
        for (Path required : new Path[] {parts.server().resolve("lib"), parts.plugin(), parts.catalogFile()}) {
            if (!Files.exists(required)) {
                throw new IllegalStateException(required + " is missing: run inlet local from the distribution (it/target/inlet after ./mvnw install, or the unpacked tarball)");
            }
        }
        return parts;
    }

    static TrinoServerProcess start(Parts parts, Path dataDir, int port, Map<String, String> catalog)
            throws IOException, InterruptedException
    {
        return TrinoServerProcess.builder(parts.server(), dataDir.resolve("trino"))
                .port(port)
                .plugin("inlet", parts.plugin())
                .catalog("inlet", catalog)
                .start(START_TIMEOUT);
    }

    /** The shipped catalog file with this deployment's endpoints, catalog database and S3 in place. */
    static Map<String, String> catalogProperties(Parts parts, CatalogSettings settings, S3Settings s3, URI hotEndpoint)
            throws IOException
    {
        Properties file = new Properties();
        try (Reader in = Files.newBufferedReader(parts.catalogFile())) {
            file.load(in);
        }
        Map<String, String> properties = new LinkedHashMap<>();
        file.stringPropertyNames().stream().sorted().forEach(k -> properties.put(k, file.getProperty(k)));
        properties.put("server.endpoint", hotEndpoint.toString());
        properties.put("catalog.jdbc.url", absolute(settings.database().url()));
        settings.database().user().ifPresent(u -> properties.put("catalog.jdbc.user", u));
        settings.database().password().ifPresent(p -> properties.put("catalog.jdbc.password", p));
        put(properties, "s3.endpoint", s3.endpoint().map(URI::toString));
        put(properties, "s3.access-key", s3.accessKey());
        put(properties, "s3.secret-key", s3.secretKey());
        properties.put("lake.paimon.warehouse", settings.paimonWarehouse());
        properties.put("lake.iceberg.warehouse", settings.icebergWarehouse());
        return properties;
    }

    private static void put(Map<String, String> properties, String key, Optional<String> value)
    {
        value.ifPresentOrElse(v -> properties.put(key, v), () -> properties.remove(key));
    }

    /** Trino runs in its own folder: an SQLite file named relative to ours must be absolute there. */
    private static String absolute(String jdbcUrl)
    {
        String prefix = "jdbc:sqlite:";
        if (jdbcUrl.startsWith(prefix) && !Path.of(jdbcUrl.substring(prefix.length())).isAbsolute()) {
            return prefix + Path.of(jdbcUrl.substring(prefix.length())).toAbsolutePath();
        }
        return jdbcUrl;
    }
}
