/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import static java.util.Objects.requireNonNull;

/**
 * Acknowledges appends once they are durable under their log's {@link FlushPolicy}, sharing
 * fsyncs between them:
 * <ul>
 * <li>{@link FlushPolicy#FSYNC}: the append is written to the page cache on the caller's thread;
 *     its future completes after an fsync covered it. One flusher thread runs rounds: take every
 *     waiting append, fsync each bucket they went to once, complete them. Appends that arrive
 *     during a round's fsyncs wait for the next round, so under load each fsync covers many
 *     appends, to one bucket or many (one fsync per bucket per round).</li>
 * <li>{@link FlushPolicy#INTERVAL}: the future completes at once; the flusher fsyncs the bucket
 *     {@link LogConfig#flushIntervalMs()} after its first unflushed append. A machine crash loses
 *     up to that interval of acknowledged appends.</li>
 * <li>{@link FlushPolicy#NONE}: the future completes at once and nothing is fsynced here.</li>
 * </ul>
 * A failed fsync fails the futures of that bucket's waiting appends, and the bucket log goes
 * offline (see {@link BucketLog}). A duplicate from an idempotent writer is acknowledged, like its
 * original, once the original is durable.
 *
 * <p>One instance serves many bucket logs; it holds no reference to a log once its appends are
 * acknowledged. Nothing is flushed until {@link #start()}; {@link #flushNow()} runs a round on the
 * calling thread. The fsyncs of a round run one bucket after another on the flusher thread.
 *
 * <p>Thread-safe.
 */
