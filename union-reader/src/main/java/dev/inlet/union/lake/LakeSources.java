/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union.lake;

import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.lake.iceberg.IcebergLakeBridge;
import dev.inlet.catalog.lake.paimon.PaimonLakeBridge;
import dev.inlet.catalog.model.LakeFormat;
import dev.inlet.catalog.model.TableInfo;
import dev.inlet.union.lake.iceberg.IcebergLakeSource;
import dev.inlet.union.lake.paimon.PaimonLakeSource;

import java.util.Optional;

/** The {@link LakeSource} of a table's lake format. */
public final class LakeSources
{
    private LakeSources() {}

    /** Empty for a table without a lake table. */
    public static Optional<LakeSource> of(InletCatalog catalog, TableInfo table)
    {
        return switch (table.descriptor().lakeFormat()) {
            case PAIMON -> Optional.of(new PaimonLakeSource((PaimonLakeBridge) catalog.bridge(LakeFormat.PAIMON)));
            case ICEBERG -> Optional.of(new IcebergLakeSource((IcebergLakeBridge) catalog.bridge(LakeFormat.ICEBERG)));
            case NONE -> Optional.empty();
        };
    }
}
