/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.bench;

import java.util.List;

/**
 * A store that the ingest benchmark writes to: Kafka ({@link KafkaIngestTarget}) and Inlet
 * ({@code InletIngestTarget}, see {@link Targets}). The harness makes a new instance for each
 * session (one durability mode), and calls {@link #start}, then {@link #ingest} twice (a warm-up
 * pass and the measured pass, into the same table), then — if it is also a {@link FetchTarget} —
 * the fetches, and always {@link #close}. Only {@link #ingest} of the measured pass is timed.
 *
 * <p>A target starts its servers on 127.0.0.1 under {@link TargetConfig#directory()}, in a JVM of
 * their own when it can (as the Kafka broker is), so that the server's garbage collection and heap
 * are not the harness's; both share the machine's cores with the client, as they would on one host.
 */
public interface IngestTarget
        extends AutoCloseable
{
    /** A short name for the output: {@code kafka}, {@code inlet}. */
    String name();

    /**
     * The settings behind a durability mode, in one line for the output: acknowledgement, fsync,
     * replication, batching. May be called before {@link #start}.
     */
    String durability(Durability mode, TargetConfig config);

    /**
     * Starts the servers and creates the empty table of {@link BenchSchema#COLUMNS} with
     * {@link TargetConfig#buckets()} buckets routed by {@link BenchSchema#BUCKET_KEY}, and connects
     * a writer; returns when the store takes writes.
     */
    void start(TargetConfig config)
            throws Exception;

    /**
     * Appends the rows (values in {@link BenchSchema#COLUMNS} order) through the store's own client,
     * turning them into its wire format on the way as an application would; returns when every row
     * has been acknowledged under the session's durability mode, and throws if any was not.
     */
    void ingest(List<Object[]> rows)
            throws Exception;

    /**
     * What the client saw during the last {@link #ingest}, in one line for the output (average batch
     * size, requests, latency), or empty. It explains a figure; it is not compared.
     */
    default String describeLastIngest()
    {
        return "";
    }

    /** Stops the clients and the servers; called even when {@link #start} failed part-way. */
    @Override
    void close()
            throws Exception;
}
