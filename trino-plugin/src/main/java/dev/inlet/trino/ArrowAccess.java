/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.trino;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;

/**
 * Arrow (the hot store's wire format) reads direct buffers through {@code java.nio} internals,
 * which a Trino JVM must open: {@code --add-opens=java.base/java.nio=ALL-UNNAMED} in
 * {@code etc/jvm.config} (Trino's own BigQuery connector needs the same).
 */
final class ArrowAccess
{
    private ArrowAccess() {}

    static void check()
    {
        if (!Object.class.getModule().isOpen("java.nio", ArrowAccess.class.getModule())) {
            throw new InletException(InletErrorCode.INVALID_CONFIGURATION, "The Inlet connector reads Arrow data, which needs the JVM option "
                    + "--add-opens=java.base/java.nio=ALL-UNNAMED: add it to Trino's etc/jvm.config and restart Trino");
        }
    }
}
