/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union.lake.iceberg;

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
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericDeleteFilter;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.formats.FormatModelRegistry;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.CloseableIterator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Reads one Iceberg file scan task: the data file through the format's generic reader (with the
 * task's residual filter), its delete files applied by Iceberg's {@link GenericDeleteFilter}, into
 * Arrow batches of the projected columns.
 */
final class IcebergBatchReader
        implements LakeBatchReader
{
    private final List<Column> columns;
    private final Schema schema;
    private final BufferAllocator allocator;
    private final int batchRows;
    private final CloseableIterable<Record> records;
    private final CloseableIterator<Record> iterator;
    private final int[] positions;

    IcebergBatchReader(Table table, FileScanTask task, List<Column> columns, BufferAllocator allocator, int batchRows)
    {
        this.columns = columns;
        this.schema = ArrowSchemas.toArrowSchema(columns);
        this.allocator = allocator;
        this.batchRows = batchRows;
        org.apache.iceberg.Schema projected = table.schema().select(columns.stream().map(Column::name).toList());
        GenericDeleteFilter deletes = new GenericDeleteFilter(table.io(), task, table.schema(), projected);
        org.apache.iceberg.Schema required = deletes.requiredSchema();
        CloseableIterable<Record> file = FormatModelRegistry.<Record, Object>readBuilder(task.file().format(), Record.class, table.io().newInputFile(task.file()))
                .project(required)
                .split(task.start(), task.length())
                .filter(task.residual())
                .build();
        this.records = deletes.filter(file);
        this.iterator = records.iterator();
        this.positions = columns.stream().mapToInt(c -> required.columns().indexOf(required.findField(c.name()))).toArray();
    }

    @Override
    public VectorSchemaRoot next()
    {
        VectorSchemaRoot root = ArrowValues.allocate(schema, batchRows, allocator);
        try {
            List<FieldVector> vectors = root.getFieldVectors();
            int rows = 0;
            while (rows < batchRows && iterator.hasNext()) {
                Record record = iterator.next();
                for (int c = 0; c < vectors.size(); c++) {
                    ArrowValues.set(vectors.get(c), rows, IcebergValues.fromRecord(columns.get(c).type(), record.get(positions[c])));
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
        catch (RuntimeException e) {
            root.close();
            if (e instanceof InletException inlet) {
                throw inlet;
            }
            throw new InletException(InletErrorCode.LAKE_FAILURE, "Reading Iceberg file failed: " + e.getMessage(), e);
        }
    }

    @Override
    public int filesRead()
    {
        return 1;
    }

    @Override
    public void close()
    {
        try {
            iterator.close();
            records.close();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