public final class GroupCommit
        implements Closeable
{
    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    private final String name;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workAvailable = lock.newCondition();
    private final Thread flusher;
    private final LongAdder fsyncs = new LongAdder();
    private final LongAdder rounds = new LongAdder();

    // guarded by lock
    private List<Waiting> waiting = new ArrayList<>();
    private final Map<BucketLog, Long> intervalDueNanos = new IdentityHashMap<>();
    private boolean started;
    private boolean closed;

    private final java.util.function.LongConsumer fsyncNanos;

    /**
     * @param name names the flusher thread, {@code inlet-group-commit-<name>}
     */
    public GroupCommit(String name)
    {
        this(name, nanos -> {});
    }

    /**
     * @param fsyncNanos told how long each fsync that wrote something took (for metrics); called
     *     on the flusher thread, so it must be quick
     */
    public GroupCommit(String name, java.util.function.LongConsumer fsyncNanos)
    {
        this.name = requireNonNull(name, "name is null");
        this.fsyncNanos = requireNonNull(fsyncNanos, "fsyncNanos is null");
        this.flusher = Thread.ofPlatform().name("inlet-group-commit-" + name).daemon().unstarted(this::run);
    }

    /** Starts the flusher thread. */
    public void start()
    {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("group commit %s is closed".formatted(name));
            }
            if (!started) {
                started = true;
                flusher.start();
            }
        }
        finally {
            lock.unlock();
        }
    }

    /**
     * Appends a batch to {@code log} now and returns a future that completes with its offsets once
     * the append is durable under the log's flush policy. Errors (a rejected sequence, a batch too
     * large, an offline log, a failed fsync) complete the future exceptionally; this method does
     * not throw them.
     *
     * @see BucketLog#append
     */
    public CompletableFuture<AppendResult> append(BucketLog log, ByteBuffer payload, int recordCount, int schemaId, long writerId, int writerSequence, long commitTimestamp)
    {
        requireNonNull(payload, "payload is null");
        return append(log, new ByteBuffer[] {payload}, recordCount, schemaId, writerId, writerSequence, commitTimestamp);
    }

    /**
     * Same as {@link #append(BucketLog, ByteBuffer, int, int, long, int, long)} for a payload in
     * parts (see {@link BucketLog#append(ByteBuffer[], int, int, long, int, long)}); the parts are
     * written before this returns and not used after.
     */
    public CompletableFuture<AppendResult> append(BucketLog log, ByteBuffer[] payload, int recordCount, int schemaId, long writerId, int writerSequence, long commitTimestamp)
    {
        requireNonNull(log, "log is null");
        if (isClosed()) {
            return CompletableFuture.failedFuture(new LogStorageException("Group commit %s is closed".formatted(name)));
        }
        AppendResult result;
        try {
            result = log.append(payload, recordCount, schemaId, writerId, writerSequence, commitTimestamp);
        }
        catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
        return switch (log.config().flushPolicy()) {
            case FSYNC -> whenDurable(log, result);
            case INTERVAL -> {
                markDirty(log);
                yield CompletableFuture.completedFuture(result);
            }
            case NONE -> CompletableFuture.completedFuture(result);
        };
    }

    /**
     * Runs one round on the calling thread: fsyncs every bucket with waiting appends or with
     * unflushed {@link FlushPolicy#INTERVAL} appends (due or not), and completes what became
     * durable. For shutdown and tests; the flusher thread does this on its own.
     */
    public void flushNow()
    {
        List<Waiting> batch;
        List<BucketLog> dirty;
        lock.lock();
        try {
            batch = takeWaiting();
            dirty = new ArrayList<>(intervalDueNanos.keySet());
            intervalDueNanos.clear();
        }
        finally {
            lock.unlock();
        }
        runRound(batch, dirty);
    }

    /** Fsyncs issued by this group commit. */
    public long fsyncCount()
    {
        return fsyncs.sum();
    }

    /** Rounds run (each fsyncs every bucket it covers once). */
    public long roundCount()
    {
        return rounds.sum();
    }

    /** Appends waiting for an fsync. */
    public int waitingCount()
    {
        lock.lock();
        try {
            return waiting.size();
        }
        finally {
            lock.unlock();
        }
    }

    /**
     * Stops the flusher thread, then flushes and completes everything still waiting. Appends
     * after this fail.
     */
    @Override
    public void close()
    {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            workAvailable.signalAll();
        }
        finally {
            lock.unlock();
        }
        if (started) {
            try {
                flusher.join();
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        flushNow();
    }

    private record Waiting(BucketLog log, AppendResult result, CompletableFuture<AppendResult> future) {}

    private CompletableFuture<AppendResult> whenDurable(BucketLog log, AppendResult result)
    {
        if (log.isDurable(result)) {
            return CompletableFuture.completedFuture(result);
        }
        CompletableFuture<AppendResult> future = new CompletableFuture<>();
        lock.lock();
        try {
            if (!closed) {
                waiting.add(new Waiting(log, result, future));
                workAvailable.signal();
                return future;
            }
        }
        finally {
            lock.unlock();
        }
        // closed while this append was being written: its final round may be over, so flush here
        runRound(List.of(new Waiting(log, result, future)), List.of());
        return future;
    }

    private void markDirty(BucketLog log)
    {
        lock.lock();
        try {
            if (!intervalDueNanos.containsKey(log)) {
                intervalDueNanos.put(log, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(log.config().flushIntervalMs()));
                workAvailable.signal();
            }
        }
        finally {
            lock.unlock();
        }
    }

    private boolean isClosed()
    {
        lock.lock();
        try {
            return closed;
        }
        finally {
            lock.unlock();
        }
    }

    private void run()
    {
        while (true) {
            List<Waiting> batch;
            List<BucketLog> due = new ArrayList<>();
            lock.lock();
            try {
                while (true) {
                    if (closed) {
                        return;
                    }
                    long now = System.nanoTime();
                    long nextDue = Long.MAX_VALUE;
                    for (Iterator<Map.Entry<BucketLog, Long>> i = intervalDueNanos.entrySet().iterator(); i.hasNext(); ) {
                        Map.Entry<BucketLog, Long> entry = i.next();
                        if (entry.getValue() - now <= 0) {
                            due.add(entry.getKey());
                            i.remove();
                        }
                        else {
                            nextDue = Math.min(nextDue, entry.getValue() - now);
                        }
                    }
                    if (!waiting.isEmpty() || !due.isEmpty()) {
                        batch = takeWaiting();
                        break;
                    }
                    if (nextDue == Long.MAX_VALUE) {
                        workAvailable.await();
                    }
                    else {
                        workAvailable.awaitNanos(nextDue);
                    }
                }
            }
            catch (InterruptedException e) {
                log.warn("Group commit {} was interrupted; flushing stops until close()", name);
                return;
            }
            finally {
                lock.unlock();
            }
            try {
                runRound(batch, due);
            }
            catch (RuntimeException | Error e) {
                log.error("Group commit {} failed a round", name, e);
                for (Waiting w : batch) {
                    w.future().completeExceptionally(e);
                }
            }
        }
    }

    private List<Waiting> takeWaiting()
    {
        List<Waiting> batch = waiting;
        waiting = new ArrayList<>();
        return batch;
    }

    private void runRound(List<Waiting> batch, List<BucketLog> dirty)
    {
        if (batch.isEmpty() && dirty.isEmpty()) {
            return;
        }
        Set<BucketLog> logs = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Waiting w : batch) {
            logs.add(w.log());
        }
        logs.addAll(dirty);
        Map<BucketLog, Exception> failures = new IdentityHashMap<>();
        for (BucketLog bucketLog : logs) {
            try {
                long start = System.nanoTime();
                int issued = bucketLog.flush();
                if (issued > 0) {
                    fsyncNanos.accept(System.nanoTime() - start);
                }
                fsyncs.add(issued);
            }
            catch (Exception e) {
                failures.put(bucketLog, e);
            }
        }
        rounds.increment();
        List<Waiting> notYet = new ArrayList<>();
        for (Waiting w : batch) {
            Exception failure = failures.get(w.log());
            if (failure != null) {
                w.future().completeExceptionally(failure);
            }
            else if (w.log().isDurable(w.result())) {
                w.future().complete(w.result());
            }
            else {
                // cannot happen: the flush covered every append made before the round; keep waiting rather than lie
                notYet.add(w);
            }
        }
        if (!notYet.isEmpty()) {
            lock.lock();
            try {
                waiting.addAll(notYet);
                workAvailable.signal();
            }
            finally {
                lock.unlock();
            }
        }
    }
}
