/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.server;

import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.model.LakeFormat;
import dev.inlet.catalog.model.TieredOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Deletes old hot data on a schedule: whole closed segments past the table's hot retention or
 * beyond {@code log.retention.bytes}, but for a table with a lake format never an offset the lake
 * does not hold yet (the tiered offset recorded in the catalog). A bucket the catalog has no
 * tiered offset for keeps everything.
 */
final class RetentionService
        implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(RetentionService.class);

    private final HotStore store;
    private final InletCatalog catalog;
    private final long retentionBytes;
    private final ServerMetrics metrics;
    private final ScheduledExecutorService executor;

    private final KvSnapshotUploader uploader;

    /**
     * @param uploader copies new key-value snapshots to S3; null keeps them local
     */
    RetentionService(HotStore store, InletCatalog catalog, Duration interval, long retentionBytes, ServerMetrics metrics, Duration snapshotInterval, KvSnapshotUploader uploader)
    {
        this.uploader = uploader;
        this.store = store;
        this.catalog = catalog;
        this.retentionBytes = retentionBytes;
        this.metrics = metrics;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("inlet-retention").unstarted(r));
        executor.scheduleWithFixedDelay(this::runSafely, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        executor.scheduleWithFixedDelay(this::snapshotSafely, snapshotInterval.toMillis(), snapshotInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void runSafely()
    {
        try {
            runOnce();
        }
        catch (RuntimeException e) {
            LOG.warn("Retention run failed: {}", e.toString());
        }
    }

    private void snapshotSafely()
    {
        try {
            snapshotOnce();
        }
        catch (RuntimeException e) {
            LOG.warn("Key-value snapshot run failed: {}", e.toString());
        }
    }

    /**
     * Snapshots the key-value state of every bucket of every open primary-key table. A failed upload
     * does not stop the other buckets' (a later run uploads the bucket's newest snapshot); the
     * first failure is thrown once every bucket was tried.
     */
    synchronized void snapshotOnce()
    {
        RuntimeException failed = null;
        for (HotTable table : store.openTables()) {
            if (!table.descriptor().hasPrimaryKey()) {
                continue;
            }
            for (HotTable.HotPartition partition : table.partitions()) {
                HotBucket[] buckets = partition.buckets();
                for (int b = 0; b < buckets.length; b++) {
                    long offset = buckets[b].kv().snapshot();
                    LOG.debug("Snapshot of {} at offset {}", buckets[b].describe(), offset);
                    if (uploader != null) {
                        try {
                            uploader.upload(table.info().tableId(), partition.name(), b, buckets[b].kvSnapshotDir(offset));
                        }
                        catch (RuntimeException e) {
                            LOG.warn("Upload of the key-value snapshot of {} at offset {} failed ({}); the next snapshot run uploads the bucket's newest snapshot", buckets[b].describe(), offset, e.toString());
                            if (failed == null) {
                                failed = e;
                            }
                        }
                    }
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    synchronized void runOnce()
    {
        store.deleteDroppedTables();
        long now = System.currentTimeMillis();
        for (HotTable table : store.openTables()) {
            boolean lake = table.descriptor().lakeFormat() != LakeFormat.NONE;
            List<TieredOffset> tiered = lake ? catalog.store().tieredOffsets(table.info().tableId()) : List.of();
            long retentionMs = table.descriptor().hotRetention().toMillis();
            long segments = 0;
            long bytes = 0;
            for (HotTable.HotPartition partition : table.partitions()) {
                for (int b = 0; b < partition.buckets().length; b++) {
                    int bucket = b;
                    // a lake table's bucket with nothing tiered yet keeps everything (limit 0)
                    OptionalLong limit = lake
                            ? OptionalLong.of(tiered.stream().filter(t -> t.partition().equals(partition.name()) && t.bucket() == bucket).mapToLong(TieredOffset::offset).findFirst().orElse(0))
                            : OptionalLong.empty();
                    if (table.descriptor().hasPrimaryKey()) {
                        // the log is the key-value state's write-ahead log: keep it from the newest
                        // snapshot on (all of it while there is none), since recovery replays from there
                        long snapshot = partition.buckets()[b].kvSnapshotOffset();
                        limit = OptionalLong.of(limit.isPresent() ? Math.min(limit.getAsLong(), snapshot) : snapshot);
                    }
                    partition.buckets()[b].applyRetention(now, retentionMs, retentionBytes, limit);
                    segments += partition.buckets()[b].segmentCount();
                    bytes += partition.buckets()[b].sizeInBytes();
                }
            }
            // refreshed on every retention pass (log.retention.check-interval)
            metrics.segments.labelValues(table.path().toString()).set(segments);
            metrics.logBytes.labelValues(table.path().toString()).set(bytes);
        }
    }

    @Override
    public void close()
    {
        executor.shutdownNow();
        if (uploader != null) {
            uploader.close();
        }
    }
}
