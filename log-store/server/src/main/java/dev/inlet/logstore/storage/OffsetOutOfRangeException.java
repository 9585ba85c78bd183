/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.storage;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;

import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * A read asked for an offset the bucket log does not hold: below its earliest offset (deleted by
 * retention, or tiered to the lake) or above its end offset (never written). The reader should
 * restart from {@link #earliestOffset()} or the lake, or wait for {@link #endOffset()} to grow.
 */
public class OffsetOutOfRangeException
        extends InletException
{
    private final Path directory;
    private final long requestedOffset;
    private final long earliestOffset;
    private final long endOffset;

    public OffsetOutOfRangeException(Path directory, long requestedOffset, long earliestOffset, long endOffset)
    {
        super(InletErrorCode.OFFSET_OUT_OF_RANGE, "Offset %d is out of range for bucket log %s: it holds offsets [%d, %d)".formatted(
                requestedOffset, requireNonNull(directory, "directory is null"), earliestOffset, endOffset));
        this.directory = directory;
        this.requestedOffset = requestedOffset;
        this.earliestOffset = earliestOffset;
        this.endOffset = endOffset;
    }

    public Path directory()
    {
        return directory;
    }

    public long requestedOffset()
    {
        return requestedOffset;
    }

    public long earliestOffset()
    {
        return earliestOffset;
    }

    public long endOffset()
    {
        return endOffset;
    }
}
