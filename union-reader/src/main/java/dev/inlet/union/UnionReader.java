/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union;

import dev.inlet.catalog.InletCatalog;
import dev.inlet.logstore.client.InletClient;
import dev.inlet.union.plan.ScanPlan;
import dev.inlet.union.plan.ScanPlanner;
import dev.inlet.union.plan.Split;
import dev.inlet.union.read.BatchSource;
import dev.inlet.union.read.ReadStats;
import dev.inlet.union.read.SplitReader;
import org.apache.arrow.memory.BufferAllocator;

import static java.util.Objects.requireNonNull;

/**
 * One consistent table from an Inlet table's lake snapshot and its hot tail. {@link #plan} fixes
 * the point (lake snapshot, tiered offsets, hot high-water marks) and cuts the work into
 * serializable splits; {@link #open(Split, ReadStats)} reads one split anywhere; {@link #scan}
 * does both for a reader that wants the whole answer here.
 *
 * <pre>{@code
 * UnionReader reader = new UnionReader(catalog, client, UnionReaderOptions.Settings.defaults());
 * try (UnionScan scan = reader.scan(ScanRequest.of("shop.orders").withColumns(List.of("id", "amount")))) {
 *     for (VectorSchemaRoot batch; (batch = scan.next()) != null; ) { try (batch) { ... } }
 * }
 * }</pre>
 */
public final class UnionReader
        implements AutoCloseable
{
    private final ScanPlanner planner;
    private final SplitReader splits;
    private final BufferAllocator allocator;

    /** Batches are allocated from a child of the client's allocator (hot batches move into them without a copy). */
    public UnionReader(InletCatalog catalog, InletClient client, UnionReaderOptions.Settings settings)
    {
        requireNonNull(catalog, "catalog is null");
        requireNonNull(client, "client is null");
        this.allocator = client.allocator().newChildAllocator("union-reader", 0, Long.MAX_VALUE);
        this.planner = new ScanPlanner(catalog, client);
        this.splits = new SplitReader(catalog, client, allocator, settings);
    }

    /** Memory held by batches of this reader not closed yet. */
    public long allocatedBytes()
    {
        return allocator.getAllocatedMemory();
    }

    /** Closes the reader's allocator: every batch it returned must be closed first. */
    @Override
    public void close()
    {
        allocator.close();
    }

    /**
     * @throws dev.inlet.catalog.error.InletException {@code TABLE_NOT_FOUND}, or
     *     {@code INVALID_SCAN} naming the table and the column a request gets wrong
     */
    public ScanPlan plan(ScanRequest request)
    {
        return planner.plan(request);
    }

    /**
     * Reads one split.
     *
     * @throws dev.inlet.catalog.error.InletException {@code SCAN_PLAN_STALE} (while reading) if
     *     the lake snapshot or hot rows the plan points at are gone: plan again
     */
    public BatchSource open(Split split, ReadStats stats)
    {
        return splits.open(split, stats);
    }

    /** Plans and reads every split, one after the other. */
    public UnionScan scan(ScanRequest request)
    {
        return new UnionScan(this, plan(request));
    }
}
