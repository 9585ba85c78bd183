/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering.backfill;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.model.TableInfo;
import dev.inlet.catalog.model.TieringLease;
import dev.inlet.catalog.store.MetadataStore;
import dev.inlet.tiering.Fence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Takes a table's tiering lease for one backfill commit, from the tiering daemon that holds it:
 * the backfill requests it, the daemon hands it over between two of its rounds, the backfill
 * commits under it (a new epoch, so the lake's epoch rule still tells a late commit from a
 * current one) and gives it back at once. A backfill that dies leaves a request and a lease that
 * both lapse after the lease time-to-live, and tiering goes on.
 */
final class LeaseHandover
{
    private static final Logger LOG = LoggerFactory.getLogger(LeaseHandover.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final MetadataStore store;
    private final TableInfo table;
    private final String owner;
    private final Duration ttl;
    private final Duration timeout;

    LeaseHandover(MetadataStore store, TableInfo table, String owner, Duration ttl, Duration timeout)
    {
        this.store = requireNonNull(store, "store is null");
        this.table = requireNonNull(table, "table is null");
        this.owner = requireNonNull(owner, "owner is null");
        this.ttl = requireNonNull(ttl, "ttl is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
    }

    /** What runs under the lease. */
    interface Work<T>
    {
        T run(Fence fence);
    }

    /**
     * Requests the lease, waits until it is handed over, runs {@code work} under it, then gives it
     * back and withdraws the request.
     *
     * @throws InletException {@code BACKFILL_LEASE_UNAVAILABLE} if it is not handed over within the timeout
     */
    <T> T underLease(Work<T> work)
    {
        Instant deadline = Instant.now().plus(timeout);
        Optional<TieringLease> lease = Optional.empty();
        try {
            while (lease.isEmpty()) {
                Instant now = Instant.now();
                if (!now.isBefore(deadline)) {
                    throw new InletException(InletErrorCode.BACKFILL_LEASE_UNAVAILABLE, "The tiering lease of " + table.path() + " was not handed to the backfill within " + timeout
                            + " (held by " + store.tieringLease(table.tableId()).map(l -> l.owner() + ", epoch " + l.epoch()).orElse("nobody")
                            + " or requested by another backfill); nothing was committed: run the backfill again, or raise backfill.lease-timeout");
                }
                if (store.requestTieringLease(table.tableId(), owner, ttl, now)) {
                    lease = store.acquireTieringLease(table.tableId(), owner, ttl, now);
                }
                if (lease.isEmpty()) {
                    sleep();
                }
            }
            LOG.info("Backfill of {} holds the tiering lease (epoch {})", table.path(), lease.get().epoch());
            TieringLease held = lease.get();
            return work.run(new Fence()
            {
                @Override
                public long epoch()
                {
                    return held.epoch();
                }

                @Override
                public void renew()
                {
                    if (!store.renewTieringLease(table.tableId(), owner, held.epoch(), ttl, Instant.now())) {
                        throw new InletException(InletErrorCode.BACKFILL_LEASE_UNAVAILABLE, "The backfill lost the tiering lease of " + table.path() + " (epoch " + held.epoch()
                                + ") before its commit; nothing was committed: run the backfill again");
                    }
                }
            });
        }
        finally {
            lease.ifPresent(l -> store.releaseTieringLease(table.tableId(), owner, l.epoch()));
            store.withdrawTieringLeaseRequest(table.tableId(), owner);
        }
    }

    private static void sleep()
    {
        try {
            Thread.sleep(POLL);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InletException(InletErrorCode.BACKFILL_LEASE_UNAVAILABLE, "Interrupted while waiting for the tiering lease", e);
        }
    }
}
