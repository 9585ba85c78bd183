/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering;

/**
 * The named steps of a {@link TieringRound}, in order. {@link RoundHooks} are called at each, so
 * that tests can crash a round there and check that the next round repairs it.
 */
public enum RoundPoint
{
    /** The catalog agrees with the lake and the end offsets are frozen; nothing written yet. */
    PLANNED,
    /** Every row of the round is in lake files that no snapshot references yet. */
    WRITTEN,
    /** The lake snapshot with the new offsets is committed; the catalog does not know it yet. */
    LAKE_COMMITTED,
    /** The catalog records the new offsets and snapshot. */
    RECORDED,
}
