/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union.read;

import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TableInfo;
import dev.inlet.logstore.arrow.ArrowSchemas;
import dev.inlet.logstore.arrow.ArrowValues;
import dev.inlet.logstore.client.InletClient;
import dev.inlet.union.UnionReaderOptions;
import dev.inlet.union.filter.Filter;
import dev.inlet.union.filter.Values;
import dev.inlet.union.hot.HotRangeReader;
import dev.inlet.union.hot.HotTail;
import dev.inlet.union.lake.LakeSource;
import dev.inlet.union.lake.LakeSources;
import dev.inlet.union.merge.PrimaryKeyMerge;
import dev.inlet.union.plan.LakeTask;
import dev.inlet.union.plan.Split;
import dev.inlet.union.plan.TableScan;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Opens a split for reading, on whatever machine holds it: the table and the lake come from the
 * catalog, the hot rows from the hot store. Batches carry the scan's columns in the scan's order.
 */
public final class SplitReader
{
    private final InletCatalog catalog;
    private final InletClient client;
    private final BufferAllocator allocator;
    private final UnionReaderOptions.Settings settings;
    // lake sources by (table id, schema id, snapshot): splits of one plan share one loaded lake
    // table, as loading it reads the table's metadata from S3; a plan's snapshot never changes, and
    // the schema id makes a column added since a table was loaded load it again
    private final Map<String, LakeSource> sources = java.util.Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true)
    {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, LakeSource> eldest)
        {
            return size() > 16;
        }
    });

    public SplitReader(InletCatalog catalog, InletClient client, BufferAllocator allocator, UnionReaderOptions.Settings settings)
    {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.client = requireNonNull(client, "client is null");
        this.allocator = requireNonNull(allocator, "allocator is null");
        this.settings = requireNonNull(settings, "settings is null");
    }

    public BatchSource open(Split split, ReadStats stats)
    {
        TableScan scan = split.scan();
        TableInfo table = catalog.getTable(scan.table());
        if (table.tableId() != scan.tableId()) {
            throw new InletException(InletErrorCode.SCAN_PLAN_STALE, "Table " + scan.table() + " was dropped and created again since the scan was planned (id "
                    + scan.tableId() + ", now " + table.tableId() + "); plan the scan again");
        }
        TableDescriptor descriptor = table.descriptor();
        List<String> readColumns = ReadColumns.of(descriptor, scan);
        Schema outSchema = ArrowSchemas.toArrowSchema(scan.columns().stream().map(c -> descriptor.column(c).orElseThrow()).toList());
        BatchBuilder out = new BatchBuilder(outSchema, allocator, settings.batchRows());
        String name = scan.table().toString();
        BatchSource source = switch (split) {
            case Split.Lake lake -> new FilteredRows(lakeWindows(lake(table, scan), table, scan, List.of(lake.task()), readColumns, stats), scan.filter(), out);
            case Split.Hot hot -> new FilteredRows(hotWindows(new HotTail(client, name, List.of(hot.range()), readColumns, settings.readTimeout(), stats.hotRows::add, stats.hotBytes::add)), scan.filter(), out);
            case Split.Merge merge -> {
                BatchSource lakeRows = merge.lake().isEmpty() ? empty() : new LakeTasks(lake(table, scan), table, scan.lakeSnapshotId(), merge.lake(), readColumns, scan.filter(), allocator,
                        settings.batchRows(), stats);
                Schema lakeSchema = ArrowSchemas.toArrowSchema(readColumns.stream().map(c -> descriptor.column(c).orElseThrow()).toList());
                List<Field> tailFields = new ArrayList<>(lakeSchema.getFields());
                tailFields.add(ArrowSchemas.systemField(ArrowSchemas.CHANGE_TYPE_COLUMN));
                long tailRows = merge.hot().stream().mapToLong(r -> r.rows()).sum();
                PrimaryKeyMerge.Settings mergeSettings = new PrimaryKeyMerge.Settings(descriptor.primaryKey(), new Schema(tailFields), lakeSchema, scan.filter(),
                        settings.mergeMemoryBytes(), settings.spillDir(), settings.batchRows(), tailRows);
                yield new PrimaryKeyMerge(new HotTail(client, name, merge.hot(), readColumns, settings.readTimeout(), stats.hotRows::add, stats.hotBytes::add), lakeRows, mergeSettings, out, allocator, stats);
            }
            case Split.Lookup lookup -> lookup(table, scan, lookup, out, stats);
        };
        return scan.limit() >= 0 ? new LimitedSource(source, scan.limit()) : source;
    }

    private LakeSource lake(TableInfo table, TableScan scan)
    {
        return sources.computeIfAbsent(table.tableId() + "/" + table.schemaId() + "@" + scan.lakeSnapshotId(), key -> LakeSources.of(catalog, table)
                .orElseThrow(() -> new InletException(InletErrorCode.INVALID_SCAN, "Table " + table.path() + " has no lake table")));
    }

    private FilteredRows.Windows lakeWindows(LakeSource source, TableInfo table, TableScan scan, List<LakeTask> tasks, List<String> columns, ReadStats stats)
    {
        LakeTasks batches = new LakeTasks(source, table, scan.lakeSnapshotId(), tasks, columns, scan.filter(), allocator, settings.batchRows(), stats);
        return new FilteredRows.Windows()
        {
            @Override
            public FilteredRows.Window next()
            {
                VectorSchemaRoot root = batches.next();
                return root == null ? null : window(root, 0, root.getRowCount(), root);
            }

            @Override
            public void close()
            {
                batches.close();
            }
        };
    }

    private static FilteredRows.Windows hotWindows(HotTail tail)
    {
        return new FilteredRows.Windows()
        {
            @Override
            public FilteredRows.Window next()
            {
                HotRangeReader.Slice slice = tail.next();
                return slice == null ? null : window(slice.batch().root(), slice.first(), slice.last(), slice);
            }

            @Override
            public void close()
            {
                tail.close();
            }
        };
    }

    private static FilteredRows.Window window(VectorSchemaRoot root, int first, int last, AutoCloseable owner)
    {
        return new FilteredRows.Window()
        {
            @Override
            public VectorSchemaRoot root()
            {
                return root;
            }

            @Override
            public int first()
            {
                return first;
            }

            @Override
            public int last()
            {
                return last;
            }

            @Override
            public void close()
            {
                try {
                    owner.close();
                }
                catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    private static BatchSource empty()
    {
        return new BatchSource()
        {
            @Override
            public VectorSchemaRoot next()
            {
                return null;
            }

            @Override
            public void close() {}
        };
    }

    /** The current rows of the split's keys, by one batched point lookup. */
    private BatchSource lookup(TableInfo table, TableScan scan, Split.Lookup lookup, BatchBuilder out, ReadStats stats)
    {
        TableDescriptor descriptor = table.descriptor();
        List<Column> keyColumns = descriptor.columns().stream().filter(c -> descriptor.primaryKey().contains(c.name())).toList();
        List<Object[]> keys = new ArrayList<>();
        for (List<String> text : lookup.keys()) {
            Object[] key = new Object[keyColumns.size()];
            for (int i = 0; i < key.length; i++) {
                key[i] = Values.parse(keyColumns.get(i).type(), text.get(i));
            }
            keys.add(key);
        }
        List<Object[]> rows = client.lookup(scan.table().toString(), keys).stream().filter(r -> r != null).toList();
        stats.lookups.add(keys.size());
        Schema full = ArrowSchemas.toArrowSchema(descriptor);
        VectorSchemaRoot root = ArrowValues.allocate(full, rows.size(), allocator);
        List<FieldVector> vectors = root.getFieldVectors();
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < vectors.size(); c++) {
                ArrowValues.set(vectors.get(c), r, rows.get(r)[c]);
            }
        }
        root.setRowCount(rows.size());
        Filter filter = scan.filter();
        return new FilteredRows(new FilteredRows.Windows()
        {
            private boolean done;

            @Override
            public FilteredRows.Window next()
            {
                if (done) {
                    return null;
                }
                done = true;
                return window(root, 0, root.getRowCount(), root);
            }

            @Override
            public void close()
            {
                if (!done) {
                    root.close();
                }
            }
        }, filter, out);
    }
}
