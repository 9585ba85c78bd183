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

/**
 * Reads rows for {@code inlet write}: CSV with a header line naming the columns, or JSON lines
 * (one object per line, keys are column names). Columns the input does not name are null. Every
 * error names the line and the column.
 */
final class RowReader
{
    enum Format
    {
        CSV,
        JSON
    }

    private RowReader() {}

    /** All rows of the input, each with every column's value in table order. */
    static List<Object[]> readAll(TablePath path, TableDescriptor table, BufferedReader in, Format format)
            throws IOException
    {
        return format == Format.CSV ? csv(path, table, in) : json(path, table, in);
    }

    private static List<Object[]> csv(TablePath path, TableDescriptor table, BufferedReader in)
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
            target[i] = columnIndex(path, table, header.get(i) == null ? "" : header.get(i).strip(), 1);
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
                row[target[i]] = value(path, table.columns().get(target[i]), fields.get(i), line);
            }
            rows.add(row);
        }
    }

    private static List<Object[]> json(TablePath path, TableDescriptor table, BufferedReader in)
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
                int index = columnIndex(path, table, field.getKey(), line);
                JsonNode v = field.getValue();
                if (!v.isNull() && !v.isValueNode()) {
                    throw invalid(path, "line " + line + ": column '" + field.getKey() + "' must be a string, number or boolean");
                }
                row[index] = value(path, table.columns().get(index), v.isNull() ? null : v.asText(), line);
            }
            rows.add(row);
        }
        return rows;
    }

    private static int columnIndex(TablePath path, TableDescriptor table, String name, int line)
    {
        int index = table.columnNames().indexOf(name.toLowerCase(java.util.Locale.ROOT));
        if (index < 0) {
            throw invalid(path, "line " + line + ": unknown column '" + name + "'; columns are " + table.columnNames());
        }
        return index;
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
