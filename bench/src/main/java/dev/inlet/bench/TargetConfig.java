/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.bench;

import java.nio.file.Path;
import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * What the harness gives every target for one session, the same for each, so that both stores run
 * with the same table layout and client batching.
 *
 * @param directory an empty directory for the target's servers' data (on the disk under test)
 * @param buckets Inlet's bucket count and Kafka's partition count; rows are routed by
 *     {@link BenchSchema#BUCKET_KEY}
 * @param durability when a batch is acknowledged
 * @param batchBytes a bucket's batch is sent once it holds this many bytes (Kafka {@code batch.size},
 *     Inlet {@code WriterOptions.batchBytes})
 * @param batchRows ... or this many rows (Inlet only: Kafka batches by bytes; with 1 KB rows the
 *     byte limit is reached first)
 * @param linger ... or once its first row has waited this long (Kafka {@code linger.ms})
 * @param maxInFlightBytes client memory for batches sent but not acknowledged (Kafka
 *     {@code buffer.memory}, Inlet {@code maxInFlightBytes}): the client blocks past it
 * @param fetchBytesPerBucket payload bytes one fetch of one bucket may return (Kafka
 *     {@code max.partition.fetch.bytes}, Inlet {@code ScanOptions.maxBytesPerFetch})
 * @param inletAppend how the Inlet target hands rows to its writer (Kafka has one way: a record
 *     per row through its value serializer)
 */
public record TargetConfig(
        Path directory,
        int buckets,
        Durability durability,
        int batchBytes,
        int batchRows,
        Duration linger,
        long maxInFlightBytes,
        int fetchBytesPerBucket,
        InletAppend inletAppend)
{
    /** How the Inlet target hands rows to {@code AppendWriter}. */
    public enum InletAppend
    {
        /** {@code append(Object[])}, one row at a time: the writer converts each value. */
        ROW,
        /**
         * {@code appendBatch(VectorSchemaRoot)}: the application turns its rows into Arrow vectors
         * (10,000 rows at a time, typed setters, inside the timed pass) and the writer routes and
         * copies them into the buckets' batches without boxing.
         */
        COLUMNAR
    }

    public TargetConfig(Path directory, int buckets, Durability durability, int batchBytes, int batchRows, Duration linger, long maxInFlightBytes, int fetchBytesPerBucket)
    {
        this(directory, buckets, durability, batchBytes, batchRows, linger, maxInFlightBytes, fetchBytesPerBucket, InletAppend.COLUMNAR);
    }

    public TargetConfig
    {
        requireNonNull(directory, "directory is null");
        requireNonNull(inletAppend, "inletAppend is null");
        requireNonNull(durability, "durability is null");
        requireNonNull(linger, "linger is null");
        if (buckets < 1 || batchBytes < 1 || batchRows < 1 || maxInFlightBytes < 1 || fetchBytesPerBucket < 1) {
            throw new IllegalArgumentException("sizes must be positive");
        }
    }

    public TargetConfig withDirectory(Path value)
    {
        return new TargetConfig(value, buckets, durability, batchBytes, batchRows, linger, maxInFlightBytes, fetchBytesPerBucket, inletAppend);
    }

    public TargetConfig withDurability(Durability value)
    {
        return new TargetConfig(directory, buckets, value, batchBytes, batchRows, linger, maxInFlightBytes, fetchBytesPerBucket, inletAppend);
    }
}
