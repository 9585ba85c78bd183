/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering.backfill;

import dev.inlet.catalog.lake.iceberg.ParquetInput;
import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.logstore.arrow.ArrowSchemas;
import dev.inlet.logstore.arrow.ArrowValues;
import dev.inlet.logstore.arrow.ParquetColumnCopier;
import dev.inlet.logstore.arrow.SizedBatches;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.iceberg.io.InputFile;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.VersionParser;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A Parquet source file decoded column by column straight into Arrow batches of the table's
 * columns, by the {@link ParquetColumnCopier}s the union reader uses: no row objects, no boxing,
 * strings copied as bytes. Only for files whose every column is stored exactly as its table
 * column needs it (see {@link #exact}); any other file, and every file when bad rows are skipped,
 * goes row by row through {@link ParquetSourceRows}, which also gives the errors their words.
 */
final class ParquetBatches
        implements AutoCloseable
{

    private final SourceFile file;
    private final TableDescriptor table;
    private final ParquetFileReader reader;
    private final Schema schema;
    private final int batchRows;
    // per table column: its file column, or null (absent: null, or supplied by --partition)
    private final ColumnDescriptor[] descriptors;
    private final ParquetColumnCopier[] copiers;
    private final Map<Integer, Object> supplied;
    private final VersionParser.ParsedVersion writer;
    private final SizedBatches batches;
    private ColumnReader[] columns;
    private long groupRowsLeft;
    private long rowsRead;

    private ParquetBatches(SourceFile file, TableDescriptor table, ParquetFileReader reader, ColumnDescriptor[] descriptors, ParquetColumnCopier[] copiers,
            Map<Integer, Object> supplied, BufferAllocator allocator, int batchRows)
    {
        this.file = file;
        this.table = table;
        this.reader = reader;
        this.schema = ArrowSchemas.toArrowSchema(table);
        this.descriptors = descriptors;
        this.copiers = copiers;
        this.supplied = supplied;
        this.batchRows = batchRows;
        this.writer = ParquetColumnCopier.writerVersion(reader.getFooter().getFileMetaData().getCreatedBy());
        this.batches = new SizedBatches(schema, allocator);
    }

    /**
     * The columnar reader of {@code file}, or empty when a column of it is not stored exactly as
     * its table column needs (or the file does not match the table): the row reader takes it then.
     */
    static Optional<ParquetBatches> open(SourceFile file, InputFile input, TableDescriptor table, Map<Integer, Object> supplied, BufferAllocator allocator, int batchRows)
    {
        ParquetFileReader reader;
        try {
            reader = ParquetFileReader.open(new ParquetInput(input), ParquetReadOptions.builder().build());
        }
        catch (IOException | RuntimeException e) {
            return Optional.empty(); // the row reader names what is wrong with it
        }
        MessageType fileSchema = reader.getFooter().getFileMetaData().getSchema();
        int count = table.columns().size();
        ColumnDescriptor[] descriptors = new ColumnDescriptor[count];
        ParquetColumnCopier[] copiers = new ParquetColumnCopier[count];
        Schema arrow = ArrowSchemas.toArrowSchema(table);
        for (Type field : fileSchema.getFields()) {
            int c = table.columnNames().indexOf(field.getName().toLowerCase(Locale.ROOT));
            if (c < 0 || !field.isPrimitive() || field.isRepetition(Type.Repetition.REPEATED) || supplied.containsKey(c) || descriptors[c] != null
                    || table.autoIncrementColumn().filter(table.columnNames().get(c)::equals).isPresent()
                    || !exact(table.columns().get(c), field.asPrimitiveType())) {
                return closeEmpty(reader);
            }
            Optional<ParquetColumnCopier> copier = ParquetColumnCopier.of(table.columns().get(c).type(), field.asPrimitiveType(), arrow.getFields().get(c).getType());
            if (copier.isEmpty()) {
                return closeEmpty(reader);
            }
            descriptors[c] = fileSchema.getColumnDescription(new String[] {field.getName()});
            copiers[c] = copier.get();
        }
        for (int c = 0; c < count; c++) {
            if (descriptors[c] == null && !supplied.containsKey(c) && !table.columns().get(c).nullable()) {
                return closeEmpty(reader); // a NOT NULL column the file lacks: refused by the row reader
            }
        }
        return Optional.of(new ParquetBatches(file, table, reader, descriptors, copiers, supplied, allocator, batchRows));
    }

    /**
     * Whether a file column holds exactly the values its table column takes, with nothing to
     * check per value: the same width of integer, text for STRING and bytes for BYTES, a date, a
     * decimal of the same precision and scale, a timestamp. Anything needing a range check or a
     * conversion is for the row reader.
     */
    static boolean exact(Column column, PrimitiveType stored)
    {
        LogicalTypeAnnotation logical = stored.getLogicalTypeAnnotation();
        boolean plainInt = logical == null || logical instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i && i.isSigned();
        return switch (column.type().root()) {
            case BOOLEAN -> stored.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.BOOLEAN;
            case INT -> stored.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT32 && plainInt;
            case BIGINT -> stored.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT64 && plainInt;
            case FLOAT -> stored.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.FLOAT;
            case DOUBLE -> stored.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.DOUBLE;
            case STRING -> stored.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.BINARY && logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation;
            case BYTES -> stored.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.BINARY && logical == null;
            case DATE -> logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation;
            case DECIMAL, TIMESTAMP, TIMESTAMP_LTZ -> true; // the copier takes only the exact decimal and timestamps
            case TINYINT, SMALLINT -> false; // a narrower column: every value needs a range check
        };
    }

    private static Optional<ParquetBatches> closeEmpty(ParquetFileReader reader)
    {
        try {
            reader.close();
        }
        catch (IOException e) {
            // nothing was read
        }
        return Optional.empty();
    }

    /**
     * The next batch, every table column filled (absent ones null, supplied ones constant), or
     * null at the end of the file. The caller owns it.
     *
     * @throws SourceRows.BadRow naming the file, row and column of a null in a NOT NULL column,
     *     or a corrupt file
     */
    VectorSchemaRoot next()
    {
        try {
            if (groupRowsLeft == 0 && !nextRowGroup()) {
                return null;
            }
        }
        catch (IOException | RuntimeException e) {
            throw new SourceRows.BadRow("File " + file.location() + " is corrupt after row " + rowsRead + ": " + e.getMessage(), true, e);
        }
        int rows = (int) Math.min(batchRows, groupRowsLeft);
        VectorSchemaRoot root = batches.allocate(rows);
        try {
            List<FieldVector> vectors = root.getFieldVectors();
            for (int c = 0; c < vectors.size(); c++) {
                FieldVector vector = vectors.get(c);
                if (columns[c] != null) {
                    try {
                        copiers[c].copy(columns[c], descriptors[c].getMaxDefinitionLevel(), vector, rows);
                    }
                    catch (RuntimeException e) {
                        throw new SourceRows.BadRow("File " + file.location() + " is corrupt in column '" + table.columnNames().get(c) + "' after row " + rowsRead + ": "
                                + e.getMessage(), true, e);
                    }
                }
                else if (supplied.containsKey(c)) {
                    for (int r = 0; r < rows; r++) {
                        ArrowValues.set(vector, r, supplied.get(c));
                    }
                }
                vector.setValueCount(rows);
                Column column = table.columns().get(c);
                if (!column.nullable() && vector.getNullCount() > 0) {
                    int first = 0;
                    while (!vector.isNull(first)) {
                        first++;
                    }
                    throw new SourceRows.BadRow("File " + file.location() + ", row " + (rowsRead + first + 1) + ": column '" + column.name()
                            + "' is NOT NULL but the row has null", false, null);
                }
            }
            root.setRowCount(rows);
            batches.filled(root);
            groupRowsLeft -= rows;
            rowsRead += rows;
            return root;
        }
        catch (RuntimeException e) {
            root.close();
            throw e;
        }
    }

    long rowsRead()
    {
        return rowsRead;
    }

    /** About how many bytes of the file are read so far (for progress). */
    long bytesRead()
    {
        long total = reader.getRecordCount();
        return total == 0 ? file.size() : (long) ((double) file.size() * rowsRead / total);
    }

    private boolean nextRowGroup()
            throws IOException
    {
        while (true) {
            PageReadStore pages = reader.readNextRowGroup();
            if (pages == null) {
                return false;
            }
            columns = new ColumnReader[descriptors.length];
            for (int c = 0; c < descriptors.length; c++) {
                if (descriptors[c] != null) {
                    columns[c] = ParquetColumnCopier.columnReader(descriptors[c], pages, writer);
                }
            }
            groupRowsLeft = pages.getRowCount();
            if (groupRowsLeft > 0) {
                return true;
            }
        }
    }

    @Override
    public void close()
            throws IOException
    {
        reader.close();
    }
}
