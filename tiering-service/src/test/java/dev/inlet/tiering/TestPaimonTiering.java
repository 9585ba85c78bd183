/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering;

import dev.inlet.catalog.model.LakeFormat;
import org.apache.paimon.table.FileStoreTable;

/** Tiering rounds into Paimon tables: rows go to the lake bucket of their hot bucket (Paimon's fixed-bucket mode), or to an unaware-bucket table without bucket key. */
class TestPaimonTiering
        extends AbstractTestTieringRounds
{
    @Override
    LakeFormat format()
    {
        return LakeFormat.PAIMON;
    }

    @Override
    long latestSnapshot(String table)
    {
        return ((FileStoreTable) cluster.paimonTable(table)).snapshotManager().latestSnapshotId();
    }

    @Override
    String orphanDataFile(String table)
    {
        return ((FileStoreTable) cluster.paimonTable(table)).location() + "/bucket-0/data-orphan-0.parquet";
    }

    @Override
    long removeOrphanFiles(String table, java.time.Instant olderThan)
    {
        return new dev.inlet.tiering.paimon.PaimonMaintenance(cluster.paimonTable(table)).removeOrphanFiles(olderThan);
    }
}
