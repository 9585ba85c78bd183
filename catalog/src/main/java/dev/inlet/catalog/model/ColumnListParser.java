/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.model;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a column list as people type it on a command line:
 * {@code order_id BIGINT NOT NULL, user_id STRING, amount DECIMAL(12,2) COMMENT 'in EUR'}.
 * Commas inside parentheses and quotes do not split columns. Columns get ids 1, 2, 3, ... in order.
 */
public final class ColumnListParser
{
    private static final Pattern COLUMN = Pattern.compile(
            "(?is)\\s*(\\S+)\\s+(.+?)(\\s+NOT\\s+NULL|\\s+NULL)?(?:\\s+COMMENT\\s+'((?:[^']|'')*)')?\\s*");

    private ColumnListParser() {}

    /**
     * @param table the table the columns are for, named in errors
     * @throws InletException {@link InletErrorCode#INVALID_TABLE_DEFINITION} naming the column text
     */
    public static List<Column> parse(String table, String text)
    {
        List<Column> columns = new ArrayList<>();
        int id = 1;
        for (String part : split(text)) {
            if (part.isBlank()) {
                throw new InletException(InletErrorCode.INVALID_TABLE_DEFINITION, "Invalid table " + table + ": empty column definition in '" + text.strip() + "'");
            }
            columns.add(parseOne(table, part, id++));
        }
        return columns;
    }

    /** Reads one column definition, e.g. {@code note STRING}, giving it {@code id}. */
    public static Column parseOne(String table, String text, int id)
    {
        Matcher m = COLUMN.matcher(text);
        if (!m.matches()) {
            throw new InletException(InletErrorCode.INVALID_TABLE_DEFINITION, "Invalid table " + table + ": column definition '" + text.strip()
                    + "' must be '<name> <type> [NOT NULL] [COMMENT '<text>']'");
        }
        String name = m.group(1);
        DataType type;
        try {
            type = DataType.parse(m.group(2));
        }
        catch (IllegalArgumentException e) {
            throw new InletException(InletErrorCode.INVALID_TABLE_DEFINITION, "Invalid table " + table + ": column '" + name + "': " + e.getMessage(), e);
        }
        boolean nullable = m.group(3) == null || !m.group(3).strip().toUpperCase(Locale.ROOT).startsWith("NOT");
        Optional<String> comment = Optional.ofNullable(m.group(4)).map(c -> c.replace("''", "'"));
        return new Column(id, name, type, nullable, comment);
    }

    private static List<String> split(String text)
    {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        StringBuilder current = new StringBuilder();
        for (char ch : text.toCharArray()) {
            if (ch == '\'') {
                quoted = !quoted;
            }
            else if (!quoted && ch == '(') {
                depth++;
            }
            else if (!quoted && ch == ')') {
                depth--;
            }
            if (ch == ',' && depth == 0 && !quoted) {
                parts.add(current.toString());
                current.setLength(0);
            }
            else {
                current.append(ch);
            }
        }
        parts.add(current.toString());
        return parts;
    }
}
