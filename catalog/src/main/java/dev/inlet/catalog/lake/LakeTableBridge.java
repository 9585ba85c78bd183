/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.lake;

import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.LakeFormat;
import dev.inlet.catalog.model.TableInfo;
import dev.inlet.catalog.model.TablePath;

/**
 * Creates, changes and drops the lake table (Paimon or Iceberg) that backs an Inlet table. The
 * lake table has exactly the Inlet table's columns (no system columns), its primary key, its
 * partitioning and its buckets, so that one hot bucket is one lake bucket.
 *
 * <p>Every operation is idempotent, because the catalog may retry it after a crash: creating a
 * table that already exists with the same definition (and the same Inlet table id) succeeds;
 * adding a column that is already there succeeds; dropping a missing table succeeds. A lake table
 * that exists with a different definition is never adopted.
 *
 * <p>Implementations are thread-safe.
 */
public interface LakeTableBridge
        extends AutoCloseable
{
    /** Table property (Paimon option, Iceberg property) naming the Inlet table id the lake table belongs to. */
    String TABLE_ID_PROPERTY = "inlet.table-id";

    LakeFormat format();

    /**
     * Creates the lake table of {@code table}, or adopts an identical one left by an earlier try.
     *
     * @throws dev.inlet.catalog.error.InletException {@code LAKE_TABLE_MISMATCH} if a different
     *     table is in the way, {@code LAKE_FAILURE} if the lake cannot be reached
     */
    void createTable(TableInfo table);

    /** Adds {@code column} (nullable, at the end) to the lake table of {@code table}. */
    void addColumn(TableInfo table, Column column);

    /** Drops the lake table and deletes its files. */
    void dropTable(TablePath path);

    /** Where the lake table lives, e.g. {@code s3://lake/paimon/shop.db/orders}. */
    String location(TablePath path);

    @Override
    void close();
}
