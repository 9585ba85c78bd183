/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * Who waits for a run of consecutive rows of a sealed batch: the future of one row appended with
 * {@link AppendWriter#append(Object[])}, or a share of a columnar append
 * ({@link AppendWriter#appendBatch}), whose rows may be spread over several buckets' batches.
 */
sealed interface RowWaiter
{
    int rows();

    /** The server stored the rows, the first at {@code firstOffset}. */
    void acknowledged(String partition, int bucket, long firstOffset);

    void failed(Throwable cause);

    /** One row's own future. */
    record Row(CompletableFuture<AppendResult> future)
            implements RowWaiter
    {
        public Row
        {
            requireNonNull(future, "future is null");
        }

        @Override
        public int rows()
        {
            return 1;
        }

        @Override
        public void acknowledged(String partition, int bucket, long firstOffset)
        {
            future.complete(new AppendResult(partition, bucket, firstOffset));
        }

        @Override
        public void failed(Throwable cause)
        {
            future.completeExceptionally(cause);
        }
    }

    /** The rows of one columnar append that went into one bucket's batch. */
    final class Part
            implements RowWaiter
    {
        private final ColumnarAppend owner;
        private int rows;

        Part(ColumnarAppend owner)
        {
            this.owner = requireNonNull(owner, "owner is null");
            owner.parts.incrementAndGet();
        }

        ColumnarAppend owner()
        {
            return owner;
        }

        /** Called while the batch is being filled, under the writer's lock. */
        void addRow()
        {
            rows++;
        }

        @Override
        public int rows()
        {
            return rows;
        }

        @Override
        public void acknowledged(String partition, int bucket, long firstOffset)
        {
            owner.partDone();
        }

        @Override
        public void failed(Throwable cause)
        {
            owner.future.completeExceptionally(cause);
        }
    }

    /**
     * One call of {@link AppendWriter#appendBatch}: its future completes once every part is
     * acknowledged, or fails with the first part that fails. Counts one extra part while rows are
     * still being routed, so it cannot complete before every part exists.
     */
    final class ColumnarAppend
    {
        private final AtomicInteger parts = new AtomicInteger(1);
        private final CompletableFuture<Void> future = new CompletableFuture<>();

        CompletableFuture<Void> future()
        {
            return future;
        }

        /** Every part is made: from now on the last acknowledged part completes the future. */
        void routed()
        {
            partDone();
        }

        private void partDone()
        {
            if (parts.decrementAndGet() == 0) {
                future.complete(null);
            }
        }
    }
}
