/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering;

/**
 * What lets a round commit: the epoch of the tiering lease it runs under, and a check that the
 * lease is still this process's. The lease is the first fence (only its holder runs rounds); the
 * epoch in every lake snapshot is the second (a snapshot committed late under a lower epoch is
 * recognised and rolled back, see {@link LakeTierWriter#lastCommitted()}).
 */
public interface Fence
{
    /** For a process that tiers alone and takes no lease (tests, one-off rounds). */
    Fence NONE = new Fence()
    {
        @Override
        public long epoch()
        {
            return 0;
        }

        @Override
        public void renew() {}
    };

    long epoch();

    /**
     * Extends the lease; called between buckets and right before the commit.
     *
     * @throws dev.inlet.catalog.error.InletException {@code TIERING_FENCED} if it lapsed or was taken over
     */
    void renew();
}
