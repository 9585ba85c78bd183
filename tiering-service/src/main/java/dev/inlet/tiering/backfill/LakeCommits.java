/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering.backfill;

import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.lake.BackfilledFile;
import dev.inlet.catalog.lake.BucketRef;
import dev.inlet.catalog.lake.LakeCheckpoint;
import dev.inlet.catalog.model.TableInfo;
import dev.inlet.catalog.model.TieredOffset;
import dev.inlet.logstore.client.InletClient;
import dev.inlet.logstore.client.ScanBatch;
import dev.inlet.logstore.protocol.Actions;
import dev.inlet.logstore.protocol.PartitionNames;
import dev.inlet.logstore.protocol.RowRouter;
import dev.inlet.tiering.LakeTierWriter;
import dev.inlet.tiering.LakeWriters;
import dev.inlet.tiering.ReadAhead;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.iceberg.io.InputFile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One backfill commit of a log table: its files written into lake files no snapshot references,
 * then, under the table's tiering lease, committed as one snapshot that keeps the tiered offsets
 * of the newest tiering snapshot and records the files. A failure before the commit leaves only
 * unreferenced files (deleted, or removed by orphan-file cleanup).
 */
final class LakeCommits
{
    private static final int BATCH_ROWS = 8192;
    private static final int READ_AHEAD_BATCHES = 4;
    // files up to this size are downloaded whole, one file ahead of the one decoded
    private static final long PREFETCH_MAX_BYTES = 256L << 20;

    private final InletCatalog catalog;
    private final TableInfo table;
    private final LakeWriters writers;
    private final LeaseHandover lease;
    private final Supplier<InletClient> client;
    private final Backfill.Hooks hooks;
    private final BackfillProgress progress;
    // the commits of one run take turns under the lease
    private final Object commitLock = new Object();

    LakeCommits(InletCatalog catalog, TableInfo table, LakeWriters writers, LeaseHandover lease, Supplier<InletClient> client, Backfill.Hooks hooks, BackfillProgress progress)
    {
        this.catalog = catalog;
        this.table = table;
        this.writers = writers;
        this.lease = lease;
        this.client = client;
        this.hooks = hooks;
        this.progress = progress;
    }

    /**
     * Loads and commits {@code files}.
     *
     * @param replaced for an overwrite: the partition the commit replaces (by column name); else null
     * @return the lake snapshot committed
     */
    long load(List<SourceFile> files, FileLoader loader, Map<String, Object> replaced)
    {
        try (LakeTierWriter lake = writers.openUnclustered(table);
                BufferAllocator allocator = new RootAllocator()) {
            if (replaced != null) {
                lake.replacePartition(replaced);
            }
            List<BackfilledFile> done = write(files, loader, lake, allocator);
            hooks.beforeCommit(files);
            synchronized (commitLock) {
                return lease.underLease(fence -> {
                    Optional<LakeCheckpoint> checkpoint = lake.lastCommitted();
                    // a backfill that committed and died before recording its files
                    checkpoint.ifPresent(c -> catalog.store().recordBackfilledFiles(table.tableId(), c.snapshotId(), c.backfilled()));
                    if (replaced == null) {
                        Map<String, BackfilledFile> committed = catalog.store().backfilledFiles(table.tableId());
                        for (SourceFile file : files) {
                            if (committed.containsKey(file.location())) {
                                throw new InletException(InletErrorCode.CONCURRENT_MODIFICATION, "File " + file.location() + " was loaded into " + table.path()
                                        + " by another backfill while this one ran; this commit of " + files.size() + " files was not made: run the backfill again to load what is missing");
                            }
                        }
                    }
                    else {
                        checkTiered(checkpoint.map(LakeCheckpoint::offsets).orElse(Map.of()), replaced);
                    }
                    fence.renew();
                    long round = checkpoint.map(c -> c.round() + 1).orElse(1L);
                    Map<BucketRef, Long> offsets = checkpoint.map(LakeCheckpoint::offsets).orElse(Map.of());
                    long snapshot = lake.commit(round, fence.epoch(), offsets, done);
                    hooks.lakeCommitted(files, snapshot);
                    if (!offsets.isEmpty()) {
                        Instant now = Instant.now();
                        List<TieredOffset> same = new ArrayList<>();
                        offsets.forEach((bucket, offset) -> same.add(new TieredOffset(bucket.partition(), bucket.bucket(), snapshot, offset, now)));
                        catalog.store().recordTieredOffsets(table.path(), table.tableId(), snapshot, same);
                    }
                    catalog.store().recordBackfilledFiles(table.tableId(), snapshot, done);
                    progress.commits.incrementAndGet();
                    return snapshot;
                });
            }
        }
    }

