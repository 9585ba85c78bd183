/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering.backfill;

import static java.util.Objects.requireNonNull;

/**
 * One file a backfill reads.
 *
 * @param location {@code s3://bucket/key} or an absolute local path: what the lake and the
 *     catalog record, so the same file is recognised by the next run
 * @param size its length in bytes
 * @param format how it is read
 */
public record SourceFile(String location, long size, SourceFormat format)
{
    public SourceFile
    {
        requireNonNull(location, "location is null");
        requireNonNull(format, "format is null");
    }
}
