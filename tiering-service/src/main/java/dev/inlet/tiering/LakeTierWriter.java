/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering;

import dev.inlet.catalog.lake.BackfilledFile;
import dev.inlet.catalog.lake.BucketRef;
import dev.inlet.catalog.lake.LakeCheckpoint;
import dev.inlet.logstore.client.ScanBatch;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes one tiering round into a lake table and commits it as one snapshot. Lake files written
 * before {@link #commit} are invisible to readers; {@link #close()} without a commit aborts them.
 * One instance per round; not thread-safe.
 */
public interface LakeTierWriter
        extends AutoCloseable
{
    /**
     * The newest snapshot tiering committed to the lake table, or empty if none. A snapshot
     * committed under a lower lease epoch than the tiering snapshot before it (a process that lost
     * its lease committed late) is rolled back first, when it is the table's newest snapshot.
     */
    Optional<LakeCheckpoint> lastCommitted();

    /**
     * The newest snapshot tiering committed, as it is: like {@link #lastCommitted()} but read only
     * (no roll-back), for a process that does not hold the table's lease.
     */
    Optional<LakeCheckpoint> newestCheckpoint();

    /**
     * Writes rows {@code [from, to)} of a batch read from a bucket's log: appended rows of a log
     * table, or changelog rows of a primary-key table (applied by their change type).
     */
    void write(ScanBatch batch, int from, int to);

    /**
     * Writes the rows at positions {@code rows[0 .. count)} of a batch whose rows belong to
     * several buckets: the ones at these positions are of the batch's partition and bucket (a
     * backfill routes a decoded source batch this way instead of copying it per bucket).
     */
    void write(ScanBatch batch, int[] rows, int count);

    /**
     * Commits what was written as one snapshot whose properties record {@code offsets} and
     * {@code epoch} ({@link LakeCheckpoint#properties}). A round the lake already holds (a retry
     * after a commit whose outcome was lost) is not committed again.
     *
     * @return the id of the snapshot that holds the round
     */
    default long commit(long round, long epoch, Map<BucketRef, Long> offsets)
    {
        return commit(round, epoch, offsets, List.of());
    }

    /**
     * Commits like {@link #commit(long, long, Map)}, for a backfill: the snapshot's properties also
     * record the source files it loaded ({@link LakeCheckpoint#BACKFILL_FILES_PROPERTY}), and
     * {@code offsets} are the tiered offsets as they were (a backfill moves none).
     */
    long commit(long round, long epoch, Map<BucketRef, Long> offsets, List<BackfilledFile> backfilled);

    /**
     * Makes the next commit replace the rows of one partition of a partitioned table with the
     * rows written (an overwrite); the other partitions keep theirs.
     *
     * @param values the value of each partition column, by column name
     */
    void replacePartition(Map<String, Object> values);

    @Override
    void close();
}
