/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union.plan;

import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.lake.BucketRef;
import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TableInfo;
import dev.inlet.logstore.client.InletClient;
import dev.inlet.logstore.protocol.Actions;
import dev.inlet.logstore.protocol.PartitionNames;
import dev.inlet.union.ScanRequest;
import dev.inlet.union.filter.ColumnPredicate;
import dev.inlet.union.filter.Filter;
import dev.inlet.union.filter.Values;
import dev.inlet.union.lake.LakePoint;
import dev.inlet.union.lake.LakeSource;
import dev.inlet.union.lake.LakeSources;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Plans a union read at one consistent point. The lake side comes first: the snapshot to read and,
 * from its own properties, the offsets {@code T[b]} it holds (the lake is the truth; the catalog's
 * record of them may lag it by a crash). Then the hot store's high-water marks {@code H[b]}, read
 * after, so that {@code T[b] <= H[b]} always holds (tiering never gets ahead of the hot store).
 * Lake rows plus hot rows {@code [T[b], H[b])} are the table at {@code H}.
 */
public final class ScanPlanner
{
    // a filter fixing the key to more values than this is read as a scan, not as lookups
    private static final int MAX_LOOKUP_KEYS = 1024;

    private final InletCatalog catalog;
    private final InletClient client;

    public ScanPlanner(InletCatalog catalog, InletClient client)
    {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.client = requireNonNull(client, "client is null");
    }

    public ScanPlan plan(ScanRequest request)
    {
        TableInfo table = catalog.getTable(request.table());
        TableDescriptor descriptor = table.descriptor();
        List<String> columns = request.columns().orElse(descriptor.columnNames());
        for (String c : columns) {
            if (descriptor.column(c).isEmpty()) {
                throw new InletException(InletErrorCode.INVALID_SCAN, "Table " + request.table() + " has no column '" + c + "'; its columns are " + descriptor.columnNames());
            }
        }
        Filter filter = request.filter();
        filter.validate(request.table(), descriptor);

        Optional<List<List<String>>> keys = request.lakeOnly() ? Optional.empty() : lookupKeys(descriptor, filter);
        if (keys.isPresent()) {
            TableScan scan = new TableScan(request.table(), table.tableId(), columns, filter, request.limit(), -1);
            return new ScanPlan(scan, Map.of(), Map.of(), List.of(new Split.Lookup(scan, keys.get())), 0, -1);
        }

        Optional<LakeSource> lake = LakeSources.of(catalog, table);
        Optional<LakePoint> point = lake.flatMap(source -> source.readablePoint(table));
        Map<BucketRef, Long> tiered = point.map(p -> p.checkpoint().offsets()).orElse(Map.of());

        Map<BucketRef, Long> marks = new LinkedHashMap<>();
        Map<BucketRef, Long> starts = new HashMap<>();
        int pruned = 0;
        String name = request.table().toString();
        for (Actions.PartitionInfo partition : request.lakeOnly() ? List.<Actions.PartitionInfo>of() : client.partitions(name)) {
            if (!partitionMayMatch(descriptor, partition.name(), filter)) {
                pruned++;
                continue;
            }
            for (Actions.BucketOffset o : client.offsets(name, partition.name(), Actions.OffsetSpec.LATEST, 0)) {
                marks.put(new BucketRef(partition.name(), o.bucket()), o.offset());
            }
            if (lake.isEmpty()) {
                // no lake: the hot store holds everything it has not deleted by retention
                for (Actions.BucketOffset o : client.offsets(name, partition.name(), Actions.OffsetSpec.EARLIEST, 0)) {
                    starts.put(new BucketRef(partition.name(), o.bucket()), o.offset());
                }
            }
        }
        List<HotRange> ranges = new ArrayList<>();
        for (Map.Entry<BucketRef, Long> e : marks.entrySet()) {
            BucketRef bucket = e.getKey();
            long from = lake.isPresent() ? tiered.getOrDefault(bucket, 0L) : starts.getOrDefault(bucket, 0L);
            long to = e.getValue();
            if (to < from) {
                throw new InletException(InletErrorCode.CORRUPT_LOG, "Table " + request.table() + " " + bucket + ": the lake holds offsets up to " + from
                        + " but the hot store ends at " + to + "; the hot data was lost or replaced");
            }
            if (to > from) {
                ranges.add(new HotRange(bucket.partition(), bucket.bucket(), from, to));
            }
        }
        Map<BucketRef, Long> readTiered = new HashMap<>();
        marks.keySet().forEach(b -> readTiered.put(b, lake.isPresent() ? tiered.getOrDefault(b, 0L) : starts.getOrDefault(b, 0L)));

        long snapshot = point.map(LakePoint::snapshotId).orElse(-1L);
        TableScan scan = new TableScan(request.table(), table.tableId(), columns, filter, request.limit(), snapshot);
        List<LakeTask> tasks = point.isPresent() ? lake.get().plan(table, snapshot, filter) : List.of();
        List<Split> splits = descriptor.hasPrimaryKey() ? mergeSplits(scan, tasks, ranges) : logSplits(scan, tasks, ranges);
        return new ScanPlan(scan, readTiered, marks, splits, pruned, point.map(LakePoint::snapshotMillis).orElse(-1L));
    }

