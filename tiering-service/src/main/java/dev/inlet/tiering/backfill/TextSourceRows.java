/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering.backfill;

import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.logstore.cli.RowReader;
import org.apache.iceberg.io.InputFile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * A CSV (header line naming the columns) or JSON lines file, parsed by the reader of
 * {@code inlet write}: the same value syntax and the same errors, which name the line and column.
 * Every non-null column needs a value.
 */
final class TextSourceRows
        implements SourceRows
{
    private final SourceFile file;
    private final CountingInputStream counted;
    private final BufferedReader in;
    private final RowReader.Rows rows;

    TextSourceRows(SourceFile file, InputFile input, TablePath table, TableDescriptor descriptor, Set<String> supplied)
    {
        this.file = file;
        this.counted = new CountingInputStream(input.newStream());
        this.in = new BufferedReader(new InputStreamReader(counted, StandardCharsets.UTF_8), 1 << 16);
        List<String> required = descriptor.columns().stream().filter(c -> !c.nullable() && !supplied.contains(c.name())).map(Column::name).toList();
        // the auto-increment column is the server's to assign: the reader names it if a file has it
        List<String> allowed = descriptor.columnNames().stream().filter(n -> descriptor.autoIncrementColumn().filter(n::equals).isEmpty()).toList();
        this.rows = RowReader.open(table, descriptor, in, file.format() == SourceFormat.CSV ? RowReader.Format.CSV : RowReader.Format.JSON,
                new RowReader.InputColumns(allowed, "the table", allowed, required));
    }

    @Override
    public long bytesRead()
    {
        return counted.count;
    }

    /** Counts the bytes read, for progress. */
    private static final class CountingInputStream
            extends java.io.FilterInputStream
    {
        volatile long count;

        CountingInputStream(java.io.InputStream in)
        {
            super(in);
        }

        @Override
        public int read()
                throws IOException
        {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len)
                throws IOException
        {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }

    @Override
    public Object[] next()
            throws IOException
    {
        try {
            return rows.next();
        }
        catch (InletException e) {
            // the reader's message names the table, line and column
            throw new BadRow("File " + file.location() + ": " + e.getMessage(), !rows.readable(), e);
        }
    }

    @Override
    public long position()
    {
        return rows.line();
    }

    @Override
    public void close()
            throws IOException
    {
        in.close();
    }
}