    /**
     * Reads the files and writes their rows into lake files; returns what each file gave. A
     * reader thread reads and decodes the files into Arrow batches while this thread encodes them
     * into lake files ({@link ReadAhead}, as in a tiering round).
     */
    private List<BackfilledFile> write(List<SourceFile> files, FileLoader loader, LakeTierWriter lake, BufferAllocator allocator)
    {
        List<BackfilledFile> done = new ArrayList<>();
        ReadAhead.<AutoCloseable>run("inlet-backfill-read-" + table.path(), READ_AHEAD_BATCHES, sink -> {
            try (BucketBatches batches = new BucketBatches(table.descriptor(), batch -> put(sink, batch), allocator, BATCH_ROWS);
                    Prefetch prefetch = new Prefetch(loader.sources(), files, PREFETCH_MAX_BYTES)) {
                RowRouter router = new RowRouter(table.descriptor());
                for (int f = 0; f < files.size(); f++) {
                    SourceFile file = files.get(f);
                    long rows = -1;
                    try {
                        InputFile input = prefetch.input(f);
                        if (file.format() == SourceFormat.PARQUET && loader.columnar()) {
                            rows = loader.loadColumnar(file, input, allocator, BATCH_ROWS, root -> put(sink, RoutedBatch.route(table.descriptor(), router, root)));
                        }
                        if (rows < 0) {
                            rows = loader.load(file, input, batches::add);
                        }
                    }
                    catch (InletException e) {
                        throw new InletException(e.errorCode(), e.getMessage() + " (nothing of the commit of " + files.size() + (files.size() == 1 ? " file" : " files")
                                + " it belongs to was committed" + (files.size() > 1 ? ", from " + files.getFirst().location() : "") + ")", e);
                    }
                    done.add(new BackfilledFile(file.location(), file.size(), rows));
                }
                batches.flush();
            }
            catch (Interrupted e) {
                throw new InterruptedException("the writer gave up");
            }
        }, next -> {
            if (next instanceof RoutedBatch routed) {
                long now = System.currentTimeMillis();
                routed.buckets().forEach((bucket, positions) -> lake.write(new ScanBatch(bucket.partition(), bucket.bucket(), 0, now, routed.root()), positions.rows, positions.count));
            }
            else {
                ScanBatch batch = (ScanBatch) next;
                lake.write(batch, 0, batch.rowCount());
            }
        }, failure -> new InletException(InletErrorCode.BACKFILL_INVALID_INPUT, "Reading the files of a backfill of " + table.path() + " failed: " + failure, failure));
        return done;
    }

    /** The reader was interrupted inside a callback that cannot throw InterruptedException: the writer failed or gave up. */
    private static final class Interrupted
            extends RuntimeException
    {
        Interrupted()
        {
            super(null, null, false, false);
        }
    }

    private static void put(ReadAhead.Sink<AutoCloseable> sink, AutoCloseable batch)
    {
        try {
            sink.put(batch);
        }
        catch (InterruptedException e) {
            try {
                batch.close();
            }
            catch (Exception ignored) {
                // Arrow buffers: closing does not fail
            }
            throw new Interrupted();
        }
    }

    /**
     * An overwrite must not leave hot rows of the partition untiered: tiering would add them
     * after it, on top of the rows that replaced them.
     */
    private void checkTiered(Map<BucketRef, Long> tiered, Map<String, Object> replaced)
    {
        List<String> keys = table.descriptor().partitionKeys();
        Object[] values = new Object[keys.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = replaced.get(keys.get(i));
        }
        String partition = PartitionNames.name(table.descriptor(), values);
        String name = table.path().toString();
        InletClient hot = client.get();
        if (hot.partitions(name).stream().noneMatch(p -> p.name().equals(partition))) {
            return;
        }
        long behind = 0;
        for (Actions.BucketOffset end : hot.offsets(name, partition, Actions.OffsetSpec.LATEST, 0)) {
            behind += Math.max(0, end.offset() - tiered.getOrDefault(new BucketRef(partition, end.bucket()), 0L));
        }
        if (behind > 0) {
            throw new InletException(InletErrorCode.BACKFILL_PARTITION_NOT_TIERED, "Partition " + partition + " of " + table.path() + " has " + behind
                    + " rows in the hot store that are not tiered yet; they would come back after the overwrite. Nothing was committed: run it again once tiering has caught up "
                    + "(inlet tiering status)");
        }
    }
}
