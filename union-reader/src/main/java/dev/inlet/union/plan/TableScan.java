/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union.plan;

import dev.inlet.catalog.model.TablePath;
import dev.inlet.union.filter.Filter;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What every split of one plan shares: the table (by path and id, so that a table dropped and
 * created again under the same name is noticed), the columns to return, the filter, the limit and
 * the lake snapshot the plan reads.
 *
 * @param columns the columns returned, in this order
 * @param limit the most rows the scan returns, or -1 for no limit
 * @param lakeSnapshotId the lake snapshot read, or -1 if the plan reads the hot store only
 */
public record TableScan(TablePath table, long tableId, List<String> columns, Filter filter, long limit, long lakeSnapshotId)
{
    public TableScan
    {
        requireNonNull(table, "table is null");
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
        requireNonNull(filter, "filter is null");
    }
}
