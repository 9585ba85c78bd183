/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.lake.paimon;

import org.apache.paimon.fs.FileIO;
import org.apache.paimon.fs.FileIOLoader;
import org.apache.paimon.fs.Path;

import java.io.Serial;

/**
 * Gives Paimon an {@link S3FileIO}. Pass it as the preferred loader:
 * {@code CatalogContext.create(options, hadoopConf, new S3FileIOLoader(), null)}.
 *
 * <p>Paimon tries the preferred loader for every path whatever its scheme, and moves on to its own
 * loaders when the loaded {@code FileIO} throws an {@code IOException} for the path. So this one
 * loader serves {@code s3://}, {@code s3a://} and {@code s3n://} paths, while {@code file://} and
 * scheme-less paths still reach Paimon's local {@code FileIO}. It is deliberately not registered
 * as a service: a second {@code s3} loader next to paimon-s3 would make Paimon's discovery fail.
 */
public final class S3FileIOLoader
        implements FileIOLoader
{
    @Serial
    private static final long serialVersionUID = 1L;

    @Override
    public String getScheme()
    {
        return "s3";
    }

    @Override
    public FileIO load(Path path)
    {
        return new S3FileIO();
    }
}
