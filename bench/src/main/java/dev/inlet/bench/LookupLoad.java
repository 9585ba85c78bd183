/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.bench;

import dev.inlet.logstore.client.InletClient;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static java.util.Objects.requireNonNull;

/**
 * Point lookups at a fixed rate, open loop, as a stream job's lookup join issues them: lookup
 * {@code k} (of a key drawn uniformly from the loaded keys) arrives at {@code start + k / rate},
 * whether or not earlier ones are answered. Lookups are gathered into requests of {@code batch}
 * keys, as an asynchronous lookup operator batches them: a request is due when its last key
 * arrives, and is sent by the next free one of {@code threads} client threads sharing one
 * {@link InletClient} ({@link InletClient#lookup}), so at most {@code threads} requests are in
 * flight. Each lookup's latency runs from its <em>arrival</em> (not from when a thread got round
 * to sending it) until its request's answer, so the time a key waits for its batch to fill and
 * for a free thread is counted: no coordinated omission.
 */
final class LookupLoad
{
    /** Gives up once a request is this late: the store cannot sustain the rate. */
    static final long MAX_LAG_NANOS = 10_000_000_000L;

    private final InletClient client;
    private final String table;
    private final int keys;
    private final int rate;
    private final int batch;
    private final int threads;
    private final long seed;

    LookupLoad(InletClient client, String table, int keys, int rate, int batch, int threads, long seed)
    {
        this.client = requireNonNull(client, "client is null");
        this.table = requireNonNull(table, "table is null");
        if (keys < 1 || rate < 1 || batch < 1 || threads < 1) {
            throw new IllegalArgumentException("keys, rate, batch and threads must be positive");
        }
        this.keys = keys;
        this.rate = rate;
        this.batch = batch;
        this.threads = threads;
        this.seed = seed;
    }

    /**
     * The latencies in nanoseconds of the lookups that arrive after {@code warmupSeconds}, for
     * {@code seconds}.
     *
     * @param lookups every lookup's latency, sorted
     * @param serviceTimes each measured request's time from send to answer, sorted
     * @param sendDelays each measured request's time from its due time (its last key's arrival)
     *     to its send, sorted: the wait for a free thread and the thread's wake-up
     * @param achievedRate measured lookups answered per second, from the first one's arrival to
     *     the last answer
     * @param missing lookups whose key had no row (0 unless the load is wrong)
     * @param lagged true if the run stopped early because requests fell {@value #MAX_LAG_NANOS} ns behind
     * @param warmupIncluded true if the run stopped before the measured window, so that the
     *     latencies and the rate are of every answered lookup, the warm-up's included
     */
    record Result(long[] lookups, long[] serviceTimes, long[] sendDelays, double achievedRate, long requests, long missing, boolean lagged, boolean warmupIncluded)
    {
        long percentile(double q)
        {
            return percentile(lookups, q);
        }

        static long percentile(long[] sorted, double q)
        {
            if (sorted.length == 0) {
                return 0;
            }
            int index = (int) Math.ceil(q * sorted.length) - 1;
            return sorted[Math.clamp(index, 0, sorted.length - 1)];
        }
    }

