/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.model;

import java.util.Locale;

/** How the aggregation merge engine folds a new value of a column into the stored one. */
public enum AggregateFunction
{
    SUM,
    MIN,
    MAX,
    /** Counts the writes that carried a non-null value; the column must be INT or BIGINT. */
    COUNT,
    LAST_NON_NULL,
    FIRST_NON_NULL,
    /** The newest value, null included: what a column without an aggregation gets. */
    LAST_VALUE,
    BOOL_AND,
    BOOL_OR;

    public static AggregateFunction parse(String text)
    {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown aggregate function '" + text + "'; use one of sum, min, max, count, last_non_null, first_non_null, last_value, bool_and, bool_or", e);
        }
    }

    public String id()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
