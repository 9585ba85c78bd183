/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union.hot;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.logstore.client.InletClient;
import dev.inlet.logstore.client.LogScanner;
import dev.inlet.logstore.client.ScanBatch;
import dev.inlet.logstore.client.ScanOptions;
import dev.inlet.logstore.client.StartPosition;
import dev.inlet.union.plan.HotRange;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Reads one bucket's rows {@code [from, to)} from the hot store with server-side column pruning.
 * The range lies below the high-water mark the plan saw, so its rows are acknowledged and must be
 * there: rows already deleted below {@code from} make the plan stale, and rows that do not arrive
 * within the timeout are a failure, not an end.
 */
public final class HotRangeReader
        implements AutoCloseable
{
    /** Rows {@code [first, last)} of a batch that fall in the range. */
    public record Slice(ScanBatch batch, int first, int last)
            implements AutoCloseable
    {
        public int rows()
        {
            return last - first;
        }

        /** The offset of row {@code index} of the batch. */
        public long offset(int index)
        {
            return batch.baseOffset() + index;
        }

        @Override
        public void close()
        {
            batch.close();
        }
    }

    private final String table;
    private final HotRange range;
    private final LogScanner scanner;
    private final Duration timeout;
    private final ArrayDeque<ScanBatch> pending = new ArrayDeque<>();
    private long next;

    public HotRangeReader(InletClient client, String table, HotRange range, List<String> columns, Duration timeout)
    {
        this.table = requireNonNull(table, "table is null");
        this.range = requireNonNull(range, "range is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
        this.next = range.from();
        this.scanner = client.newScanner(table, ScanOptions.defaults().withColumns(columns));
        if (range.from() < range.to()) {
            scanner.subscribe(range.partition(), range.bucket(), StartPosition.offset(range.from()));
        }
    }

    /** The next slice, which the caller closes, or null when the range is read. */
    public Slice next()
    {
        Instant deadline = Instant.now().plus(timeout);
        while (next < range.to()) {
            ScanBatch batch = pending.poll();
            if (batch == null) {
                Duration left = Duration.between(Instant.now(), deadline);
                if (left.isNegative() || left.isZero()) {
                    throw new InletException(InletErrorCode.SERVER_UNAVAILABLE, "Table " + table + " " + where() + ": offsets [" + next + ", " + range.to()
                            + ") were acknowledged but did not arrive within " + timeout);
                }
                pending.addAll(poll(left));
                continue;
            }
            long end = batch.baseOffset() + batch.rowCount();
            if (end <= next || batch.baseOffset() >= range.to()) {
                batch.close();
                continue;
            }
            int first = (int) Math.max(0, next - batch.baseOffset());
            int last = (int) Math.min(batch.rowCount(), range.to() - batch.baseOffset());
            next = batch.baseOffset() + last;
            return new Slice(batch, first, last);
        }
        return null;
    }

    private List<ScanBatch> poll(Duration timeout)
    {
        try {
            return scanner.poll(timeout);
        }
        catch (InletException e) {
            if (e.errorCode() == InletErrorCode.OFFSET_OUT_OF_RANGE || e.errorCode() == InletErrorCode.PARTITION_NOT_FOUND) {
                throw new InletException(InletErrorCode.SCAN_PLAN_STALE, "Table " + table + " " + where() + ": offsets from " + next
                        + " are no longer in the hot store (deleted, or their partition dropped, since the scan was planned); plan the scan again: " + e.getMessage(), e);
            }
            throw e;
        }
    }

    private String where()
    {
        return range.partition().isEmpty() ? "bucket " + range.bucket() : "partition " + range.partition() + " bucket " + range.bucket();
    }

    @Override
    public void close()
    {
        pending.forEach(ScanBatch::close);
        pending.clear();
        scanner.close();
    }
}
