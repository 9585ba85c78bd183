/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.kv;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.model.AggregateFunction;
import dev.inlet.catalog.model.ChangelogMode;
import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.MergeEngine;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TypeRoot;
import dev.inlet.logstore.arrow.ArrowValues;
import dev.inlet.logstore.protocol.ChangeType;
import org.apache.arrow.vector.FieldVector;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Combines a write with the stored row of its key under the table's merge engine, and says what
 * the changelog records. Rows are arrays in table order.
 *
 * <ul>
 * <li>last_row: the written columns replace the stored ones.</li>
 * <li>first_row: a key's first write is kept; later writes change nothing (an insert-only changelog).</li>
 * <li>versioned: the write wins only if its version column is larger than the stored one (a null
 *     version is smaller than any value); otherwise it changes nothing.</li>
 * <li>aggregation: each written column is folded into the stored value with its function
 *     (null inputs leave sum, min, max, bool_and, bool_or, last_non_null and first_non_null alone;
 *     count counts writes whose value is non-null); columns without a function take the last value.</li>
 * </ul>
 * A partial update (a write naming its target columns) leaves the other columns as stored, and a
 * new key gets null there. A delete removes the key's row under every engine that takes deletes
 * (first_row does not). The auto-increment column is filled from {@code nextId} on a key's first
 * insert and never changes afterwards.
 *
 * <p>Stateless apart from the table definition; thread-safe.
 */
public final class RowMerger
{
    /** One changelog row. */
    public record Change(ChangeType type, Object[] row) {}

    private final TableDescriptor table;
    private final MergeEngine.Kind kind;
    private final int versionIndex;
    private final int autoIncrementIndex;
    private final AggregateFunction[] functions;
    private final boolean beforeImages;

    public RowMerger(TableDescriptor table)
    {
        this.table = table;
        this.kind = table.mergeEngine().kind();
        List<String> names = table.columnNames();
        this.versionIndex = table.mergeEngine().versionColumn().map(names::indexOf).orElse(-1);
        this.autoIncrementIndex = table.autoIncrementColumn().map(names::indexOf).orElse(-1);
        this.functions = new AggregateFunction[names.size()];
        for (int c = 0; c < names.size(); c++) {
            functions[c] = table.mergeEngine().aggregations().getOrDefault(names.get(c), AggregateFunction.LAST_VALUE);
        }
        this.beforeImages = table.changelogMode() == ChangelogMode.FULL;
    }

    public TableDescriptor table()
    {
        return table;
    }

    public int autoIncrementIndex()
    {
        return autoIncrementIndex;
    }

    /**
     * Merges an upsert.
     *
     * @param stored the key's stored row, or null
     * @param input the written row, in table order; only target columns are read
     * @param target which columns the write sets
     * @param nextId hands out a new auto-increment id
     * @param changelog receives the rows to log
     * @return the row to store, or {@code stored} itself if nothing changes
     */
    public Object[] upsert(Object[] stored, Object[] input, boolean[] target, LongSupplier nextId, List<Change> changelog)
    {
        if (stored == null) {
            Object[] row = new Object[input.length];
            for (int c = 0; c < row.length; c++) {
                if (target[c]) {
                    row[c] = kind == MergeEngine.Kind.AGGREGATION && functions[c] == AggregateFunction.COUNT ? count(c, 0L, input[c]) : input[c];
                }
            }
            if (autoIncrementIndex >= 0) {
                long id = nextId.getAsLong();
                row[autoIncrementIndex] = table.columns().get(autoIncrementIndex).type().root() == TypeRoot.INT ? (Object) Math.toIntExact(id) : (Object) id;
            }
            changelog.add(new Change(ChangeType.INSERT, row));
            return row;
        }
        Object[] row = switch (kind) {
            case FIRST_ROW -> null;
            case VERSIONED -> compare(input[versionIndex], stored[versionIndex]) > 0 ? overlay(stored, input, target) : null;
            case LAST_ROW -> overlay(stored, input, target);
            case AGGREGATION -> aggregate(stored, input, target);
        };
        if (row == null) {
            return stored;
        }
        if (beforeImages) {
            changelog.add(new Change(ChangeType.UPDATE_BEFORE, stored));
        }
        changelog.add(new Change(ChangeType.UPDATE_AFTER, row));
        return row;
    }

