/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.client;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.catalog.model.TypeRoot;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Checks a row before it is buffered, so that a bad row is refused on its own (with the table,
 * column and value named) and never reaches a batch. Rows are arrays of every column's value in
 * table order, each of the column type's Java class.
 */
public final class RowValidator
{
    private final TablePath path;
    private final List<Column> columns;

    public RowValidator(TablePath path, TableDescriptor table)
    {
        this.path = requireNonNull(path, "path is null");
        this.columns = table.columns();
    }

    /** @return the row with decimals brought to their column's scale */
    public Object[] check(Object[] row)
    {
        if (row == null || row.length != columns.size()) {
            throw invalid("row", "a row needs " + columns.size() + " values (" + columns.stream().map(Column::name).toList() + "), got "
                    + (row == null ? "null" : Integer.toString(row.length)));
        }
        Object[] checked = row.clone();
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            Object value = row[i];
            if (value == null) {
                if (!c.nullable()) {
                    throw invalid("row", "column '" + c.name() + "' is NOT NULL but the row has null");
                }
                continue;
            }
            checked[i] = checkValue(c, value, "row");
        }
        return checked;
    }

    /**
     * Checks the values of some columns (an upsert's target columns; nulls are allowed, the server
     * checks NOT NULL against the merged row).
     *
     * @return the values with decimals brought to their column's scale
     */
    Object[] checkValues(int[] columnIndexes, Object[] values)
    {
        Object[] checked = values.clone();
        for (int i = 0; i < columnIndexes.length; i++) {
            if (values[i] != null) {
                checked[i] = checkValue(columns.get(columnIndexes[i]), values[i], "row");
            }
        }
        return checked;
    }

    private Object checkValue(Column c, Object value, String what)
    {
        TypeRoot root = c.type().root();
        if (!root.javaClass().isInstance(value)) {
            throw invalid(what, "column '" + c.name() + "' of type " + c.type() + " takes " + root.javaClass().getSimpleName() + " values, got "
                    + value.getClass().getSimpleName() + " '" + value + "'");
        }
        if (root == TypeRoot.DECIMAL) {
            BigDecimal d = (BigDecimal) value;
            BigDecimal scaled;
            try {
                scaled = d.setScale(c.type().scale(), RoundingMode.UNNECESSARY);
            }
            catch (ArithmeticException e) {
                throw invalid(what, "column '" + c.name() + "' of type " + c.type() + " cannot hold " + d.toPlainString() + " without rounding");
            }
            if (scaled.precision() > c.type().precision()) {
                throw invalid(what, "column '" + c.name() + "' of type " + c.type() + " cannot hold " + d.toPlainString() + ": too many digits");
            }
            return scaled;
        }
        return value;
    }

    /**
     * Checks a lookup key: the values of the columns at {@code columnIndexes}, none null.
     *
     * @param what names the key in an error, e.g. "lookup key 3"
     * @return the values with decimals brought to their column's scale
     */
    Object[] checkKey(int[] columnIndexes, Object[] key, String what)
    {
        if (key == null || key.length != columnIndexes.length) {
            throw invalid(what, "a key needs " + columnIndexes.length + " values (" + Arrays.stream(columnIndexes).mapToObj(i -> columns.get(i).name()).toList() + "), got "
                    + (key == null ? "null" : Integer.toString(key.length)));
        }
        Object[] checked = key.clone();
        for (int i = 0; i < columnIndexes.length; i++) {
            Column c = columns.get(columnIndexes[i]);
            if (key[i] == null) {
                throw invalid(what, "key column '" + c.name() + "' is null");
            }
            checked[i] = checkValue(c, key[i], what);
        }
        return checked;
    }

    private InletException invalid(String what, String problem)
    {
        return new InletException(InletErrorCode.INVALID_ROW, "Invalid " + what + " for table " + path + ": " + problem);
    }
}
