/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.lake.paimon;

import org.apache.paimon.fs.FileStatus;
import org.apache.paimon.fs.Path;

import static java.util.Objects.requireNonNull;

/**
 * The status of an object or of a directory. Directories have length 0 and modification time 0:
 * S3 keeps neither for a prefix.
 */
record S3FileStatus(Path path, long length, boolean directory, long modificationTime)
        implements FileStatus
{
    S3FileStatus
    {
        requireNonNull(path, "path is null");
    }

    static S3FileStatus file(Path path, long length, long modificationTime)
    {
        return new S3FileStatus(path, length, false, modificationTime);
    }

    static S3FileStatus directory(Path path)
    {
        return new S3FileStatus(path, 0, true, 0);
    }

    @Override
    public long getLen()
    {
        return length;
    }

    @Override
    public boolean isDir()
    {
        return directory;
    }

    @Override
    public Path getPath()
    {
        return path;
    }

    @Override
    public long getModificationTime()
    {
        return modificationTime;
    }
}
