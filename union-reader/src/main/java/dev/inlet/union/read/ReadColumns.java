/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union.read;

import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.union.plan.TableScan;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The columns a split reads: the scan's columns, those its filter tests and, for a primary-key
 * table, the key the merge joins on; in table order. Only the scan's columns are returned.
 */
public final class ReadColumns
{
    private ReadColumns() {}

    public static List<String> of(TableDescriptor table, TableScan scan)
    {
        Set<String> wanted = new HashSet<>(scan.columns());
        wanted.addAll(scan.filter().columns());
        wanted.addAll(table.primaryKey());
        return table.columnNames().stream().filter(wanted::contains).toList();
    }
}
