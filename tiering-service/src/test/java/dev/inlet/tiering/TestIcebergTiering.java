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
}
