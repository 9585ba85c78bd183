/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union.read;

import java.util.concurrent.atomic.LongAdder;

/**
 * What reading splits did, so that pushdown can be seen working: lake tasks, files and rows read,
 * hot rows read, rows and bytes spilled, lookups made.
 */
public final class ReadStats
{
    public final LongAdder lakeTasks = new LongAdder();
    public final LongAdder lakeFiles = new LongAdder();
    /** Lake files decoded column by column straight into Arrow, without row objects. */
    public final LongAdder lakeColumnarFiles = new LongAdder();
    public final LongAdder lakeRows = new LongAdder();
    public final LongAdder hotRows = new LongAdder();
    /** Arrow buffer bytes of the hot batches received (what column pruning saves). */
    public final LongAdder hotBytes = new LongAdder();
    public final LongAdder spilledRows = new LongAdder();
    public final LongAdder spilledBytes = new LongAdder();
    public final LongAdder lookups = new LongAdder();

    @Override
    public String toString()
    {
        return "lake tasks " + lakeTasks + ", lake files " + lakeFiles + " (" + lakeColumnarFiles + " columnar), lake rows " + lakeRows + ", hot rows " + hotRows + " (" + hotBytes + " bytes), spilled rows " + spilledRows + " (" + spilledBytes
                + " bytes), lookups " + lookups;
    }
}
