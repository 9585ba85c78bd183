/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.lake;

import static java.util.Objects.requireNonNull;

/**
 * A source file a backfill loaded into a lake table: recorded in the properties of the lake
 * snapshot that committed it ({@link LakeCheckpoint#BACKFILL_FILES_PROPERTY}) and in the catalog,
 * so that a backfill run again loads only the files not loaded yet.
 *
 * @param location where the file was read ({@code s3://bucket/key} or an absolute local path)
 * @param size its length in bytes when it was loaded (a file changed since is refused, not loaded twice)
 * @param rows the rows loaded from it
 */
public record BackfilledFile(String location, long size, long rows)
{
    public BackfilledFile
    {
        requireNonNull(location, "location is null");
    }
}
