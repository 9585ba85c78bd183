/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.bucket;

import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.TableDescriptor;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Picks a row's bucket from the values of its bucket-key columns, exactly as the table's lake
 * format picks the lake bucket for that row: Inlet keeps one hot bucket as exactly one lake bucket,
 * so tiering never has to reshuffle rows and a reader can pair a hot bucket with its lake bucket.
 *
 * <p>Implementations are immutable and thread-safe, and depend on no lake library: they run in the
 * hot-store client and in the Trino plugin.
 */
public interface BucketFunction
{
    /**
     * The bucket, from 0 to {@link #bucketCount()} - 1, of a row whose bucket-key columns hold
     * {@code bucketKeyValues}, in the order of the table's effective bucket key. Each value has its
     * column type's Java class ({@link dev.inlet.catalog.model.TypeRoot#javaClass()}), or is null
     * where the column is nullable.
     *
     * @throws IllegalArgumentException if the number of values, a value's class, or a null does not
     *     fit the bucket-key columns
     */
    int bucket(Object[] bucketKeyValues);

    /** The number of buckets of a partition. */
    int bucketCount();

    /**
     * The bucket function of a table, the one its lake format uses:
     * <ul>
     *   <li>{@link dev.inlet.catalog.model.LakeFormat#PAIMON}: {@link PaimonBucketFunction};
     *   <li>{@link dev.inlet.catalog.model.LakeFormat#ICEBERG}: {@link IcebergBucketFunction}, which
     *       takes exactly one bucket-key column;
     *   <li>{@link dev.inlet.catalog.model.LakeFormat#NONE}: {@link PaimonBucketFunction} as well.
     *       A hot-only table is never tiered, so any good hash would do; Paimon's is the one that
     *       takes composite keys (Iceberg's bucket transform takes one column), it hashes every
     *       bucket-key type Inlet has, and using it means a single, already-verified code path for
     *       every table that is not Iceberg.
     * </ul>
     *
     * <p>A table whose effective bucket key is empty (a log table with neither primary key nor
     * bucket key) spreads its rows over buckets freely and has no bucket function: asking for one is
     * a caller's mistake, so this throws rather than returning an empty {@code Optional}; check
     * {@code table.effectiveBucketKey().isEmpty()} first.
     *
     * @throws IllegalArgumentException if the table has no bucket key, names a bucket-key column it
     *     does not have, or is an Iceberg table with more than one bucket-key column
     */
    static BucketFunction forTable(TableDescriptor table)
    {
        requireNonNull(table, "table is null");
        List<String> bucketKey = table.effectiveBucketKey();
        if (bucketKey.isEmpty()) {
            throw new IllegalArgumentException("Table has no bucket key (a log table without primary key or bucket key), "
                    + "so its rows go to any bucket and it has no bucket function");
        }
        List<Column> columns = new ArrayList<>(bucketKey.size());
        for (String name : bucketKey) {
            columns.add(table.column(name).orElseThrow(() -> new IllegalArgumentException(
                    "bucket-key column '" + name + "' is not a column of the table; columns are " + table.columnNames())));
        }
        return switch (table.lakeFormat()) {
            case PAIMON, NONE -> new PaimonBucketFunction(columns, table.bucketCount());
            case ICEBERG -> {
                if (columns.size() != 1) {
                    throw new IllegalArgumentException("Iceberg's bucket transform takes one column, but the bucket key "
                            + bucketKey + " has " + columns.size() + "; declare a single-column bucket key or use the paimon lake format");
                }
                yield new IcebergBucketFunction(columns.getFirst(), table.bucketCount());
            }
        };
    }
}
