/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.bench;

import java.util.List;

/**
 * A store the fetch benchmark reads back, implemented by the same object as its
 * {@link IngestTarget} and called after the measured ingest, on the same table. A fetch reads every
 * row of the table from the earliest offset of every bucket, through the store's own client, and
 * returns once the client holds them all in the store's wire format (Arrow record batches for
 * Inlet, record values as {@code byte[]} for Kafka). Neither decodes rows into Java objects: the
 * benchmark measures what the store and its client do, not an application's use of the values.
 */
public interface FetchTarget
{
    /** Reads every row with all 20 columns; returns the number of rows read. */
    long fullFetch()
            throws Exception;

    /**
     * Whether the store sends only the requested columns. Kafka cannot (a record value is opaque
     * to the broker); it runs the full fetch only, as a reference.
     */
    boolean supportsColumnPruning();

    /**
     * Reads every row with only the given columns ({@link BenchSchema#PRUNED_COLUMNS}, 2 of 20),
     * the server leaving the others unread and unsent; returns the number of rows read.
     */
    long prunedFetch(List<String> columns)
            throws Exception;
}
