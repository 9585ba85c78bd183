/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.model;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * The right of one tiering process to tier one table until {@code expiresAt}. Each takeover (a
 * new owner, or the same owner after its lease ran out) raises the epoch, and every lake snapshot
 * tiering commits carries the epoch it was written under: a process whose lease was taken over
 * can be told apart by its lower epoch.
 *
 * @param tableId the table
 * @param owner who holds it (a tiering process's id)
 * @param epoch raised by one on every takeover
 * @param expiresAt when it lapses unless renewed
 */
public record TieringLease(long tableId, String owner, long epoch, Instant expiresAt)
{
    public TieringLease
    {
        requireNonNull(owner, "owner is null");
        requireNonNull(expiresAt, "expiresAt is null");
    }
}
