/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.storage;

/**
 * When an append counts as durable, and so when it is acknowledged and becomes visible to
 * readers.
 */
public enum FlushPolicy
{
    /**
     * Acknowledge an append only after an fsync covered it. {@link GroupCommit} lets concurrent
     * appends, to one bucket or many, wait for the same round of fsyncs. Nothing acknowledged is
     * lost in a crash of the process or the machine.
     */
    FSYNC,
    /**
     * Acknowledge an append as soon as it is in the page cache, and fsync every
     * {@link LogConfig#flushIntervalMs()}. A crash of the machine (not of the process alone: the
     * page cache survives that) loses what was appended in the last interval, up to about
     * {@code flushIntervalMs} of acknowledged appends.
     */
    INTERVAL,
    /**
     * Acknowledge an append as soon as it is in the page cache and never fsync it on its own
     * account; the operating system writes it back when it likes (on Linux typically within 30
     * seconds). Segments are still fsynced when they roll and when the log closes. A crash of the
     * machine loses whatever the OS had not written back.
     */
    NONE,
}
