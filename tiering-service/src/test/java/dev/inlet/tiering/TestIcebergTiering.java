/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering;

import dev.inlet.catalog.model.LakeFormat;

/** Tiering rounds into Iceberg tables: appends for log tables, equality deletes plus rows in one row delta for primary-key tables. */
class TestIcebergTiering
        extends AbstractTestTieringRounds
{
    @Override
    LakeFormat format()
    {
        return LakeFormat.ICEBERG;
    }

    @Override
    long latestSnapshot(String table)
    {
        org.apache.iceberg.Table iceberg = cluster.icebergTable(table);
        iceberg.refresh();
        return iceberg.currentSnapshot().snapshotId();
    }

    @Override
    String orphanDataFile(String table)
    {
        return cluster.icebergTable(table).location() + "/data/orphan-0.parquet";
    }

    @Override
    long removeOrphanFiles(String table, java.time.Instant olderThan)
    {
        return new dev.inlet.tiering.iceberg.IcebergMaintenance(cluster.icebergTable(table), 8, 10, java.time.Duration.ofHours(1)).removeOrphanFiles(olderThan);
    }
}
