/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering;

import dev.inlet.catalog.lake.BucketRef;
import dev.inlet.catalog.lake.LakeCheckpoint;
import dev.inlet.logstore.client.ScanBatch;

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
     * Writes rows {@code [from, to)} of a batch read from a bucket's log: appended rows of a log
     * table, or changelog rows of a primary-key table (applied by their change type).
     */
    void write(ScanBatch batch, int from, int to);

    /**
     * Commits what was written as one snapshot whose properties record {@code offsets} and
     * {@code epoch} ({@link LakeCheckpoint#properties}). A round the lake already holds (a retry
     * after a commit whose outcome was lost) is not committed again.
     *
     * @return the id of the snapshot that holds the round
     */
    long commit(long round, long epoch, Map<BucketRef, Long> offsets);

    @Override
    void close();
}
