/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.client;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.logstore.protocol.Actions;
import dev.inlet.logstore.protocol.BatchMetadata;
import dev.inlet.logstore.protocol.FetchTicket;
import dev.inlet.logstore.protocol.FlightErrors;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.util.TransferPair;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Reads buckets of one table as Arrow batches, from where each subscription starts, following
 * each bucket's log as it grows. Not thread-safe: one thread polls.
 *
 * <pre>{@code
 * try (LogScanner scanner = client.newScanner("shop.orders", ScanOptions.defaults().withColumns(List.of("order_id", "amount")))) {
 *     scanner.subscribe("", 0, StartPosition.earliest());
 *     for (ScanBatch batch : scanner.poll(Duration.ofSeconds(1))) { try (batch) { ... } }
 * }
 * }</pre>
 */
public final class LogScanner
        implements AutoCloseable
{
    private final InletClient client;
    private final TableHandle table;
    private final ScanOptions options;
    private final Map<Subscription, Long> positions = new LinkedHashMap<>();
    private int nextBucket;

    record Subscription(String partition, int bucket) {}

    LogScanner(InletClient client, TableHandle table, ScanOptions options)
    {
        this.client = requireNonNull(client, "client is null");
        this.table = requireNonNull(table, "table is null");
        this.options = requireNonNull(options, "options is null");
    }

    /** Starts reading a bucket of a partition ("" if unpartitioned). */
    public void subscribe(String partition, int bucket, StartPosition start)
    {
        long offset = switch (start) {
            case StartPosition.Offset o -> o.offset();
            case StartPosition.Earliest e -> offsetOf(partition, bucket, Actions.OffsetSpec.EARLIEST, 0);
            case StartPosition.Latest l -> offsetOf(partition, bucket, Actions.OffsetSpec.LATEST, 0);
            case StartPosition.Timestamp t -> offsetOf(partition, bucket, Actions.OffsetSpec.TIMESTAMP, t.epochMillis());
        };
        positions.put(new Subscription(partition, bucket), offset);
    }

    /** Subscribes to every bucket of a partition. */
    public void subscribeAll(String partition, StartPosition start)
    {
        for (int b = 0; b < table.descriptor().bucketCount(); b++) {
            subscribe(partition, b, start);
        }
    }

    private long offsetOf(String partition, int bucket, Actions.OffsetSpec spec, long timestamp)
    {
        return client.offsets(table.path().toString(), partition, spec, timestamp).stream()
                .filter(o -> o.bucket() == bucket)
                .findFirst()
                .orElseThrow(() -> new InletException(InletErrorCode.OFFSET_OUT_OF_RANGE, "Table " + table.path() + " has no bucket " + bucket))
                .offset();
    }

    /** The next offset this scanner will read from a bucket. */
    public long position(String partition, int bucket)
    {
        Long p = positions.get(new Subscription(partition, bucket));
        if (p == null) {
            throw new IllegalArgumentException("not subscribed to bucket " + bucket + (partition.isEmpty() ? "" : " of partition " + partition));
        }
        return p;
    }

    /**
     * Returns the batches available now, or waits up to {@code timeout} for some (the server
     * holds the request open, so no polling loop runs while nothing arrives).
     */
    public List<ScanBatch> poll(Duration timeout)
    {
        if (positions.isEmpty()) {
            throw new IllegalStateException("subscribe to a bucket first");
        }
        Instant deadline = Instant.now().plus(timeout);
        List<Subscription> subscriptions = new ArrayList<>(positions.keySet());
        while (true) {
            for (int i = 0; i < subscriptions.size(); i++) {
                Subscription s = subscriptions.get((nextBucket + i) % subscriptions.size());
                List<ScanBatch> batches = fetch(s, 0);
                if (!batches.isEmpty()) {
                    nextBucket = (nextBucket + i + 1) % subscriptions.size();
                    return batches;
                }
            }
            long remaining = Duration.between(Instant.now(), deadline).toMillis();
            if (remaining <= 0) {
                return List.of();
            }
            // long poll on one bucket; the others are looked at again right after
            Subscription s = subscriptions.get(nextBucket % subscriptions.size());
            nextBucket = (nextBucket + 1) % subscriptions.size();
            List<ScanBatch> batches = fetch(s, Math.min(remaining, subscriptions.size() == 1 ? remaining : 100));
            if (!batches.isEmpty()) {
                return batches;
            }
        }
    }

    private List<ScanBatch> fetch(Subscription s, long waitMs)
    {
        long offset = positions.get(s);
        FetchTicket ticket = FetchTicket.of(table.path().toString(), s.partition(), s.bucket(), offset)
                .withMaxBytes(options.maxBytesPerFetch())
                .withColumns(options.columns().orElse(null))
                .withWaitMs(waitMs);
        List<ScanBatch> batches = new ArrayList<>();
        try (FlightStream stream = client.flight().getStream(new Ticket(ticket.toBytes()), client.callOptions())) {
            while (stream.next()) {
                ArrowBuf metadataBuf = stream.getLatestMetadata();
                if (metadataBuf == null) {
                    throw new InletException(InletErrorCode.MALFORMED_REQUEST, "The hot store sent a batch without metadata for " + table.path() + " bucket " + s.bucket());
                }
                byte[] bytes = dev.inlet.logstore.protocol.MetadataBuffers.bytes(metadataBuf);
                BatchMetadata metadata = BatchMetadata.fromBytes(bytes);
                VectorSchemaRoot root = stream.getRoot();
                if (metadata.recordCount() == 0 || root.getRowCount() == 0) {
                    continue;
                }
                batches.add(new ScanBatch(s.partition(), s.bucket(), metadata.baseOffset(), metadata.commitTimestamp(), copy(root)));
                positions.put(s, metadata.baseOffset() + metadata.recordCount());
            }
        }
        catch (FlightRuntimeException e) {
            batches.forEach(ScanBatch::close);
            throw FlightErrors.fromFlight(e);
        }
        catch (Exception e) {
            batches.forEach(ScanBatch::close);
            if (e instanceof InletException inlet) {
                throw inlet;
            }
            throw new InletException(InletErrorCode.SERVER_UNAVAILABLE, "Fetch of " + table.path() + " bucket " + s.bucket() + " failed: " + e.getMessage(), e);
        }
        return batches;
    }

    /** Moves the stream's vectors (which it reuses for the next batch) into a root the caller owns. */
    private VectorSchemaRoot copy(VectorSchemaRoot source)
    {
        List<org.apache.arrow.vector.FieldVector> vectors = new ArrayList<>();
        for (org.apache.arrow.vector.FieldVector v : source.getFieldVectors()) {
            TransferPair transfer = v.getTransferPair(client.allocator());
            transfer.transfer();
            vectors.add((org.apache.arrow.vector.FieldVector) transfer.getTo());
        }
        VectorSchemaRoot copy = new VectorSchemaRoot(vectors);
        copy.setRowCount(source.getRowCount());
        return copy;
    }

    @Override
    public void close()
    {
        positions.clear();
    }
}
