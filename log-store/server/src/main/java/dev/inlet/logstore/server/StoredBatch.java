/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.server;

import java.nio.ByteBuffer;

/**
 * A batch as read from a bucket's log: offsets {@code [baseOffset, baseOffset + recordCount)},
 * written with schema {@code schemaId}; {@code payload} is one Arrow IPC record-batch message.
 */
record StoredBatch(long baseOffset, int recordCount, long commitTimestamp, int schemaId, ByteBuffer payload)
{
    long endOffset()
    {
        return baseOffset + recordCount;
    }
}
