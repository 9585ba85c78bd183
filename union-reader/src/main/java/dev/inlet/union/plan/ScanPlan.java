/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union.plan;

import dev.inlet.catalog.lake.BucketRef;

import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A scan planned at one consistent point: the lake snapshot it reads, per bucket the first hot
 * offset that snapshot does not hold ({@code tiered}) and the hot store's high-water mark when the
 * plan was made ({@code highWaterMarks}). Its splits return exactly the lake snapshot's rows plus
 * the hot rows {@code [tiered[b], highWaterMarks[b])} (for a primary-key table: the key-value state
 * at the high-water marks), restricted by the scan's filter.
 *
 * @param prunedPartitions hot partitions the filter excluded without reading them
 * @param lakeSnapshotMillis when the lake snapshot read was committed (epoch ms), or -1 without one
 */
public record ScanPlan(TableScan scan, Map<BucketRef, Long> tiered, Map<BucketRef, Long> highWaterMarks, List<Split> splits, int prunedPartitions, long lakeSnapshotMillis)
{
    public ScanPlan
    {
        requireNonNull(scan, "scan is null");
        tiered = Map.copyOf(tiered);
        highWaterMarks = Map.copyOf(highWaterMarks);
        splits = List.copyOf(splits);
    }

    /** Whether the plan reads a lake snapshot. */
    public boolean readsLake()
    {
        return scan.lakeSnapshotId() >= 0;
    }
}