    Result run(double warmupSeconds, double seconds)
            throws InterruptedException
    {
        long warmupLookups = (long) (warmupSeconds * rate);
        long total = warmupLookups + (long) (seconds * rate);
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too many lookups: " + total);
        }
        SplittableRandom random = new SplittableRandom(seed);
        long[] ids = new long[(int) total];
        for (int k = 0; k < ids.length; k++) {
            ids[k] = random.nextInt(keys);
        }
        long requests = (total + batch - 1) / batch;
        long[] latency = new long[(int) total];
        long[] service = new long[(int) requests];
        long[] sendDelay = new long[(int) requests];
        long[] sentFlags = new long[(int) requests];
        double interval = 1e9 / rate;
        long start = System.nanoTime() + 100_000_000L;
        AtomicLong next = new AtomicLong();
        AtomicLong missing = new AtomicLong();
        AtomicLong lastAnswer = new AtomicLong();
        AtomicLong lastAnyAnswer = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().name("lookup-" + t).start(() -> {
                try {
                    for (long j = next.getAndIncrement(); j < requests && failure.get() == null; j = next.getAndIncrement()) {
                        int first = (int) (j * batch);
                        int last = (int) Math.min(first + (long) batch, total) - 1;
                        long due = start + (long) (last * interval);
                        awaitDue(due);
                        if (System.nanoTime() - due > MAX_LAG_NANOS) {
                            failure.compareAndSet(null, new LaggedException());
                            return;
                        }
                        List<Object[]> request = new ArrayList<>(last - first + 1);
                        for (int k = first; k <= last; k++) {
                            request.add(new Object[] {ids[k]});
                        }
                        long sent = System.nanoTime();
                        List<Object[]> rows = client.lookup(table, request);
                        long answered = System.nanoTime();
                        for (int k = first; k <= last; k++) {
                            latency[k] = answered - (start + (long) (k * interval));
                            Object[] row = rows.get(k - first);
                            if (row == null || ((Long) row[0]) != ids[k]) {
                                missing.incrementAndGet();
                            }
                        }
                        service[(int) j] = answered - sent;
                        sendDelay[(int) j] = sent - due;
                        sentFlags[(int) j] = 1;
                        lastAnyAnswer.accumulateAndGet(answered, Math::max);
                        if (last >= warmupLookups) {
                            lastAnswer.accumulateAndGet(answered, Math::max);
                        }
                    }
                }
                catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (Thread worker : workers) {
            worker.join();
        }
        Throwable failed = failure.get();
        if (failed != null && !(failed instanceof LaggedException)) {
            throw new IllegalStateException("lookup failed: " + failed, failed);
        }
        // only the measured lookups of requests that were answered; all of them if the run
        // stopped before the measured window
        long measuredFrom = warmupLookups;
        boolean warmupIncluded = false;
        if (lastAnswer.get() == 0) {
            measuredFrom = 0;
            warmupIncluded = true;
            lastAnswer.set(lastAnyAnswer.get());
        }
        long firstMeasuredRequest = measuredFrom / batch;
        long[] measured = new long[(int) (total - measuredFrom)];
        int n = 0;
        long[] services = new long[(int) (requests - firstMeasuredRequest)];
        long[] delays = new long[services.length];
        int s = 0;
        for (long j = firstMeasuredRequest; j < requests; j++) {
            if (sentFlags[(int) j] == 0) {
                continue;
            }
            delays[s] = sendDelay[(int) j];
            services[s++] = service[(int) j];
            int first = (int) (j * batch);
            int last = (int) Math.min(first + (long) batch, total) - 1;
            for (int k = Math.max(first, (int) measuredFrom); k <= last; k++) {
                measured[n++] = latency[k];
            }
        }
        measured = Arrays.copyOf(measured, n);
        services = Arrays.copyOf(services, s);
        delays = Arrays.copyOf(delays, s);
        Arrays.sort(delays);
        Arrays.sort(measured);
        Arrays.sort(services);
        long firstArrival = start + (long) (measuredFrom * interval);
        double achieved = n == 0 ? 0 : n / ((lastAnswer.get() - firstArrival) / 1e9);
        return new Result(measured, services, delays, achieved, s, missing.get(), failed instanceof LaggedException, warmupIncluded);
    }

    /**
     * Returns at {@code due}: sleeps until {@link #SPIN_NANOS} before it, then spins. A sleeping
     * thread on this machine wakes 0.13 ms late at the median and over 1 ms late at p99, and that
     * lateness would be counted as lookup latency; precise load generators (wrk2) pace the same way.
     */
    private static void awaitDue(long due)
    {
        for (long now = System.nanoTime(); now < due - SPIN_NANOS; now = System.nanoTime()) {
            LockSupport.parkNanos(due - SPIN_NANOS - now);
        }
        while (System.nanoTime() < due) {
            Thread.onSpinWait();
        }
    }

    /** How long before a request is due its thread stops sleeping and spins. */
    static final long SPIN_NANOS = 150_000;

    private static final class LaggedException
            extends RuntimeException
    {
        LaggedException()
        {
            super("requests fell more than " + MAX_LAG_NANOS / 1_000_000_000L + " s behind their schedule", null, false, false);
        }
    }
}
