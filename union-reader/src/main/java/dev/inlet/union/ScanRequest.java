/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union;

import dev.inlet.catalog.model.TablePath;
import dev.inlet.union.filter.Filter;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What a union read asks for: a table, the columns to return (all if empty), the rows (the filter)
 * and at most how many (-1: all); with {@code lakeOnly}, the lake snapshot alone, without the
 * hot tail (what the lake holds now).
 */
public record ScanRequest(TablePath table, Optional<List<String>> columns, Filter filter, long limit, boolean lakeOnly)
{
    public ScanRequest(TablePath table, Optional<List<String>> columns, Filter filter, long limit)
    {
        this(table, columns, filter, limit, false);
    }

    public ScanRequest
    {
        requireNonNull(table, "table is null");
        columns = requireNonNull(columns, "columns is null").map(List::copyOf);
        requireNonNull(filter, "filter is null");
        if (limit < -1) {
            throw new IllegalArgumentException("limit must be -1 (none) or at least 0: " + limit);
        }
    }

    /** Every column and row of the table. */
    public static ScanRequest of(String table)
    {
        return new ScanRequest(TablePath.parse(table), Optional.empty(), Filter.all(), -1);
    }

    public ScanRequest withColumns(List<String> columns)
    {
        return new ScanRequest(table, Optional.of(columns), filter, limit, lakeOnly);
    }

    public ScanRequest withFilter(Filter filter)
    {
        return new ScanRequest(table, columns, filter, limit, lakeOnly);
    }

    public ScanRequest withLimit(long limit)
    {
        return new ScanRequest(table, columns, filter, limit, lakeOnly);
    }

    /** The lake snapshot alone, without the hot rows it does not hold yet. */
    public ScanRequest withLakeOnly()
    {
        return new ScanRequest(table, columns, filter, limit, true);
    }
}
