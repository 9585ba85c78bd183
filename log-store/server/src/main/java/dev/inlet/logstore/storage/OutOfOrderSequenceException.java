/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.storage;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;

import static java.util.Objects.requireNonNull;

/**
 * An idempotent writer sent a batch whose sequence number is neither the next one nor one of the
 * recent ones the bucket remembers: a batch in between was lost, or the writer retried a batch so
 * old that the bucket can no longer tell whether it holds it. Nothing was written.
 */
public class OutOfOrderSequenceException
        extends InletException
{
    private final long writerId;
    private final int expectedSequence;
    private final int sequence;

    public OutOfOrderSequenceException(String bucket, long writerId, int expectedSequence, int sequence, String reason)
    {
        super(InletErrorCode.OUT_OF_ORDER_SEQUENCE, "Out-of-order sequence from writer %d in bucket %s: expected %d, got %d (%s)".formatted(
                writerId, requireNonNull(bucket, "bucket is null"), expectedSequence, sequence, requireNonNull(reason, "reason is null")));
        this.writerId = writerId;
        this.expectedSequence = expectedSequence;
        this.sequence = sequence;
    }

    public long writerId()
    {
        return writerId;
    }

    public int expectedSequence()
    {
        return expectedSequence;
    }

    public int sequence()
    {
        return sequence;
    }
}
