/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering.backfill;

import dev.inlet.catalog.lake.iceberg.ParquetInput;
import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.TableDescriptor;
import org.apache.iceberg.io.InputFile;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Parquet file, read with Parquet's own reader (row group by row group, no Hadoop file
 * system). Its top-level columns are matched to the table's by name, case-insensitively; a column
 * the table lacks, a nested or repeated column, or a missing NOT NULL column stops the file before
 * any row. Values take Parquet's logical types (dates, timestamps with and without UTC adjustment,
 * decimals, strings, INT96 timestamps) and then the lossless {@link Coercions}.
 */
final class ParquetSourceRows
        implements SourceRows
{
    private static final long JULIAN_DAY_OF_EPOCH = 2_440_588;

    private final SourceFile file;
    private final TableDescriptor table;
    private final ParquetFileReader reader;
    private final MessageType schema;
    private final MessageColumnIO columnIO;
    // per field of the file: the table column it fills
    private final int[] target;
    private final java.util.Set<String> supplied;
    private final long recordCount;
    private RecordReader<Group> records;
    private long remaining;
    private long position;

    ParquetSourceRows(SourceFile file, InputFile input, TableDescriptor table, java.util.Set<String> supplied)
            throws IOException
    {
        this.supplied = supplied;
        this.file = file;
        this.table = table;
        try {
            this.reader = ParquetFileReader.open(new ParquetInput(input), ParquetReadOptions.builder().build());
        }
        catch (IOException | RuntimeException e) {
            throw new BadRow("File " + file.location() + " is not a readable Parquet file: " + e.getMessage(), true, e);
        }
        try {
            this.schema = reader.getFooter().getFileMetaData().getSchema();
            this.target = match();
            this.columnIO = new ColumnIOFactory().getColumnIO(schema);
            this.recordCount = reader.getRecordCount();
        }
        catch (RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    private int[] match()
    {
        List<Type> fields = schema.getFields();
        int[] columns = new int[fields.size()];
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < fields.size(); i++) {
            Type field = fields.get(i);
            String name = field.getName().toLowerCase(Locale.ROOT);
            columns[i] = table.columnNames().indexOf(name);
            if (columns[i] < 0) {
                throw new BadRow("File " + file.location() + " has column '" + field.getName() + "', which the table lacks; its columns are " + table.columnNames(), true, null);
            }
            if (!field.isPrimitive() || field.isRepetition(Type.Repetition.REPEATED)) {
                throw new BadRow("File " + file.location() + ": column '" + field.getName() + "' is a nested or repeated Parquet field; a backfill reads flat columns", true, null);
            }
            seen.add(name);
        }
        for (Column c : table.columns()) {
            if (table.autoIncrementColumn().filter(c.name()::equals).isPresent() && seen.contains(c.name())) {
                throw new BadRow("File " + file.location() + " has column '" + c.name() + "', the table's auto-increment column: the server assigns it", true, null);
            }
            if (!c.nullable() && !seen.contains(c.name()) && !supplied.contains(c.name())) {
                throw new BadRow("File " + file.location() + " lacks column '" + c.name() + "', which is NOT NULL in the table", true, null);
            }
        }
        return columns;
    }

    @Override
    public Object[] next()
            throws IOException
    {
        Group group;
        try {
            while (remaining == 0) {
                PageReadStore pages = reader.readNextRowGroup();
                if (pages == null) {
                    return null;
                }
                remaining = pages.getRowCount();
                records = columnIO.getRecordReader(pages, new GroupRecordConverter(schema));
            }
            position++;
            remaining--;
            group = records.read();
        }
        catch (IOException | RuntimeException e) {
            throw new BadRow("File " + file.location() + " is corrupt at row " + position + ": " + e.getMessage(), true, e);
        }
        Object[] row = new Object[table.columns().size()];
        for (int i = 0; i < target.length; i++) {
            if (group.getFieldRepetitionCount(i) == 0) {
                continue;
            }
            Column column = table.columns().get(target[i]);
            try {
                row[target[i]] = Coercions.coerce(column.type(), value(group, i, schema.getType(i).asPrimitiveType()));
            }
            catch (IllegalArgumentException e) {
                throw new BadRow("File " + file.location() + ", row " + position + ", column '" + column.name() + "': " + e.getMessage(), false, e);
            }
        }
        return row;
    }

    private static Object value(Group group, int field, PrimitiveType type)
    {
        LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
        return switch (type.getPrimitiveTypeName()) {
            case BOOLEAN -> group.getBoolean(field, 0);
            case INT32 -> {
                int v = group.getInteger(field, 0);
                if (logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
                    yield LocalDate.ofEpochDay(v);
                }
                yield logical instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation d ? BigDecimal.valueOf(v, d.getScale()) : (Object) v;
            }
            case INT64 -> {
                long v = group.getLong(field, 0);
                if (logical instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation t) {
                    Instant instant = switch (t.getUnit()) {
                        case MILLIS -> Instant.ofEpochMilli(v);
                        case MICROS -> Instant.ofEpochSecond(Math.floorDiv(v, 1_000_000L), Math.floorMod(v, 1_000_000L) * 1_000L);
                        case NANOS -> Instant.ofEpochSecond(Math.floorDiv(v, 1_000_000_000L), Math.floorMod(v, 1_000_000_000L));
                    };
                    yield t.isAdjustedToUTC() ? instant : LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
                }
                yield logical instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation d ? BigDecimal.valueOf(v, d.getScale()) : (Object) v;
            }
            case INT96 -> {
                // the legacy timestamp: nanoseconds of the day, then the Julian day, little-endian
                ByteBuffer bytes = group.getInt96(field, 0).toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                long nanos = bytes.getLong();
                long day = bytes.getInt() - JULIAN_DAY_OF_EPOCH;
                yield Instant.ofEpochSecond(day * 86_400L, nanos);
            }
            case FLOAT -> group.getFloat(field, 0);
            case DOUBLE -> group.getDouble(field, 0);
            case BINARY, FIXED_LEN_BYTE_ARRAY -> {
                Binary binary = group.getBinary(field, 0);
                if (logical instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation d) {
                    yield new BigDecimal(new BigInteger(binary.getBytes()), d.getScale());
                }
                boolean text = logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation || logical instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
                        || logical instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation;
                yield text ? binary.toStringUsingUTF8() : binary.getBytes();
            }
        };
    }

    @Override
    public long bytesRead()
    {
        return recordCount == 0 ? file.size() : (long) ((double) file.size() * position / recordCount);
    }

    @Override
    public long position()
    {
        return position;
    }

    @Override
    public void close()
            throws IOException
    {
        reader.close();
    }
}
