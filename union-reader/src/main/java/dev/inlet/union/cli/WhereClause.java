/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union.cli;

import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.logstore.cli.TextValues;
import dev.inlet.union.filter.ColumnPredicate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code --where} condition of {@code inlet scan}: {@code COLUMN OP VALUE} with {@code =},
 * {@code <}, {@code <=}, {@code >}, {@code >=}, {@code COLUMN in (V1, V2)}, or
 * {@code COLUMN is [not] null}. Values are written as {@code inlet write} reads them.
 */
final class WhereClause
{
    private static final Pattern NULL_TEST = Pattern.compile("\\s*(\\w+)\\s+is\\s+(not\\s+)?null\\s*", Pattern.CASE_INSENSITIVE);
    private static final Pattern IN = Pattern.compile("\\s*(\\w+)\\s+in\\s*\\((.*)\\)\\s*", Pattern.CASE_INSENSITIVE);
    private static final Pattern COMPARISON = Pattern.compile("\\s*(\\w+)\\s*(<=|>=|=|<|>)\\s*(.*?)\\s*");

    private WhereClause() {}

    /** @throws IllegalArgumentException saying what is wrong with the condition */
    static ColumnPredicate parse(TablePath table, TableDescriptor descriptor, String text)
    {
        Matcher m = NULL_TEST.matcher(text);
        if (m.matches()) {
            String column = column(table, descriptor, m.group(1)).name();
            return m.group(2) == null ? ColumnPredicate.isNull(column) : ColumnPredicate.notNull(column);
        }
        m = IN.matcher(text);
        if (m.matches()) {
            Column column = column(table, descriptor, m.group(1));
            List<Object> values = new ArrayList<>();
            for (String v : m.group(2).split(",")) {
                values.add(value(column, v.strip(), text));
            }
            return new ColumnPredicate(column.name(), ColumnPredicate.Op.IN, values);
        }
        m = COMPARISON.matcher(text);
        if (m.matches()) {
            Column column = column(table, descriptor, m.group(1));
            Object value = value(column, m.group(3), text);
            return switch (m.group(2)) {
                case "=" -> ColumnPredicate.equal(column.name(), value);
                case "<" -> ColumnPredicate.compare(column.name(), ColumnPredicate.Op.LT, value);
                case "<=" -> ColumnPredicate.compare(column.name(), ColumnPredicate.Op.LE, value);
                case ">" -> ColumnPredicate.compare(column.name(), ColumnPredicate.Op.GT, value);
                default -> ColumnPredicate.compare(column.name(), ColumnPredicate.Op.GE, value);
            };
        }
        throw new IllegalArgumentException("--where '" + text + "' is not COLUMN =|<|<=|>|>= VALUE, COLUMN in (V1, V2, ...) or COLUMN is [not] null");
    }

    private static Column column(TablePath table, TableDescriptor descriptor, String name)
    {
        return descriptor.column(name.toLowerCase(Locale.ROOT))
                .orElseThrow(() -> new IllegalArgumentException("table " + table + " has no column '" + name + "'; its columns are " + descriptor.columnNames()));
    }

    private static Object value(Column column, String text, String where)
    {
        String unquoted = text.length() >= 2 && text.startsWith("'") && text.endsWith("'") ? text.substring(1, text.length() - 1) : text;
        Object value = TextValues.parse(column.type(), unquoted);
        if (value == null) {
            throw new IllegalArgumentException("--where '" + where + "': no value for column '" + column.name() + "'; use 'is null' to test for null");
        }
        return value;
    }
}
