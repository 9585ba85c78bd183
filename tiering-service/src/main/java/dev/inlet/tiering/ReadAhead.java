/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Function;

/**
 * Reading and lake writing overlapped: a producer thread reads batches (from the hot store in a
 * tiering round, from source files in a backfill) while the calling thread writes them into lake
 * files. A bounded queue between the two keeps memory to a few batches. A failure on either side
 * stops both; the batches read ahead but not written are closed.
 */
public final class ReadAhead
{
    private static final Object END = new Object();

    private ReadAhead() {}

    /** Where the producer puts its batches; {@link #put} throws InterruptedException once the consumer gave up (the producer closes what it holds then). */
    public interface Sink<T>
    {
        void put(T item)
                throws InterruptedException;
    }

    /** Reads every batch into the sink. */
    public interface Producer<T>
    {
        void produce(Sink<T> sink)
                throws Exception;
    }

    /**
     * Runs {@code producer} on a new thread and hands its batches, in order, to {@code consumer}
     * on this one; each batch is closed once consumed.
     *
     * @param failure turns what failed (a producer's checked exception, or this thread being
     *     interrupted) into the exception thrown; a RuntimeException of the producer is thrown as it is
     */
    public static <T extends AutoCloseable> void run(String threadName, int capacity, Producer<T> producer, java.util.function.Consumer<T> consumer,
            Function<Throwable, RuntimeException> failure)
    {
        BlockingQueue<Object> queue = new ArrayBlockingQueue<>(capacity);
        Thread reader = Thread.ofPlatform().name(threadName).daemon().start(() -> {
            try {
                producer.produce(queue::put);
                queue.put(END);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the consumer gave up
            }
            catch (Throwable e) {
                try {
                    queue.put(new Failure(e));
                }
                catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        try {
            while (true) {
                Object next = queue.take();
                if (next == END) {
                    return;
                }
                if (next instanceof Failure(Throwable cause)) {
                    throw cause instanceof RuntimeException r ? r : failure.apply(cause);
                }
                @SuppressWarnings("unchecked")
                T batch = (T) next;
                try {
                    consumer.accept(batch);
                }
                finally {
                    closeQuietly(batch);
                }
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure.apply(e);
        }
        finally {
            reader.interrupt();
            try {
                reader.join();
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // batches read ahead but not written
            for (Object left : queue) {
                if (left instanceof AutoCloseable batch) {
                    closeQuietly(batch);
                }
            }
        }
    }

    /** What the producer failed with, passed through the queue. */
    private record Failure(Throwable cause) {}

    private static void closeQuietly(AutoCloseable batch)
    {
        try {
            batch.close();
        }
        catch (Exception e) {
            // Arrow batches: closing frees buffers and does not fail
        }
    }
}
