/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.server;

import dev.inlet.catalog.model.TablePath;
import dev.inlet.catalog.store.MetadataStore;

/**
 * Hands out a table's auto-increment ids from ranges reserved in the catalog database. A range is
 * committed there before its first id is used, so no id is handed out twice, not even after a
 * crash: the unused rest of a crashed server's range is skipped. One instance serves every
 * bucket of the table, so ids are unique across the table.
 *
 * <p>Thread-safe.
 */
final class AutoIncrementIds
{
    private final MetadataStore store;
    private final TablePath path;
    private final long tableId;
    private final long rangeSize;
    private long next;
    private long end;

    AutoIncrementIds(MetadataStore store, TablePath path, long tableId, long rangeSize)
    {
        this.store = store;
        this.path = path;
        this.tableId = tableId;
        this.rangeSize = rangeSize;
    }

    synchronized long next()
    {
        if (next >= end) {
            next = store.allocateAutoIncrement(path, tableId, rangeSize);
            end = next + rangeSize;
        }
        return next++;
    }
}
