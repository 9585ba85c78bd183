/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union.hot;

import dev.inlet.logstore.client.InletClient;
import dev.inlet.union.plan.HotRange;

import java.time.Duration;
import java.util.List;
import java.util.function.LongConsumer;

/** Reads several hot ranges one after the other (the buckets of a merge split). */
public final class HotTail
        implements AutoCloseable
{
    private final InletClient client;
    private final String table;
    private final List<HotRange> ranges;
    private final List<String> columns;
    private final Duration timeout;
    private final LongConsumer rowsRead;
    private final LongConsumer bytesRead;
    private int next;
    private HotRangeReader current;

    public HotTail(InletClient client, String table, List<HotRange> ranges, List<String> columns, Duration timeout, LongConsumer rowsRead, LongConsumer bytesRead)
    {
        this.client = client;
        this.table = table;
        this.ranges = List.copyOf(ranges);
        this.columns = List.copyOf(columns);
        this.timeout = timeout;
        this.rowsRead = rowsRead;
        this.bytesRead = bytesRead;
    }

    /** The next slice, which the caller closes, or null after the last range. */
    public HotRangeReader.Slice next()
    {
        while (true) {
            if (current == null) {
                if (next == ranges.size()) {
                    return null;
                }
                current = new HotRangeReader(client, table, ranges.get(next++), columns, timeout);
            }
            HotRangeReader.Slice slice = current.next();
            if (slice != null) {
                rowsRead.accept(slice.rows());
                slice.batch().root().getFieldVectors().forEach(v -> bytesRead.accept(v.getBufferSize()));
                return slice;
            }
            current.close();
            current = null;
        }
    }

    @Override
    public void close()
    {
        if (current != null) {
            current.close();
            current = null;
        }
    }
}
