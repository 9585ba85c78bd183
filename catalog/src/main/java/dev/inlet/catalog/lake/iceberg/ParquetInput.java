/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.lake.iceberg;

import org.apache.iceberg.io.RangeReadable;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

import java.io.IOException;

/**
 * An Iceberg input file (S3 through a FileIO, or a local file) as Parquet's input file: Parquet's
 * own readers then need no Hadoop file system.
 *
 * <p>A file that can read ranges (Iceberg's S3 stream can) is read by bounded range requests
 * ({@link RangeReadStream}): a small file in one request, the footer of a larger one in one
 * request, and, for a reader opened with {@code withUseHadoopVectoredIo(true)}, a row group's
 * column chunks in parallel requests. Through the plain stream each of these would be a request
 * of its own, one after the other, as every backward seek reopens it.
 */
public record ParquetInput(org.apache.iceberg.io.InputFile file)
        implements InputFile
{
    @Override
    public long getLength()
    {
        return file.getLength();
    }

    @Override
    public SeekableInputStream newStream()
    {
        org.apache.iceberg.io.SeekableInputStream stream = file.newStream();
        if (stream instanceof RangeReadable) {
            return new RangeReadStream(stream, file.getLength(), file.location());
        }
        return new DelegatingSeekableInputStream(stream)
        {
            @Override
            public long getPos()
                    throws IOException
            {
                return stream.getPos();
            }

            @Override
            public void seek(long newPos)
                    throws IOException
            {
                stream.seek(newPos);
            }
        };
    }
}
