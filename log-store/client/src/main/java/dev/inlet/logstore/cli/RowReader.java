/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TablePath;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Reads rows for {@code inlet write} and {@code inlet backfill}: CSV with a header line naming the
 * columns, or JSON lines (one object per line, keys are column names). Columns the input does not
 * name are null. Which columns an input may name, which are read and which need a value is given
 * by {@link InputColumns}. Every error names the line and the column.
 *
 * <p>{@link #open} streams: rows are parsed one at a time, and a bad row fails alone (the next call
 * goes on with the line after it), so that a caller may skip bad rows instead of stopping.
 */
public final class RowReader
{
    public enum Format
    {
        CSV,
        JSON
    }

    /**
     * Which columns an input may name, and what is done with them.
     *
     * @param allowed the columns the input may name; naming another one is an error
     * @param allowedBy what limits the input to {@code allowed}, for that error (e.g. "--columns")
     * @param read the columns whose values are parsed; the values of the others are not looked at
     *     and stay null
     * @param required the columns every row needs a value in
     */
    public record InputColumns(List<String> allowed, String allowedBy, List<String> read, List<String> required)
    {
        public InputColumns
        {
            allowed = List.copyOf(requireNonNull(allowed, "allowed is null"));
            requireNonNull(allowedBy, "allowedBy is null");
            read = List.copyOf(requireNonNull(read, "read is null"));
            required = List.copyOf(requireNonNull(required, "required is null"));
        }

        /** Every column may be named and is read; nothing is required (the writer checks rows). */
        public static InputColumns all(TableDescriptor table)
        {
            return new InputColumns(table.columnNames(), "the table", table.columnNames(), List.of());
        }
    }

    /** Rows read one at a time. */
    public interface Rows
    {
        /**
         * The next row, with every column's value in table order (null where not read), or null at
         * the end of the input.
         *
         * @throws InletException {@code INVALID_ROW} naming the line and column of a bad row; the
         *     next call reads on after it, unless the input itself is unreadable (a bad header, an
         *     unterminated quote), which fails every call
         */
        Object[] next()
                throws IOException;

        /** The line of the row {@link #next} returned or failed on last (a CSV row may span lines: its first). */
        int line();

        /** False once the input itself proved unreadable: every further call fails the same way. */
        default boolean readable()
        {
            return true;
        }
    }

    private RowReader() {}

    /** All rows of the input, each with every column's value in table order. */
    static List<Object[]> readAll(TablePath path, TableDescriptor table, BufferedReader in, Format format)
            throws IOException
    {
        return readAll(path, table, in, format, InputColumns.all(table));
    }

    /** All rows of the input, each with every column's value in table order (null where not read); the first bad row stops it. */
    static List<Object[]> readAll(TablePath path, TableDescriptor table, BufferedReader in, Format format, InputColumns columns)
            throws IOException
    {
        Rows rows = open(path, table, in, format, columns);
        List<Object[]> all = new ArrayList<>();
        for (Object[] row = rows.next(); row != null; row = rows.next()) {
            all.add(row);
        }
        return all;
    }

    /** Streams the rows of the input. */
    public static Rows open(TablePath path, TableDescriptor table, BufferedReader in, Format format, InputColumns columns)
    {
        return format == Format.CSV ? new CsvRows(path, table, in, columns) : new JsonLines(path, table, in, columns);
    }

