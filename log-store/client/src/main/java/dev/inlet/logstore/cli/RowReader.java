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
 * Reads rows for {@code inlet write}: CSV with a header line naming the columns, or JSON lines
 * (one object per line, keys are column names). Columns the input does not name are null. Which
 * columns an input may name, which are read and which need a value is given by
 * {@link InputColumns}. Every error names the line and the column.
 */
final class RowReader
{
    enum Format
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
    record InputColumns(List<String> allowed, String allowedBy, List<String> read, List<String> required)
    {
        InputColumns
        {
            allowed = List.copyOf(requireNonNull(allowed, "allowed is null"));
            requireNonNull(allowedBy, "allowedBy is null");
            read = List.copyOf(requireNonNull(read, "read is null"));
            required = List.copyOf(requireNonNull(required, "required is null"));
        }

        /** Every column may be named and is read; nothing is required (the writer checks rows). */
        static InputColumns all(TableDescriptor table)
        {
            return new InputColumns(table.columnNames(), "the table", table.columnNames(), List.of());
        }
    }

    private RowReader() {}

    /** All rows of the input, each with every column's value in table order. */
    static List<Object[]> readAll(TablePath path, TableDescriptor table, BufferedReader in, Format format)
            throws IOException
    {
        return readAll(path, table, in, format, InputColumns.all(table));
    }

    /** All rows of the input, each with every column's value in table order (null where not read). */
    static List<Object[]> readAll(TablePath path, TableDescriptor table, BufferedReader in, Format format, InputColumns columns)
            throws IOException
    {
        return format == Format.CSV ? csv(path, table, in, columns) : json(path, table, in, columns);
    }

    private static List<Object[]> csv(TablePath path, TableDescriptor table, BufferedReader in, InputColumns columns)
            throws IOException
    {
        CsvReader csv = new CsvReader(in);
        List<String> header;
        try {
            header = csv.next();
        }
        catch (IOException e) {
            throw invalid(path, e.getMessage());
        }
        if (header == null) {
            return List.of();
        }
        int[] target = new int[header.size()];
        for (int i = 0; i < header.size(); i++) {
            target[i] = columnIndex(path, table, columns, header.get(i) == null ? "" : header.get(i).strip(), 1);
        }
        List<Object[]> rows = new ArrayList<>();
        while (true) {
            List<String> fields;
            try {
                fields = csv.next();
            }
            catch (IOException e) {
                throw invalid(path, e.getMessage());
            }
            if (fields == null) {
                return rows;
            }
            int line = csv.recordLine();
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
            rows.add(checkRequired(path, table, columns, row, line));
        }
    }

    private static List<Object[]> json(TablePath path, TableDescriptor table, BufferedReader in, InputColumns columns)
            throws IOException
    {
        ObjectMapper mapper = new ObjectMapper();
        List<Object[]> rows = new ArrayList<>();
        int line = 0;
        for (String text = in.readLine(); text != null; text = in.readLine()) {
            line++;
            if (text.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = mapper.readTree(text);
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
            rows.add(checkRequired(path, table, columns, row, line));
        }
        return rows;
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
