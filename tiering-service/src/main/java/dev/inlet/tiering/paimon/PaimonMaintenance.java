/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering.paimon;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import org.apache.paimon.operation.LocalOrphanFilesClean;
import org.apache.paimon.table.FileStoreTable;
import org.apache.paimon.table.Table;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * What tiering's maintenance does for a Paimon table: remove orphan files (compaction and
 * snapshot expiry happen inside Paimon's own writer and commits).
 */
public final class PaimonMaintenance
{
    private final FileStoreTable table;

    public PaimonMaintenance(Table table)
    {
        this.table = (FileStoreTable) requireNonNull(table, "table is null");
    }

    /**
     * Deletes files no snapshot references that are older than {@code olderThan}: the files of
     * rounds that crashed before their commit (Paimon's own orphan-file cleanup).
     *
     * @return how many files were deleted
     */
    public long removeOrphanFiles(Instant olderThan)
    {
        try {
            return new LocalOrphanFilesClean(table, olderThan.toEpochMilli(), false).clean().getDeletedFileCount();
        }
        catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new InletException(InletErrorCode.LAKE_FAILURE, "Orphan-file cleanup of Paimon table " + table.name() + " failed: " + e.getMessage(), e);
        }
    }
}