    private static final class CsvRows
            implements Rows
    {
        private final TablePath path;
        private final TableDescriptor table;
        private final CsvReader csv;
        private final InputColumns columns;
        private List<String> header;
        private int[] target;
        private InletException broken;
        private int line;

        CsvRows(TablePath path, TableDescriptor table, BufferedReader in, InputColumns columns)
        {
            this.path = path;
            this.table = table;
            this.csv = new CsvReader(in);
            this.columns = columns;
        }

        @Override
        public Object[] next()
                throws IOException
        {
            if (broken != null) {
                throw broken;
            }
            if (header == null) {
                List<String> names = read();
                if (names == null) {
                    return null;
                }
                try {
                    int[] columnOf = new int[names.size()];
                    for (int i = 0; i < names.size(); i++) {
                        columnOf[i] = columnIndex(path, table, columns, names.get(i) == null ? "" : names.get(i).strip(), 1);
                    }
                    target = columnOf;
                    header = names;
                }
                catch (InletException e) {
                    broken = e;
                    throw e;
                }
            }
            while (true) {
                List<String> fields = read();
                if (fields == null) {
                    return null;
                }
                line = csv.recordLine();
                if (fields.size() == 1 && fields.getFirst() == null) {
                    continue; // blank line
                }
                if (fields.size() != header.size()) {
                    throw invalid(path, "line " + line + ": " + fields.size() + " fields, but the header names " + header.size() + " columns");
                }
                Object[] row = new Object[table.columns().size()];
                for (int i = 0; i < fields.size(); i++) {
                    Column column = table.columns().get(target[i]);
                    if (columns.read().contains(column.name())) {
                        row[target[i]] = value(path, column, fields.get(i), line);
                    }
                }
                return checkRequired(path, table, columns, row, line);
            }
        }

        private List<String> read()
                throws IOException
        {
            try {
                return csv.next();
            }
            catch (IOException e) {
                broken = invalid(path, e.getMessage());
                throw broken;
            }
        }

        @Override
        public int line()
        {
            return line;
        }

        @Override
        public boolean readable()
        {
            return broken == null;
        }
    }

    private static final class JsonLines
            implements Rows
    {
        private static final ObjectMapper MAPPER = new ObjectMapper();

        private final TablePath path;
        private final TableDescriptor table;
        private final BufferedReader in;
        private final InputColumns columns;
        private int line;

        JsonLines(TablePath path, TableDescriptor table, BufferedReader in, InputColumns columns)
        {
            this.path = path;
            this.table = table;
            this.in = in;
            this.columns = columns;
        }

        @Override
        public Object[] next()
                throws IOException
        {
            for (String text = in.readLine(); text != null; text = in.readLine()) {
                line++;
                if (text.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = MAPPER.readTree(text);
                }
                catch (IOException e) {
                    throw invalid(path, "line " + line + ": not JSON: " + e.getMessage().lines().findFirst().orElse(""));
                }
                if (!node.isObject()) {
                    throw invalid(path, "line " + line + ": expected a JSON object, got " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
                }
                Object[] row = new Object[table.columns().size()];
                Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    int index = columnIndex(path, table, columns, field.getKey(), line);
                    JsonNode v = field.getValue();
                    if (!v.isNull() && !v.isValueNode()) {
                        throw invalid(path, "line " + line + ": column '" + field.getKey() + "' must be a string, number or boolean");
                    }
                    Column column = table.columns().get(index);
                    if (columns.read().contains(column.name())) {
                        row[index] = value(path, column, v.isNull() ? null : v.asText(), line);
                    }
                }
                return checkRequired(path, table, columns, row, line);
            }
            return null;
        }

        @Override
        public int line()
        {
            return line;
        }
    }

    private static int columnIndex(TablePath path, TableDescriptor table, InputColumns columns, String name, int line)
    {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        int index = table.columnNames().indexOf(lower);
        if (index < 0) {
            throw invalid(path, "line " + line + ": unknown column '" + name + "'; columns are " + table.columnNames());
        }
        if (!columns.allowed().contains(lower)) {
            if (table.autoIncrementColumn().filter(lower::equals).isPresent()) {
                throw invalid(path, "line " + line + ": column '" + lower + "' is the auto-increment column; the server assigns it");
            }
            throw invalid(path, "line " + line + ": column '" + lower + "' is not one of " + columns.allowedBy() + " " + columns.allowed());
        }
        return index;
    }

    private static Object[] checkRequired(TablePath path, TableDescriptor table, InputColumns columns, Object[] row, int line)
    {
        for (String name : columns.required()) {
            if (row[table.columnNames().indexOf(name)] == null) {
                throw invalid(path, "line " + line + ": " + (table.primaryKey().contains(name) ? "primary-key column '" + name + "' has no value"
                        : "column '" + name + "' is NOT NULL but has no value"));
            }
        }
        return row;
    }

    private static Object value(TablePath path, Column column, String text, int line)
    {
        try {
            return TextValues.parse(column.type(), text);
        }
        catch (IllegalArgumentException e) {
            throw invalid(path, "line " + line + ", column '" + column.name() + "': " + e.getMessage());
        }
    }

    private static InletException invalid(TablePath path, String problem)
    {
        return new InletException(InletErrorCode.INVALID_ROW, "Invalid input for table " + path + ": " + problem);
    }
}
