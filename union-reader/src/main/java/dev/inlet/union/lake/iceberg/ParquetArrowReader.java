/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union.lake.iceberg;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.lake.iceberg.ParquetInput;
import dev.inlet.catalog.model.Column;
import dev.inlet.logstore.arrow.ArrowSchemas;
import dev.inlet.logstore.arrow.ParquetColumnCopier;
import dev.inlet.logstore.arrow.SizedBatches;
import dev.inlet.union.lake.LakeBatchReader;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.parquet.ParquetMetricsRowGroupFilter;
import org.apache.iceberg.types.Types;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.VersionParser;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads an Iceberg Parquet data file that has no delete files column by column into Arrow: the
 * row groups of the task's byte range that the residual filter's statistics do not exclude, only
 * the projected column chunks, each decoded by a {@link ParquetColumnCopier}. Columns are matched
 * to the file by Iceberg field id, so a column added after the file was written reads as nulls.
 * Rows the residual rejects within a row group still come back (the union reader filters rows).
 */
final class ParquetArrowReader
        implements LakeBatchReader
{

    private final ParquetFileReader file;
    private final Schema schema;
    private final int batchRows;
    private final List<ColumnDescriptor> descriptors;
    private final List<ParquetColumnCopier> copiers;
    private final List<BlockMetaData> groups;
    private final boolean[] readGroup;
    private final VersionParser.ParsedVersion writer;
    private final SizedBatches batches;
    private int nextGroup;
    private ColumnReader[] columnReaders;
    private long groupRowsLeft;

    private ParquetArrowReader(ParquetFileReader file, Schema schema, BufferAllocator allocator, int batchRows, List<ColumnDescriptor> descriptors, List<ParquetColumnCopier> copiers,
            boolean[] readGroup)
    {
        this.file = file;
        this.schema = schema;
        this.batchRows = batchRows;
        this.descriptors = descriptors;
        this.copiers = copiers;
        this.groups = file.getRowGroups();
        this.readGroup = readGroup;
        this.writer = ParquetColumnCopier.writerVersion(file.getFooter().getFileMetaData().getCreatedBy());
        this.batches = new SizedBatches(schema, allocator);
    }

    /**
     * The columnar reader for the task, or empty when the task needs what only the generic reader
     * does: delete files to apply, a format other than Parquet, or a column stored in a type this
     * reader does not decode.
     */
    static Optional<LakeBatchReader> open(Table table, FileScanTask task, List<Column> columns, BufferAllocator allocator, int batchRows)
    {
        if (task.file().format() != FileFormat.PARQUET || !task.deletes().isEmpty()) {
            return Optional.empty();
        }
        ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration())
                .withRange(task.start(), task.start() + task.length())
                // a row group's column chunks in parallel range requests (RangeReadStream)
                .withUseHadoopVectoredIo(true)
                .build();
        ParquetFileReader file;
        try {
            file = ParquetFileReader.open(new ParquetInput(table.io().newInputFile(task.file())), options);
        }
        catch (IOException e) {
            throw new InletException(InletErrorCode.LAKE_FAILURE, "Opening Iceberg data file " + task.file().location() + " failed: " + e.getMessage(), e);
        }
        try {
            Schema schema = ArrowSchemas.toArrowSchema(columns);
            MessageType fileSchema = file.getFooter().getFileMetaData().getSchema();
            List<Type> requested = new ArrayList<>();
            List<ColumnDescriptor> descriptors = new ArrayList<>();
            List<ParquetColumnCopier> copiers = new ArrayList<>();
            for (int c = 0; c < columns.size(); c++) {
                Types.NestedField field = table.schema().findField(columns.get(c).name());
                Optional<Type> stored = fileSchema.getFields().stream().filter(t -> t.getId() != null && t.getId().intValue() == field.fieldId()).findFirst();
                if (stored.isEmpty()) {
                    // added to the table after this file was written
                    descriptors.add(null);
                    copiers.add(null);
                    continue;
                }
                if (!stored.get().isPrimitive()) {
                    file.close();
                    return Optional.empty();
                }
                Optional<ParquetColumnCopier> copier = ParquetColumnCopier.of(columns.get(c).type(), stored.get().asPrimitiveType(), schema.getFields().get(c).getType());
                if (copier.isEmpty()) {
                    file.close();
                    return Optional.empty();
                }
                requested.add(stored.get());
                descriptors.add(fileSchema.getColumnDescription(new String[] {stored.get().getName()}));
                copiers.add(copier.get());
            }
            file.setRequestedSchema(new MessageType(fileSchema.getName(), requested));
            ParquetMetricsRowGroupFilter statistics = new ParquetMetricsRowGroupFilter(table.schema(), task.residual(), true);
            List<BlockMetaData> groups = file.getRowGroups();
            boolean[] readGroup = new boolean[groups.size()];
            for (int g = 0; g < groups.size(); g++) {
                readGroup[g] = statistics.shouldRead(fileSchema, groups.get(g));
            }
            return Optional.of(new ParquetArrowReader(file, schema, allocator, batchRows, descriptors, copiers, readGroup));
        }
        catch (IOException | RuntimeException e) {
            closeQuietly(file, e);
            throw e instanceof InletException inlet ? inlet
                    : new InletException(InletErrorCode.LAKE_FAILURE, "Reading Iceberg data file " + task.file().location() + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public VectorSchemaRoot next()
    {
        try {
            if (groupRowsLeft == 0 && !nextRowGroup()) {
                return null;
            }
            int rows = (int) Math.min(batchRows, groupRowsLeft);
            VectorSchemaRoot root = batches.allocate(rows);
            try {
                List<FieldVector> vectors = root.getFieldVectors();
                for (int c = 0; c < vectors.size(); c++) {
                    if (columnReaders[c] != null) {
                        copiers.get(c).copy(columnReaders[c], descriptors.get(c).getMaxDefinitionLevel(), vectors.get(c), rows);
                    }
                }
                root.setRowCount(rows);
                batches.filled(root);
                groupRowsLeft -= rows;
                return root;
            }
            catch (RuntimeException e) {
                root.close();
                throw e;
            }
        }
        catch (IOException | RuntimeException e) {
            throw e instanceof InletException inlet ? inlet
                    : new InletException(InletErrorCode.LAKE_FAILURE, "Reading Iceberg data file " + file.getFile() + " failed: " + e.getMessage(), e);
        }
    }

    private boolean nextRowGroup()
            throws IOException
    {
        while (nextGroup < readGroup.length) {
            int group = nextGroup++;
            if (!readGroup[group]) {
                file.skipNextRowGroup();
                continue;
            }
            columnReaders = new ColumnReader[descriptors.size()];
            if (descriptors.stream().allMatch(d -> d == null)) {
                // no stored column read (only columns added later): the row count is in the footer
                file.skipNextRowGroup();
                groupRowsLeft = groups.get(group).getRowCount();
                if (groupRowsLeft > 0) {
                    return true;
                }
                continue;
            }
            PageReadStore pages = file.readNextRowGroup();
            if (pages == null) {
                return false;
            }
            for (int c = 0; c < descriptors.size(); c++) {
                ColumnDescriptor descriptor = descriptors.get(c);
                if (descriptor != null) {
                    columnReaders[c] = ParquetColumnCopier.columnReader(descriptor, pages, writer);
                }
            }
            groupRowsLeft = pages.getRowCount();
            if (groupRowsLeft > 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int filesRead()
    {
        return 1;
    }

    @Override
    public boolean columnar()
    {
        return true;
    }

    @Override
    public void close()
    {
        try {
            file.close();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void closeQuietly(ParquetFileReader file, Exception cause)
    {
        try {
            file.close();
        }
        catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }
}
