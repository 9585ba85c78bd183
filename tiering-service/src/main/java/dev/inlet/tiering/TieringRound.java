/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering;

import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.lake.BucketRef;
import dev.inlet.catalog.lake.LakeCheckpoint;
import dev.inlet.catalog.model.TableInfo;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.catalog.model.TieredOffset;
import dev.inlet.logstore.client.InletClient;
import dev.inlet.logstore.client.LogScanner;
import dev.inlet.logstore.client.ScanBatch;
import dev.inlet.logstore.client.ScanOptions;
import dev.inlet.logstore.client.StartPosition;
import dev.inlet.logstore.protocol.Actions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * One tiering round of one table: moves every bucket from the offset its lake table holds to the
 * end the round froze, as one lake snapshot, then records the new offsets in the catalog.
 *
 * <ol>
 * <li><b>Reconcile.</b> The lake is the truth: the newest snapshot tiering committed
 *     ({@link LakeTierWriter#lastCommitted()}) says which offsets the lake holds. If the catalog
 *     has not recorded that snapshot (a crash between the lake commit and the catalog update), it
 *     is adopted now. The round starts from the lake's offsets, never from anything else.</li>
 * <li><b>Plan.</b> Per bucket, the end is the hot store's high-water mark now; rows appended
 *     later wait for the next round.</li>
 * <li><b>Write</b> each bucket's rows {@code [start, end)} with the lake's own writer, into files
 *     no snapshot references. The first round of a primary-key table writes each bucket's current
 *     state instead (a state scan, consistent at an offset), then the log after it.</li>
 * <li><b>Commit</b> them as one snapshot whose properties carry the round and the end offsets.
 *     Round numbers grow by one from the lake's last, so a retried commit of a round the lake
 *     already holds is skipped by the lake ({@link LakeTierWriter#commit}).</li>
 * <li><b>Record</b> the snapshot and offsets in the catalog (which the hot store's retention and
 *     the union reader read).</li>
 * </ol>
 * A crash at any step leaves either no new snapshot (the files written are never referenced) or
 * a snapshot the next round adopts: nothing is lost and nothing is written twice.
 */
public final class TieringRound
{
    private static final Logger LOG = LoggerFactory.getLogger(TieringRound.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final int READ_AHEAD_BATCHES = 8;

    private final InletCatalog catalog;
    private final InletClient client;
    private final Function<TableInfo, LakeTierWriter> writers;
    private final RoundHooks hooks;
    private final Duration readTimeout;

    /** What a round did. */
    public record Result(TablePath table, long round, long snapshotId, long rows, Map<BucketRef, Long> offsets) {}

    /**
     * @param writers opens the lake writer of a table for one round
     * @param readTimeout how long a bucket may deliver nothing before the round gives up
     */
    public TieringRound(InletCatalog catalog, InletClient client, Function<TableInfo, LakeTierWriter> writers, RoundHooks hooks, Duration readTimeout)
    {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.client = requireNonNull(client, "client is null");
        this.writers = requireNonNull(writers, "writers is null");
        this.hooks = requireNonNull(hooks, "hooks is null");
        this.readTimeout = requireNonNull(readTimeout, "readTimeout is null");
    }

    /**
     * Runs one round of {@code path}.
     *
     * @return what it committed; an empty result (no new snapshot) if no bucket had new rows
     */
    public Optional<Result> run(TablePath path)
    {
        return run(path, Fence.NONE);
    }

    /**
     * Runs one round of {@code path} under a tiering lease.
     *
     * @throws InletException {@code TIERING_FENCED} if the lease was lost or another process
     *     committed to the lake table during the round (nothing is committed then)
     */
    public Optional<Result> run(TablePath path, Fence fence)
    {
        TableInfo table = catalog.getTable(path);
        String name = path.toString();
        try (LakeTierWriter lake = writers.apply(table)) {
            Optional<LakeCheckpoint> checkpoint = lake.lastCommitted();
            reconcile(table, checkpoint);
            Map<BucketRef, Long> start = checkpoint.map(LakeCheckpoint::offsets).orElse(Map.of());
            Map<BucketRef, Long> end = ends(name);
            long round = checkpoint.map(c -> c.round() + 1).orElse(1L);
            hooks.reached(RoundPoint.PLANNED, name);

            long rows = 0;
            boolean moved = false;
            // a primary-key table's first round starts from its current state, not from the
            // whole changelog: the hot store's state scan is consistent at an offset it names
            boolean fromState = checkpoint.isEmpty() && table.descriptor().hasPrimaryKey();
            Map<BucketRef, Long> next = new HashMap<>(start);
            List<Segment> segments = new ArrayList<>();
            for (Map.Entry<BucketRef, Long> e : end.entrySet()) {
                BucketRef bucket = e.getKey();
                long from = start.getOrDefault(bucket, 0L);
                long to = e.getValue();
                if (fromState && to > 0) {
                    long[] scanned = {0};
                    from = client.scanState(name, bucket.partition(), bucket.bucket(), null, batch -> {
                        try (batch) {
                            lake.write(batch, 0, batch.rowCount());
                            scanned[0] += batch.rowCount();
                        }
                    });
                    rows += scanned[0];
                    moved = true;
                    // the scan may include rows appended after the round froze its ends
                    to = Math.max(to, from);
                }
                if (to < from) {
                    throw new InletException(InletErrorCode.CORRUPT_LOG, "Table " + path + " " + bucket + " ends at offset " + to + " in the hot store, but its lake table already holds up to "
                            + from + ": the hot data was lost or replaced; the lake is not rolled back");
                }
                if (to > from) {
                    segments.add(new Segment(bucket, from, to));
                    moved = true;
                }
                next.put(bucket, to);
            }
            rows += copy(name, lake, segments, fence);
            hooks.reached(RoundPoint.WRITTEN, name);
            if (!moved) {
                return Optional.empty();
            }
            // the fences: still the lease holder, and nobody committed since the round was planned
            fence.renew();
            Optional<LakeCheckpoint> now = lake.lastCommitted();
            if (!now.map(LakeCheckpoint::snapshotId).equals(checkpoint.map(LakeCheckpoint::snapshotId))) {
                throw new InletException(InletErrorCode.TIERING_FENCED, "Lake table of " + path + " gained tiering snapshot " + now.map(c -> c.snapshotId() + " (round " + c.round()
                        + ", epoch " + c.epoch() + ")").orElse("-") + " while round " + round + " (epoch " + fence.epoch() + ") ran; the round commits nothing");
            }
            long snapshot = lake.commit(round, fence.epoch(), next);
            hooks.reached(RoundPoint.LAKE_COMMITTED, name);
            record(table, snapshot, next);
            hooks.reached(RoundPoint.RECORDED, name);
            LOG.info("Tiered {}: round {}, {} rows, lake snapshot {}", path, round, rows, snapshot);
            return Optional.of(new Result(path, round, snapshot, rows, Map.copyOf(next)));
        }
    }

    /** Records the lake's newest snapshot in the catalog if the catalog does not have it yet. */
    private void reconcile(TableInfo table, Optional<LakeCheckpoint> checkpoint)
    {
        List<TieredOffset> recorded = catalog.store().tieredOffsets(table.tableId());
        if (checkpoint.isEmpty()) {
            if (!recorded.isEmpty()) {
                throw new InletException(InletErrorCode.LAKE_TABLE_MISMATCH, "The catalog records tiered offsets of " + table.path() + " up to lake snapshot "
                        + recorded.getFirst().lakeSnapshotId() + ", but its lake table has no tiering snapshot: the lake table was replaced; tiering stops rather than write its data twice");
            }
            return;
        }
        LakeCheckpoint lake = checkpoint.get();
        boolean known = !recorded.isEmpty() && recorded.stream().allMatch(o -> o.lakeSnapshotId() == lake.snapshotId());
        if (known) {
            return;
        }
        boolean behind = recorded.stream().anyMatch(o -> o.offset() > lake.offsets().getOrDefault(new BucketRef(o.partition(), o.bucket()), 0L));
        if (behind) {
            // only after the lake rolled back a snapshot committed under a lapsed lease: the
            // catalog follows the lake back, and the next rounds tier those rows again
            LOG.warn("The catalog records offsets of {} beyond its lake snapshot {} (round {}, epoch {}); setting them back to the lake's", table.path(), lake.snapshotId(), lake.round(),
                    lake.epoch());
            catalog.store().replaceTieredOffsets(table.path(), table.tableId(), lake.snapshotId(), tieredOffsets(lake.snapshotId(), lake.offsets()));
            return;
        }
        LOG.info("Adopting lake snapshot {} of {} (round {}), which the catalog has not recorded", lake.snapshotId(), table.path(), lake.round());
        // a backfill that committed and died before recording its files: record them now, before
        // snapshot expiry could take the lake's record of them away
        catalog.store().recordBackfilledFiles(table.tableId(), lake.snapshotId(), lake.backfilled());
        record(table, lake.snapshotId(), lake.offsets());
    }

    private void record(TableInfo table, long snapshot, Map<BucketRef, Long> offsets)
    {
        catalog.store().recordTieredOffsets(table.path(), table.tableId(), snapshot, tieredOffsets(snapshot, offsets));
    }

    private static List<TieredOffset> tieredOffsets(long snapshot, Map<BucketRef, Long> offsets)
    {
        Instant now = Instant.now();
        List<TieredOffset> rows = new ArrayList<>();
        offsets.forEach((bucket, offset) -> rows.add(new TieredOffset(bucket.partition(), bucket.bucket(), snapshot, offset, now)));
        return rows;
    }

    /** Per bucket of every partition, the hot store's high-water mark now. */
    private Map<BucketRef, Long> ends(String table)
    {
        Map<BucketRef, Long> ends = new HashMap<>();
        for (Actions.PartitionInfo partition : client.partitions(table)) {
            for (Actions.BucketOffset o : client.offsets(table, partition.name(), Actions.OffsetSpec.LATEST, 0)) {
                ends.put(new BucketRef(partition.name(), o.bucket()), o.offset());
            }
        }
        return ends;
    }

    /** One bucket's rows {@code [from, to)} of a round. */
    private record Segment(BucketRef bucket, long from, long to) {}

    /** Rows {@code [first, last)} of a batch read for a segment. */
    private record Slice(Segment segment, ScanBatch batch, int first, int last)
            implements AutoCloseable
    {
        @Override
        public void close()
        {
            batch.close();
        }
    }

    /**
     * Writes every segment's rows to the lake; returns how many. A reader thread fetches the
     * batches, bucket after bucket, while this thread writes them ({@link ReadAhead}): reading the
     * hot store and encoding lake files overlap.
     */
    private long copy(String table, LakeTierWriter lake, List<Segment> segments, Fence fence)
    {
        if (segments.isEmpty()) {
            return 0;
        }
        checkStillInHotStore(table, segments);
        long[] rows = {0};
        Segment[] current = {null};
        ReadAhead.<Slice>run("inlet-tiering-read-" + table, READ_AHEAD_BATCHES, sink -> {
            for (Segment segment : segments) {
                read(table, segment, sink);
            }
        }, slice -> {
            if (current[0] != null && current[0] != slice.segment()) {
                fence.renew(); // a bucket done: keep the lease through long rounds
            }
            current[0] = slice.segment();
            lake.write(slice.batch(), slice.first(), slice.last());
            rows[0] += slice.last() - slice.first();
        }, failure -> failure instanceof InterruptedException
                ? new InletException(InletErrorCode.SERVER_UNAVAILABLE, "Tiering round of " + table + " interrupted", failure)
                : new InletException(InletErrorCode.SERVER_UNAVAILABLE, "Reading " + table + " failed: " + failure, failure));
        return rows[0];
    }

    /** Every segment's first offset must still be in the hot store (one offsets request per partition). */
    private void checkStillInHotStore(String table, List<Segment> segments)
    {
        Map<String, Map<Integer, Long>> earliest = new HashMap<>();
        for (Segment segment : segments) {
            BucketRef bucket = segment.bucket();
            long first = earliest.computeIfAbsent(bucket.partition(), p -> {
                Map<Integer, Long> byBucket = new HashMap<>();
                client.offsets(table, p, Actions.OffsetSpec.EARLIEST, 0).forEach(o -> byBucket.put(o.bucket(), o.offset()));
                return byBucket;
            }).getOrDefault(bucket.bucket(), 0L);
            if (first > segment.from()) {
                throw new InletException(InletErrorCode.OFFSET_OUT_OF_RANGE, "Table " + table + " " + bucket + ": the lake holds offsets below " + segment.from() + ", but the hot store starts at "
                        + first + ": offsets [" + segment.from() + ", " + first + ") were deleted before they were tiered");
            }
        }
    }

    /** Reads a segment's rows into the queue, cutting stored batches that start before it or end after it. */
    private void read(String table, Segment segment, ReadAhead.Sink<Slice> queue)
            throws InterruptedException
    {
        BucketRef bucket = segment.bucket();
        try (LogScanner scanner = client.newScanner(table, ScanOptions.defaults())) {
            scanner.subscribe(bucket.partition(), bucket.bucket(), StartPosition.offset(segment.from()));
            Instant idleSince = Instant.now();
            while (scanner.position(bucket.partition(), bucket.bucket()) < segment.to()) {
                List<ScanBatch> batches = scanner.poll(POLL);
                if (batches.isEmpty() && Duration.between(idleSince, Instant.now()).compareTo(readTimeout) > 0) {
                    throw new InletException(InletErrorCode.SERVER_UNAVAILABLE, "Table " + table + " " + bucket + ": no rows for " + readTimeout + " at offset "
                            + scanner.position(bucket.partition(), bucket.bucket()) + ", below the round's end " + segment.to());
                }
                for (int i = 0; i < batches.size(); i++) {
                    ScanBatch batch = batches.get(i);
                    idleSince = Instant.now();
                    int first = (int) Math.max(0, segment.from() - batch.baseOffset());
                    int last = (int) Math.min(batch.rowCount(), segment.to() - batch.baseOffset());
                    if (last <= first) {
                        batch.close();
                        continue;
                    }
                    try {
                        queue.put(new Slice(segment, batch, first, last));
                    }
                    catch (InterruptedException e) {
                        batch.close();
                        batches.subList(i + 1, batches.size()).forEach(ScanBatch::close);
                        throw e;
                    }
                }
            }
        }
    }
}
