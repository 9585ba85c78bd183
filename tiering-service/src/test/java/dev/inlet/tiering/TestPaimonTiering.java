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
}
