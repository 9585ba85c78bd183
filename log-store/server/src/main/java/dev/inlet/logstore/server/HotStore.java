/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.server;

import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.model.TableInfo;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.logstore.kv.KvStoreOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * The tables the server serves, opened on first use from their catalog record. A table's data
 * lives under {@code <data-dir>/hot/<table id>/}: keyed by id, so a dropped table's leftovers can
 * never be mistaken for a new table of the same name.
 *
 * <p>Thread-safe.
 */
final class HotStore
        implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(HotStore.class);

    private final InletCatalog catalog;
    private final Path dataDir;
    private final HotTable.BucketOpener opener;
    private final Map<TablePath, HotTable> tables = new ConcurrentHashMap<>();
    private final org.apache.arrow.memory.BufferAllocator allocator;
    private final long idRangeSize;
    private final KvStoreOptions kvOptions;

    /**
     * @param allocator for the changelog batches of primary-key tables
     * @param idRangeSize how many auto-increment ids to reserve at a time
     * @param kvOptions what the key-value stores of primary-key tables share; closed with this store
     */
    HotStore(InletCatalog catalog, Path dataDir, HotTable.BucketOpener opener, org.apache.arrow.memory.BufferAllocator allocator, long idRangeSize, KvStoreOptions kvOptions)
    {
        this.kvOptions = requireNonNull(kvOptions, "kvOptions is null");
        this.allocator = requireNonNull(allocator, "allocator is null");
        this.idRangeSize = idRangeSize;
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.dataDir = requireNonNull(dataDir, "dataDir is null");
        this.opener = requireNonNull(opener, "opener is null");
    }

    InletCatalog catalog()
    {
        return catalog;
    }

    /**
     * The table, opened from the catalog on first use.
     *
     * @throws InletException {@code TABLE_NOT_FOUND} naming the table
     */
    HotTable table(String name)
    {
        TablePath path = TablePath.parse(name);
        HotTable table = tables.get(path);
        if (table != null) {
            return table;
        }
        TableInfo info = catalog.getTable(path);
        return tables.computeIfAbsent(path, p -> {
            LOG.info("Serving table {} (id {}, {} buckets, {})", p, info.tableId(), info.descriptor().bucketCount(),
                    info.descriptor().hasPrimaryKey() ? "primary key" : "log");
            java.util.function.IntFunction<dev.inlet.catalog.model.TableDescriptor> schemas = schemaId -> catalog.store().schema(info.tableId(), schemaId)
                    .orElseThrow(() -> new InletException(InletErrorCode.CORRUPT_LOG, "Table " + p + " has batches of schema " + schemaId + ", which the catalog does not know"));
            KvTableState kv = info.descriptor().hasPrimaryKey()
                    ? new KvTableState(info, schemas, new AutoIncrementIds(catalog.store(), p, info.tableId(), idRangeSize), allocator, kvOptions)
                    : null;
            return new HotTable(info, dataDir.resolve(Long.toString(info.tableId())), schemas, opener, kv);
        });
    }

    /**
     * Re-reads the table's record (after its schema changed). A table that was dropped, or dropped
     * and created again, is closed: its old data is never served under the new definition.
     */
    HotTable refresh(HotTable table)
    {
        var current = catalog.findTable(table.path());
        if (current.isEmpty() || current.get().tableId() != table.info().tableId()) {
            tables.remove(table.path(), table);
            table.close();
            return table(table.path().toString());
        }
        table.update(current.get());
        return table;
    }

    /**
     * Closes and deletes the hot data of tables the catalog no longer has (dropped, or dropped and
     * created again under a new id), open or not. Returns the ids deleted.
     */
    List<Long> deleteDroppedTables()
    {
        for (HotTable table : openTables()) {
            if (catalog.store().findTable(table.info().tableId()).isEmpty()) {
                tables.remove(table.path(), table);
                table.close();
            }
        }
        List<Long> deleted = new ArrayList<>();
        if (!java.nio.file.Files.isDirectory(dataDir)) {
            return deleted;
        }
        try (var children = java.nio.file.Files.list(dataDir)) {
            for (Path dir : children.filter(java.nio.file.Files::isDirectory).toList()) {
                String name = dir.getFileName().toString();
                if (name.matches("\\d+") && catalog.store().findTable(Long.parseLong(name)).isEmpty()
                        && tables.values().stream().noneMatch(t -> t.info().tableId() == Long.parseLong(name))) {
                    dev.inlet.logstore.storage.FileTrees.deleteRecursively(dir);
                    deleted.add(Long.parseLong(name));
                    LOG.info("Deleted the hot data of dropped table id {} ({})", name, dir);
                }
            }
        }
        catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Cannot list " + dataDir, e);
        }
        return deleted;
    }

    List<HotTable> openTables()
    {
        return new ArrayList<>(tables.values());
    }

    @Override
    public void close()
    {
        tables.values().forEach(HotTable::close);
        tables.clear();
        kvOptions.close();
    }
}
