/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.client;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.logstore.protocol.AppendAck;
import dev.inlet.logstore.protocol.AppendCommand;
import org.apache.arrow.vector.types.pojo.Schema;
import dev.inlet.logstore.protocol.BatchRoute;
import dev.inlet.logstore.protocol.FlightErrors;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Sends an {@link AppendWriter}'s sealed batches over one Flight {@code DoPut} stream, in order,
 * and matches the server's acknowledgements (which come back in the same order) to them.
 *
 * <p>Batches stay in {@code unacked} until their ack arrives. When the stream fails, the sender
 * opens a new one and resends every unacknowledged batch with its original sequence number; the
 * server stores each one once. After {@link WriterOptions#retries()} failed streams in a row, or on
 * an error that a retry cannot fix, the batches fail with that error.
 *
 * <p>Threads: one sender thread makes every Flight call, so no lock is held while gRPC applies
 * flow control; acks arrive on gRPC threads and only take the monitor of {@code this} briefly.
 * (Holding a lock across {@code putNext} could deadlock: the server's acks could not be taken in,
 * so the server would stop reading, so {@code putNext} would never return.)
 */
final class AppendSender
        implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(AppendSender.class);

    private final InletClient client;
    private final TableHandle table;
    private final long writerId;
    private final WriterOptions options;
    private final Thread thread;

    // guarded by this
    private final Deque<PendingBatch> queue = new ArrayDeque<>();
    private final Deque<PendingBatch> unacked = new ArrayDeque<>();
    private long inFlightBytes;
    private Stream stream;
    private boolean streamBroken;
    private Throwable lastError;
    private int failedStreams;
    private InletException fatal;
    private boolean fatalReported;
    private boolean closing;

    private final Schema streamSchema;
    private final byte[] command;

    /**
     * @param streamSchema the schema of the batches (the table's columns, or an upsert's target
     *     columns and {@code _op})
     * @param command the DoPut command ({@link AppendCommand})
     */
    AppendSender(InletClient client, TableHandle table, long writerId, WriterOptions options, Schema streamSchema, AppendCommand command)
    {
        this.streamSchema = streamSchema;
        this.command = command.toBytes();
        this.client = client;
        this.table = table;
        this.writerId = writerId;
        this.options = options;
        this.thread = Thread.ofPlatform().daemon().name("inlet-writer-" + table.path()).start(this::run);
    }

    /** Queues a batch, blocking while too many bytes are unacknowledged. */
    synchronized void send(PendingBatch batch)
    {
        try {
            while (inFlightBytes > 0 && inFlightBytes + batch.bytes() > options.maxInFlightBytes() && fatal == null) {
                wait();
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(batch, new InletException(InletErrorCode.SERVER_UNAVAILABLE, "Interrupted while waiting to send to " + table.path()));
            return;
        }
        if (fatal != null) {
            fail(batch, fatal);
            return;
        }
        inFlightBytes += batch.bytes();
        queue.addLast(batch);
        notifyAll();
    }

    private void run()
    {
        while (true) {
            List<PendingBatch> toSend = new ArrayList<>();
            Stream current;
            synchronized (this) {
                while (queue.isEmpty() && !streamBroken && !closing) {
                    try {
                        wait();
                    }
                    catch (InterruptedException e) {
                        return;
                    }
                }
                if (closing && queue.isEmpty() && !streamBroken) {
                    return;
                }
                if (streamBroken) {
                    if (!recoverFromBrokenStream()) {
                        continue;
                    }
                    toSend.addAll(unacked);
                }
                toSend.addAll(queue);
                unacked.addAll(queue);
                queue.clear();
                current = stream;
            }
            try {
                if (current == null) {
                    current = new Stream();
                    synchronized (this) {
                        stream = current;
                    }
                }
                for (PendingBatch b : toSend) {
                    current.put(b);
                }
            }
            catch (RuntimeException e) {
                streamFailed(current, e);
            }
        }
    }

    /** Called with the lock held: decides whether to retry; false means everything failed. */
    private boolean recoverFromBrokenStream()
    {
        streamBroken = false;
        Stream old = stream;
        stream = null;
        if (old != null) {
            old.abandon();
        }
        InletException cause = toInlet(lastError);
        boolean retryable = cause.errorCode() == InletErrorCode.SERVER_UNAVAILABLE;
        if (!retryable || ++failedStreams > options.retries()) {
            fatal = cause;
            List<PendingBatch> failed = new ArrayList<>(unacked);
            failed.addAll(queue);
            unacked.clear();
            queue.clear();
            inFlightBytes = 0;
            failed.forEach(b -> fail(b, cause));
            notifyAll();
            return false;
        }
        LOG.warn("Append stream to {} failed ({}); resending {} unacknowledged batches (attempt {} of {})", table.path(), cause.getMessage(), unacked.size(),
                failedStreams, options.retries());
        try {
            // back off before reconnecting; the waiters are woken by acks or failures, not by time
            wait(Duration.ofMillis(100L << Math.min(failedStreams, 6)).toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }

    private InletException toInlet(Throwable error)
    {
        return error instanceof FlightRuntimeException f ? FlightErrors.fromFlight(f)
                : error instanceof InletException i ? i
                : new InletException(InletErrorCode.SERVER_UNAVAILABLE, "Append stream to " + table.path() + " failed: " + error, error);
    }

    private synchronized void acked(Stream from, AppendAck ack)
    {
        if (from != stream || streamBroken) {
            return;
        }
        PendingBatch batch = unacked.peekFirst();
        if (batch == null || batch.bucket() != ack.bucket() || !batch.partition().equals(ack.partition()) || batch.sequence() != ack.sequence()) {
            streamFailed(from, new IllegalStateException("ack for bucket " + ack.bucket() + " sequence " + ack.sequence()
                    + " does not match the oldest unacknowledged batch " + (batch == null ? "(none)" : "bucket " + batch.bucket() + " sequence " + batch.sequence())));
            return;
        }
        unacked.pollFirst();
        failedStreams = 0;
        inFlightBytes -= batch.bytes();
        batch.batch().close();
        batch.acknowledged(ack.partition(), ack.bucket(), ack.baseOffset(), ack.lastOffset());
        notifyAll();
    }

    private synchronized void streamFailed(Stream from, Throwable error)
    {
        if (from != null && from != stream) {
            return;
        }
        if (!streamBroken) {
            streamBroken = true;
            lastError = error;
            notifyAll();
        }
    }

    private static void fail(PendingBatch batch, InletException cause)
    {
        batch.batch().close();
        batch.failed(cause);
    }

    /**
     * Waits until nothing is queued or unacknowledged; throws a fatal error once (the rows it
     * failed have failed futures too), so that closing a writer after a reported failure does not
     * report it again.
     */
    synchronized void awaitAllAcknowledged()
    {
        try {
            long progressDeadline = System.nanoTime() + options.ackTimeout().toNanos();
            int waitingFor = unacked.size() + queue.size();
            while ((!unacked.isEmpty() || !queue.isEmpty()) && fatal == null) {
                long remaining = progressDeadline - System.nanoTime();
                if (remaining <= 0) {
                    // no ack for a whole timeout: treat the stream as lost and resend (the server
                    // stores each batch once)
                    streamFailed(stream, new InletException(InletErrorCode.SERVER_UNAVAILABLE, "No acknowledgement from the hot store for "
                            + options.ackTimeout().toSeconds() + "s while appending to " + table.path()));
                    progressDeadline = System.nanoTime() + options.ackTimeout().toNanos();
                    continue;
                }
                wait(Math.max(1, remaining / 1_000_000));
                int now = unacked.size() + queue.size();
                if (now < waitingFor) {
                    waitingFor = now;
                    progressDeadline = System.nanoTime() + options.ackTimeout().toNanos();
                }
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InletException(InletErrorCode.SERVER_UNAVAILABLE, "Interrupted while flushing " + table.path());
        }
        if (fatal != null && !fatalReported) {
            fatalReported = true;
            throw fatal;
        }
    }

    @Override
    public void close()
    {
        Stream last;
        synchronized (this) {
            closing = true;
            notifyAll();
        }
        try {
            thread.join();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            last = stream;
            stream = null;
        }
        if (last != null) {
            last.complete();
        }
    }

    /** One DoPut call. */
    private final class Stream
    {
        private final VectorSchemaRoot root;
        private final FlightClient.ClientStreamListener listener;

        Stream()
        {
            root = VectorSchemaRoot.create(streamSchema, client.allocator());
            FlightDescriptor descriptor = FlightDescriptor.command(command);
            Stream self = this;
            listener = client.flight().startPut(descriptor, root, new FlightClient.PutListener()
            {
                private final CompletableFuture<Void> done = new CompletableFuture<>();

                @Override
                public void onNext(PutResult result)
                {
                    AppendAck ack;
                    try {
                        // the buffer belongs to Flight, which closes it after this call
                        ArrowBuf metadata = result.getApplicationMetadata();
                        byte[] bytes = dev.inlet.logstore.protocol.MetadataBuffers.bytes(metadata);
                        ack = AppendAck.fromBytes(bytes);
                    }
                    catch (RuntimeException e) {
                        streamFailed(self, e);
                        return;
                    }
                    acked(self, ack);
                }

                @Override
                public void onError(Throwable t)
                {
                    done.completeExceptionally(t);
                    streamFailed(self, t);
                }

                @Override
                public void onCompleted()
                {
                    done.complete(null);
                }

                /** Flight's putNext spins until the stream is ready; a finished call never is, so tell it. */
                @Override
                public boolean isCancelled()
                {
                    return done.isDone();
                }

                @Override
                public void getResult()
                {
                    try {
                        done.get();
                    }
                    catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    catch (java.util.concurrent.ExecutionException e) {
                        if (e.getCause() instanceof FlightRuntimeException f) {
                            throw f;
                        }
                        throw new IllegalStateException(e.getCause());
                    }
                }
            }, client.streamCallOptions());
            // gRPC sends the batches' Arrow buffers themselves (Flight keeps them referenced until
            // written) rather than copying each batch into its own buffers first. Safe: a sealed
            // batch is never written to, and each put loads the next batch as new buffers.
            listener.setUseZeroCopy(true);
        }

        void put(PendingBatch batch)
        {
            // Flight's putNext spins on the call's readiness, and gRPC calls a stream not ready
            // once 32 KiB are queued, so every batch would burn a core while the previous one
            // drains — a core the server on the same machine needs. Wait here without spinning.
            long parkNanos = 20_000;
            while (!listener.isReady() && !Thread.currentThread().isInterrupted()) {
                synchronized (AppendSender.this) {
                    if (streamBroken || stream != this && stream != null) {
                        return;
                    }
                }
                java.util.concurrent.locks.LockSupport.parkNanos(parkNanos);
                parkNanos = Math.min(parkNanos * 2, 1_000_000);
            }
            new VectorLoader(root).load(batch.batch());
            byte[] route = new BatchRoute(BatchRoute.VERSION, batch.partition(), batch.bucket(), batch.sequence()).toBytes();
            ArrowBuf metadata = dev.inlet.logstore.protocol.MetadataBuffers.of(client.allocator(), route);
            listener.putNext(metadata);
        }

        void complete()
        {
            try {
                listener.completed();
                listener.getResult();
            }
            catch (FlightRuntimeException e) {
                LOG.debug("Closing the append stream of {}: {}", table.path(), e.getMessage());
            }
            finally {
                root.close();
            }
        }

        void abandon()
        {
            try {
                listener.error(new RuntimeException("abandoned after a failure"));
            }
            catch (RuntimeException e) {
                // already broken
            }
            root.close();
        }
    }
}
