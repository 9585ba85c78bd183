/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.trino;

import io.trino.spi.connector.ConnectorTransactionHandle;

/** Inlet reads need no transaction state: each scan fixes its own consistent point. */
public enum InletTransactionHandle
        implements ConnectorTransactionHandle
{
    INSTANCE
}
