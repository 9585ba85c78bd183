/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering;

import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.lake.iceberg.IcebergLakeBridge;
import dev.inlet.catalog.lake.paimon.PaimonLakeBridge;
import dev.inlet.catalog.model.LakeFormat;
import dev.inlet.catalog.model.TableInfo;
import dev.inlet.tiering.iceberg.IcebergTierWriter;
import dev.inlet.tiering.paimon.PaimonTierWriter;

import static java.util.Objects.requireNonNull;

/** Opens the lake writer of a table's format for one round. */
public final class LakeWriters
{
    private final InletCatalog catalog;
    private final String commitUser;

    public LakeWriters(InletCatalog catalog, String commitUser)
    {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.commitUser = requireNonNull(commitUser, "commitUser is null");
    }

    public LakeTierWriter open(TableInfo table)
    {
        return open(table, false);
    }

    /** A writer for a backfill: it takes rows in any order of buckets, not one bucket after another. */
    public LakeTierWriter openUnclustered(TableInfo table)
    {
        return open(table, true);
    }

    private LakeTierWriter open(TableInfo table, boolean unclustered)
    {
        return switch (table.descriptor().lakeFormat()) {
            case PAIMON -> new PaimonTierWriter(((PaimonLakeBridge) catalog.bridge(LakeFormat.PAIMON)).loadTable(table.path()), table.tableId(), commitUser);
            case ICEBERG -> new IcebergTierWriter(((IcebergLakeBridge) catalog.bridge(LakeFormat.ICEBERG)).loadTable(table.path()), table.tableId(), commitUser, unclustered);
            case NONE -> throw new IllegalArgumentException("Table " + table.path() + " has no lake table");
        };
    }
}
