/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union.lake.paimon;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.model.Column;
import dev.inlet.logstore.arrow.ArrowSchemas;
import dev.inlet.logstore.arrow.ArrowValues;
import dev.inlet.union.lake.LakeBatchReader;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.paimon.data.InternalRow;
import org.apache.paimon.reader.RecordReader;
import org.apache.paimon.table.source.DataSplit;
import org.apache.paimon.table.source.ReadBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Reads one Paimon split with Paimon's reader into Arrow batches of the projected columns. */
final class PaimonBatchReader
        implements LakeBatchReader
{
    private final RecordReader<InternalRow> reader;
    private final List<Column> columns;
    private final Schema schema;
    private final BufferAllocator allocator;
    private final int batchRows;
    private final int files;
    private RecordReader.RecordIterator<InternalRow> current;
    private boolean done;

    PaimonBatchReader(ReadBuilder read, DataSplit split, List<Column> columns, BufferAllocator allocator, int batchRows)
    {
        this.columns = columns;
        this.schema = ArrowSchemas.toArrowSchema(columns);
        this.allocator = allocator;
        this.batchRows = batchRows;
        this.files = split.dataFiles().size();
        try {
            this.reader = read.newRead().createReader(split);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public VectorSchemaRoot next()
    {
        if (done) {
            return null;
        }
        VectorSchemaRoot root = ArrowValues.allocate(schema, batchRows, allocator);
        try {
            List<FieldVector> vectors = root.getFieldVectors();
            int rows = 0;
            while (rows < batchRows) {
                if (current == null) {
                    current = reader.readBatch();
                    if (current == null) {
                        done = true;
                        break;
                    }
                }
                InternalRow row = current.next();
                if (row == null) {
                    current.releaseBatch();
                    current = null;
                    continue;
                }
                for (int c = 0; c < vectors.size(); c++) {
                    PaimonValues.write(row, c, columns.get(c).type(), vectors.get(c), rows);
                }
                rows++;
            }
            root.setRowCount(rows);
            if (rows == 0) {
                root.close();
                return null;
            }
            return root;
        }
        catch (IOException | RuntimeException e) {
            root.close();
            if (e instanceof InletException inlet) {
                throw inlet;
            }
            throw new InletException(InletErrorCode.LAKE_FAILURE, "Reading a Paimon split failed: " + e.getMessage(), e);
        }
    }

    @Override
    public int filesRead()
    {
        return files;
    }

    @Override
    public void close()
    {
        try {
            if (current != null) {
                current.releaseBatch();
            }
            reader.close();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
