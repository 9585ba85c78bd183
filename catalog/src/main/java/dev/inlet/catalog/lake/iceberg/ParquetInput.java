/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.lake.iceberg;

import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

import java.io.IOException;

/**
 * An Iceberg input file (S3 through a FileIO, or a local file) as Parquet's input file: Parquet's
 * own readers then need no Hadoop file system.
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
