/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.protocol;

import dev.inlet.catalog.bucket.BucketFunction;
import dev.inlet.catalog.model.TableDescriptor;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * Where a row of a table goes: its partition (from the partition-key values) and its bucket (from
 * the bucket-key values, by the table's lake-aligned {@link BucketFunction}). A log table without
 * a bucket key spreads rows round-robin by batch ({@link #nextFreeBucket()}). The client routes
 * rows with it, and the server checks the client's routing with the same code. Thread-safe.
 */
public final class RowRouter
{
    private final TableDescriptor table;
    private final int[] partitionColumns;
    private final int[] bucketColumns;
    private final BucketFunction bucketFunction;
    private final AtomicInteger roundRobin = new AtomicInteger();

    public RowRouter(TableDescriptor table)
    {
        this.table = requireNonNull(table, "table is null");
        List<String> names = table.columnNames();
        this.partitionColumns = table.partitionKeys().stream().mapToInt(names::indexOf).toArray();
        this.bucketColumns = table.effectiveBucketKey().stream().mapToInt(names::indexOf).toArray();
        this.bucketFunction = bucketColumns.length == 0 ? null : BucketFunction.forTable(table);
    }

    public boolean hasBucketKey()
    {
        return bucketFunction != null;
    }

    public int[] partitionColumns()
    {
        return partitionColumns.clone();
    }

    public int[] bucketColumns()
    {
        return bucketColumns.clone();
    }

    /** The partition of a row given as values of every column in table order. */
    public String partition(Object[] row)
    {
        if (partitionColumns.length == 0) {
            return "";
        }
        Object[] values = new Object[partitionColumns.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = row[partitionColumns[i]];
        }
        return PartitionNames.name(table, values);
    }

    /** The bucket of a row given as values of every column in table order; needs a bucket key. */
    public int bucket(Object[] row)
    {
        if (bucketFunction == null) {
            throw new IllegalStateException("the table has no bucket key; use nextFreeBucket()");
        }
        Object[] values = new Object[bucketColumns.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = row[bucketColumns[i]];
        }
        return bucketFunction.bucket(values);
    }

    /** The bucket of the next batch of a table without a bucket key (round-robin). */
    public int nextFreeBucket()
    {
        return Math.floorMod(roundRobin.getAndIncrement(), table.bucketCount());
    }
}
