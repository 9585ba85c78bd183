/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.client;

import java.util.List;
import java.util.Optional;

/**
 * What a {@link LogScanner} reads.
 *
 * @param columns the columns to return (in table order); empty returns all — the server then
 *     sends only these columns' buffers
 * @param maxBytesPerFetch how many payload bytes one fetch of one bucket may return
 */
public record ScanOptions(Optional<List<String>> columns, long maxBytesPerFetch)
{
    public ScanOptions
    {
        columns = columns.map(List::copyOf);
        if (maxBytesPerFetch < 1) {
            throw new IllegalArgumentException("maxBytesPerFetch must be positive: " + maxBytesPerFetch);
        }
    }

    public static ScanOptions defaults()
    {
        return new ScanOptions(Optional.empty(), 8L << 20);
    }

    public ScanOptions withColumns(List<String> names)
    {
        return new ScanOptions(Optional.of(names), maxBytesPerFetch);
    }
}