    /**
     * Merges an upsert on encoded rows: row {@code row} of an upsert batch ({@code batch[c]} is the
     * batch's vector of table column {@code c}) with the key's stored value, read and written in
     * place by {@code codec}. Same rules as {@link #upsert(Object[], Object[], boolean[],
     * LongSupplier, List)}; only the aggregation engine makes objects of the values.
     *
     * @param stored the key's stored value (any schema of the table), or null
     * @return the value to store, or {@code stored} itself if nothing changes
     */
    public byte[] upsert(byte[] stored, FieldVector[] batch, int row, boolean[] target, LongSupplier nextId, RowCodec codec, TableSchema schema)
    {
        if (kind == MergeEngine.Kind.AGGREGATION) {
            Object[] storedRow = stored == null ? null : codec.decode(stored, schema);
            Object[] input = new Object[batch.length];
            for (int c = 0; c < batch.length; c++) {
                if (target[c]) {
                    input[c] = ArrowValues.get(batch[c], row);
                }
            }
            Object[] merged = upsert(storedRow, input, target, nextId, new ArrayList<>(2));
            return merged == storedRow ? stored : codec.encode(merged, schema);
        }
        if (stored == null) {
            return codec.encode(schema, batch, row, target, null, autoIncrementIndex, autoIncrementIndex < 0 ? 0 : nextId.getAsLong());
        }
        boolean wins = switch (kind) {
            case FIRST_ROW -> false;
            case VERSIONED -> compare(ArrowValues.get(batch[versionIndex], row), codec.decodeColumn(stored, schema, versionIndex)) > 0;
            case LAST_ROW -> true;
            case AGGREGATION -> throw new IllegalStateException("merged above");
        };
        // the auto-increment column is never a target: it keeps its stored id
        return wins ? codec.encode(schema, batch, row, target, stored, -1, 0) : stored;
    }

    /** Whether an update logs the row before it ({@code -U}) as well as after ({@code +U}). */
    public boolean beforeImages()
    {
        return beforeImages;
    }

    /** Merges a delete: returns null (the key's row is gone) or {@code null} with nothing logged for a missing key. */
    public Object[] delete(Object[] stored, List<Change> changelog)
    {
        if (stored != null) {
            changelog.add(new Change(ChangeType.DELETE, stored));
        }
        return null;
    }

    private Object[] overlay(Object[] stored, Object[] input, boolean[] target)
    {
        Object[] row = stored.clone();
        for (int c = 0; c < row.length; c++) {
            if (target[c] && c != autoIncrementIndex) {
                row[c] = input[c];
            }
        }
        return row;
    }

    private Object[] aggregate(Object[] stored, Object[] input, boolean[] target)
    {
        Object[] row = stored.clone();
        for (int c = 0; c < row.length; c++) {
            if (!target[c] || c == autoIncrementIndex) {
                continue;
            }
            Object in = input[c];
            Object old = stored[c];
            row[c] = switch (functions[c]) {
                case LAST_VALUE -> in;
                case LAST_NON_NULL -> in != null ? in : old;
                case FIRST_NON_NULL -> old != null ? old : in;
                case SUM -> in == null ? old : old == null ? in : sum(c, old, in);
                case MIN -> in == null ? old : old == null ? in : compare(in, old) < 0 ? in : old;
                case MAX -> in == null ? old : old == null ? in : compare(in, old) > 0 ? in : old;
                case COUNT -> count(c, old, in);
                case BOOL_AND -> in == null ? old : old == null ? in : (Boolean) old && (Boolean) in;
                case BOOL_OR -> in == null ? old : old == null ? in : (Boolean) old || (Boolean) in;
            };
        }
        return row;
    }

    private Object count(int c, Object old, Object in)
    {
        long previous = old == null ? 0 : ((Number) old).longValue();
        long now = previous + (in != null ? 1 : 0);
        return table.columns().get(c).type().root() == TypeRoot.INT ? (Object) Math.toIntExact(now) : (Object) now;
    }

    private Object sum(int c, Object a, Object b)
    {
        Column column = table.columns().get(c);
        try {
            return switch (column.type().root()) {
                case TINYINT -> {
                    int sum = (Byte) a + (Byte) b;
                    yield sum == (byte) sum ? (Object) (byte) sum : overflow(column, a, b);
                }
                case SMALLINT -> {
                    int sum = (Short) a + (Short) b;
                    yield sum == (short) sum ? (Object) (short) sum : overflow(column, a, b);
                }
                case INT -> Math.addExact((Integer) a, (Integer) b);
                case BIGINT -> Math.addExact((Long) a, (Long) b);
                case FLOAT -> (Float) a + (Float) b;
                case DOUBLE -> (Double) a + (Double) b;
                case DECIMAL -> {
                    BigDecimal sum = ((BigDecimal) a).add((BigDecimal) b);
                    if (sum.precision() - sum.scale() > column.type().precision() - column.type().scale()) {
                        yield overflow(column, a, b);
                    }
                    yield sum;
                }
                default -> throw new IllegalStateException("sum over " + column.type());
            };
        }
        catch (ArithmeticException e) {
            return overflow(column, a, b);
        }
    }

    private Object overflow(Column column, Object a, Object b)
    {
        throw new InletException(InletErrorCode.INVALID_ROW, "The sum of column '" + column.name() + "' overflows its type " + column.type() + ": " + a + " + " + b);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compare(Object a, Object b)
    {
        if (a == null) {
            return b == null ? 0 : -1;
        }
        if (b == null) {
            return 1;
        }
        return ((Comparable) a).compareTo(b);
    }
}