    private static List<Split> logSplits(TableScan scan, List<LakeTask> tasks, List<HotRange> ranges)
    {
        List<Split> splits = new ArrayList<>();
        // a limit without a filter needs only as many splits as hold that many rows (log tables'
        // lake files and hot ranges count their rows exactly)
        long wanted = scan.filter().acceptsAll() && scan.limit() >= 0 ? scan.limit() : Long.MAX_VALUE;
        long rows = 0;
        for (LakeTask task : tasks) {
            if (rows >= wanted) {
                return splits;
            }
            splits.add(new Split.Lake(scan, task));
            rows += task.rows();
        }
        for (HotRange range : ranges) {
            if (rows >= wanted) {
                return splits;
            }
            splits.add(new Split.Hot(scan, range));
            rows += range.rows();
        }
        return splits;
    }

    /**
     * One merge split per bucket. Lake tasks that do not keep buckets apart (bucket -1) make one
     * split of their whole partition, with every hot range of that partition.
     */
    private static List<Split> mergeSplits(TableScan scan, List<LakeTask> tasks, List<HotRange> ranges)
    {
        record Group(String partition, int bucket) {}
        Map<Group, List<LakeTask>> lake = new LinkedHashMap<>();
        for (LakeTask task : tasks) {
            lake.computeIfAbsent(new Group(task.partition(), task.bucket()), g -> new ArrayList<>()).add(task);
        }
        Map<Group, List<HotRange>> hot = new LinkedHashMap<>();
        for (HotRange range : ranges) {
            Group whole = new Group(range.partition(), -1);
            Group group = lake.containsKey(whole) ? whole : new Group(range.partition(), range.bucket());
            hot.computeIfAbsent(group, g -> new ArrayList<>()).add(range);
        }
        List<Split> splits = new ArrayList<>();
        lake.forEach((group, lakeTasks) -> splits.add(new Split.Merge(scan, group.partition(), group.bucket(), lakeTasks, hot.getOrDefault(group, List.of()))));
        hot.forEach((group, hotRanges) -> {
            if (!lake.containsKey(group)) {
                splits.add(new Split.Merge(scan, group.partition(), group.bucket(), List.of(), hotRanges));
            }
        });
        return splits;
    }

    /** Whether a hot partition's values can pass the filter's predicates on partition keys. */
    private static boolean partitionMayMatch(TableDescriptor descriptor, String partition, Filter filter)
    {
        List<String> keys = descriptor.partitionKeys();
        if (keys.isEmpty() || filter.acceptsAll()) {
            return true;
        }
        List<String> texts = PartitionNames.values(descriptor, partition);
        for (int i = 0; i < keys.size(); i++) {
            Column column = descriptor.column(keys.get(i)).orElseThrow();
            Object value = texts.get(i) == null ? null : Values.parse(column.type(), texts.get(i));
            for (ColumnPredicate p : filter.on(column.name())) {
                if (!p.test(value)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The keys to look up if the filter fixes every primary-key column to a few values. */
    private static Optional<List<List<String>>> lookupKeys(TableDescriptor descriptor, Filter filter)
    {
        if (!descriptor.hasPrimaryKey()) {
            return Optional.empty();
        }
        List<List<String>> keys = new ArrayList<>();
        keys.add(List.of());
        for (Column column : descriptor.columns()) {
            if (!descriptor.primaryKey().contains(column.name())) {
                continue;
            }
            Optional<List<Object>> values = filter.valuesOf(column.name());
            if (values.isEmpty() || (long) keys.size() * values.get().size() > MAX_LOOKUP_KEYS) {
                return Optional.empty();
            }
            List<List<String>> extended = new ArrayList<>();
            for (List<String> prefix : keys) {
                for (Object v : values.get()) {
                    List<String> key = new ArrayList<>(prefix);
                    key.add(Values.text(v));
                    extended.add(key);
                }
            }
            keys = extended;
        }
        return Optional.of(keys);
    }
}
