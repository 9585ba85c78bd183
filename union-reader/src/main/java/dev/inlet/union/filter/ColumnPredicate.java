/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union.filter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One condition on one column: its value is one of a set, on one side of a bound, or (not) null.
 * Values are Java values of the column's type ({@link dev.inlet.catalog.model.TypeRoot#javaClass()}).
 * A null row value satisfies only {@link Op#IS_NULL}.
 *
 * @param column the column's name
 * @param op what the value must be
 * @param values the operand: the set for {@link Op#IN}, one bound for the comparisons, none for the null tests
 */
public record ColumnPredicate(String column, Op op, List<Object> values)
{
    public enum Op
    {
        IN, LT, LE, GT, GE, IS_NULL, NOT_NULL
    }

    public ColumnPredicate
    {
        requireNonNull(column, "column is null");
        requireNonNull(op, "op is null");
        // List.copyOf refuses nulls, which is what a predicate operand must not hold either
        values = List.copyOf(requireNonNull(values, "values is null"));
        int expected = switch (op) {
            case IN -> -1;
            case LT, LE, GT, GE -> 1;
            case IS_NULL, NOT_NULL -> 0;
        };
        if (expected >= 0 && values.size() != expected) {
            throw new IllegalArgumentException(op + " on column '" + column + "' takes " + expected + " values, not " + values.size());
        }
        if (op == Op.IN && values.isEmpty()) {
            throw new IllegalArgumentException("IN on column '" + column + "' needs at least one value");
        }
    }

    public static ColumnPredicate equal(String column, Object value)
    {
        return new ColumnPredicate(column, Op.IN, List.of(value));
    }

    public static ColumnPredicate in(String column, Object... values)
    {
        List<Object> list = new ArrayList<>();
        Collections.addAll(list, values);
        return new ColumnPredicate(column, Op.IN, list);
    }

    public static ColumnPredicate compare(String column, Op op, Object bound)
    {
        return new ColumnPredicate(column, op, List.of(bound));
    }

    public static ColumnPredicate isNull(String column)
    {
        return new ColumnPredicate(column, Op.IS_NULL, List.of());
    }

    public static ColumnPredicate notNull(String column)
    {
        return new ColumnPredicate(column, Op.NOT_NULL, List.of());
    }

    /** Whether a value (null for a null) satisfies the predicate. */
    public boolean test(Object value)
    {
        if (value == null) {
            return op == Op.IS_NULL;
        }
        return switch (op) {
            case IS_NULL -> false;
            case NOT_NULL -> true;
            case IN -> values.stream().anyMatch(v -> Values.compare(value, v) == 0);
            case LT -> Values.compare(value, values.getFirst()) < 0;
            case LE -> Values.compare(value, values.getFirst()) <= 0;
            case GT -> Values.compare(value, values.getFirst()) > 0;
            case GE -> Values.compare(value, values.getFirst()) >= 0;
        };
    }

    @Override
    public String toString()
    {
        return switch (op) {
            case IS_NULL -> column + " IS NULL";
            case NOT_NULL -> column + " IS NOT NULL";
            case IN -> values.size() == 1 ? column + " = " + values.getFirst() : column + " IN " + values;
            case LT -> column + " < " + values.getFirst();
            case LE -> column + " <= " + values.getFirst();
            case GT -> column + " > " + values.getFirst();
            case GE -> column + " >= " + values.getFirst();
        };
    }
}
