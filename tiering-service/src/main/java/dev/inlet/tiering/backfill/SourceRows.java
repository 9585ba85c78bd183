/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering.backfill;

import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TablePath;
import org.apache.iceberg.io.InputFile;

import java.io.IOException;

/**
 * The rows of one source file, read one at a time, each with every column's value in table order
 * and of the column's Java type (columns the file lacks are null).
 */
interface SourceRows
        extends AutoCloseable
{
    /**
     * The next row, or null at the end of the file.
     *
     * @throws BadRow for a row that cannot be read (the next call goes on after it, unless
     *     {@link BadRow#fatal()}: the file cannot be read on)
     */
    Object[] next()
            throws IOException;

    /** The number of the row {@link #next} returned or failed on last, as a user would count it (the line of a text file, 1-based). */
    long position();

    /** About how many bytes of the file are read so far (for progress). */
    long bytesRead();

    @Override
    void close()
            throws IOException;

    /**
     * @param supplied columns whose values the command gives ({@code --partition}): the file may
     *     leave them out even where they are NOT NULL
     */
    static SourceRows open(SourceFile file, InputFile input, TablePath table, TableDescriptor descriptor, java.util.Set<String> supplied)
            throws IOException
    {
        return switch (file.format()) {
            case PARQUET -> new ParquetSourceRows(file, input, descriptor, supplied);
            case CSV, JSON -> new TextSourceRows(file, input, table, descriptor, supplied);
        };
    }

    /** A row (or, if fatal, the rest of the file) that cannot be read: the message names the file, row and column. */
    final class BadRow
            extends RuntimeException
    {
        private final boolean fatal;

        BadRow(String message, boolean fatal, Throwable cause)
        {
            super(message, cause);
            this.fatal = fatal;
        }

        boolean fatal()
        {
            return fatal;
        }
    }
}
