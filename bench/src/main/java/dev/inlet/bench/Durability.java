/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.bench;

import java.util.Locale;

/**
 * When a store acknowledges a batch. Each target maps the two modes onto its own settings and
 * states them in {@link IngestTarget#durability(Durability)}; the harness prints that text next to
 * the figures, so that a reader sees what was compared.
 */
public enum Durability
{
    /**
     * The batch is on disk (fsync) before it is acknowledged; a store may group several batches into
     * one fsync (group commit). Inlet's default; Kafka's topic with {@code flush.messages=1}.
     */
    FSYNC,
    /**
     * The batch is in the server's page cache when acknowledged; the OS writes it back later.
     * Inlet's {@code log.flush.policy=none}; Kafka's default.
     */
    NONE;

    /** The name on the command line and in the output. */
    public String label()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
