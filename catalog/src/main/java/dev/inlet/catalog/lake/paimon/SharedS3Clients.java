/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.lake.paimon;

import dev.inlet.catalog.s3.S3Settings;
import software.amazon.awssdk.services.s3.S3Client;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One S3 client per distinct {@link S3Settings} in this JVM, kept until the JVM exits.
 *
 * <p>Paimon creates {@code FileIO} instances freely and never closes them: {@code FileIO.get}
 * builds one just to probe access and drops it, every deserialized table carries its own copy, and
 * {@code FileIO.close()} is documented as a no-op for exactly this reason. A client per
 * {@code FileIO} would leak a connection pool each time, so all of them share a client instead.
 */
final class SharedS3Clients
{
    private static final Map<S3Settings, S3Client> CLIENTS = new ConcurrentHashMap<>();

    private SharedS3Clients() {}

    static S3Client get(S3Settings settings)
    {
        return CLIENTS.computeIfAbsent(settings, S3Settings::newClient);
    }
}
