/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union.merge;

import dev.inlet.union.filter.ArrowRowFilter;
import dev.inlet.union.filter.Filter;
import dev.inlet.union.hot.HotRangeReader;
import dev.inlet.union.hot.HotTail;
import dev.inlet.union.read.BatchBuilder;
import dev.inlet.union.read.BatchSource;
import dev.inlet.union.read.ReadStats;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.TransferPair;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The union of a primary-key bucket: lake rows whose key the hot tail does not touch, then each
 * key's final state in the tail (deleted keys leave nothing). An anti-join by key, so the lake
 * rows need no order and both formats merge the same way.
 *
 * <p>Memory: the tail is held in memory up to {@code memoryBytes}. A larger tail is spilled: it
 * and the lake rows are hash-partitioned by key into local files, enough partitions that one
 * partition's tail fits, and each partition is merged on its own.
 */
public final class PrimaryKeyMerge
        implements BatchSource
{
    /** How the merge's inputs and budget are set. */
    public record Settings(List<String> keyColumns, Schema tailSchema, Schema lakeSchema, Filter residual, long memoryBytes, Path spillDir, int batchRows, long tailRows) {}

    private final HotTail tail;
    private final BatchSource lake;
    private final Settings settings;
    private final BatchBuilder out;
    private final BufferAllocator allocator;
    private final ReadStats stats;
    private final List<Pass> passes = new ArrayList<>();
    private SpillSet tailSpill;
    private SpillSet lakeSpill;
    private boolean loaded;
    private int nextPartition;
    private Pass pass;

    public PrimaryKeyMerge(HotTail tail, BatchSource lake, Settings settings, BatchBuilder out, BufferAllocator allocator, ReadStats stats)
    {
        this.tail = tail;
        this.lake = lake;
        this.settings = settings;
        this.out = out;
        this.allocator = allocator;
        this.stats = stats;
    }

    @Override
    public VectorSchemaRoot next()
    {
        if (!loaded) {
            load();
            loaded = true;
        }
        while (!out.full()) {
            if (pass == null) {
                pass = nextPass();
                if (pass == null) {
                    return out.isEmpty() ? null : out.take();
                }
            }
            if (!pass.step()) {
                pass.close();
                pass = null;
            }
        }
        return out.take();
    }

    /** Reads the whole tail: into memory, or into spill partitions once it outgrows the budget. */
    private void load()
    {
        TailIndex index = new TailIndex(settings.keyColumns());
        for (HotRangeReader.Slice next = tail.next(); next != null; next = tail.next()) {
            try (HotRangeReader.Slice slice = next) {
                if (tailSpill == null) {
                    index.add(own(slice.batch().root()), slice.first(), slice.last());
                    if (index.bytes() > settings.memoryBytes()) {
                        tailSpill = spill(index);
                        index.close();
                    }
                }
                else {
                    tailSpill.add(slice.batch().root(), slice.first(), slice.last());
                }
            }
        }
        tail.close();
        if (tailSpill == null) {
            passes.add(new Pass(index, lake));
            return;
        }
        tailSpill.finish();
        stats.spilledRows.add(tailSpill.rows());
        lakeSpill = new SpillSet(settings.spillDir(), "inlet-merge-lake-", tailSpill.partitions(), settings.lakeSchema(), settings.keyColumns(), allocator, spillBatchRows(tailSpill.partitions()));
        for (VectorSchemaRoot next = lake.next(); next != null; next = lake.next()) {
            try (VectorSchemaRoot batch = next) {
                lakeSpill.add(batch, 0, batch.getRowCount());
            }
        }
        lake.close();
        lakeSpill.finish();
        stats.spilledRows.add(lakeSpill.rows());
        stats.spilledBytes.add(tailSpill.bytes() + lakeSpill.bytes());
    }

    /** Moves the tail held so far into spill partitions, enough of them that each one's share of the whole tail fits the budget. */
    private SpillSet spill(TailIndex index)
    {
        long bytesPerRow = Math.max(1, index.bytes() / Math.max(1, index.rows()));
        long estimate = bytesPerRow * Math.max(index.rows(), settings.tailRows());
        int partitions = (int) Math.min(1024, Math.max(2, 2 * estimate / Math.max(1, settings.memoryBytes()) + 1));
        SpillSet spill = new SpillSet(settings.spillDir(), "inlet-merge-tail-", partitions, settings.tailSchema(), settings.keyColumns(), allocator, spillBatchRows(partitions));
        for (int b = 0; b < index.batches().size(); b++) {
            int[] window = index.window(b);
            spill.add(index.batches().get(b), window[0], window[1]);
        }
        return spill;
    }

    // the staging batches of all partitions together stay within a quarter of the budget
    private int spillBatchRows(int partitions)
    {
        return (int) Math.max(64, Math.min(settings.batchRows(), settings.memoryBytes() / 4 / partitions / 256));
    }

    private Pass nextPass()
    {
        if (!passes.isEmpty()) {
            return passes.removeFirst();
        }
        if (tailSpill == null || nextPartition == tailSpill.partitions()) {
            return null;
        }
        int p = nextPartition++;
        TailIndex index = new TailIndex(settings.keyColumns());
        try (BatchSource tailPart = tailSpill.read(p)) {
            for (VectorSchemaRoot batch = tailPart.next(); batch != null; batch = tailPart.next()) {
                index.add(batch, 0, batch.getRowCount());
            }
        }
        return new Pass(index, lakeSpill.read(p));
    }

    /** A root the merge owns, with the buffers of one the hot reader hands over. */
    private VectorSchemaRoot own(VectorSchemaRoot root)
    {
        List<org.apache.arrow.vector.FieldVector> vectors = new ArrayList<>();
        for (org.apache.arrow.vector.FieldVector v : root.getFieldVectors()) {
            TransferPair transfer = v.getTransferPair(allocator);
            transfer.transfer();
            vectors.add((org.apache.arrow.vector.FieldVector) transfer.getTo());
        }
        return new VectorSchemaRoot(root.getSchema().getFields(), vectors, root.getRowCount());
    }

    /** One in-memory anti-join: a tail index and the lake rows of the same keys. */
    private final class Pass
            implements AutoCloseable
    {
        private final TailIndex index;
        private final BatchSource lakeRows;
        private boolean lakeDone;
        private int[][] survivors;
        private int nextBatch;
        private int[] selection = new int[1024];

        Pass(TailIndex index, BatchSource lakeRows)
        {
            this.index = index;
            this.lakeRows = lakeRows;
        }

        /** Appends the next rows to the output; false when the pass has nothing left. */
        boolean step()
        {
            if (!lakeDone) {
                VectorSchemaRoot batch = lakeRows.next();
                if (batch == null) {
                    lakeDone = true;
                    lakeRows.close();
                    survivors = index.survivors();
                    return true;
                }
                try (batch) {
                    KeyEncoder keys = new KeyEncoder(batch, settings.keyColumns());
                    ArrowRowFilter filter = new ArrowRowFilter(settings.residual(), batch);
                    boolean anti = !index.isEmpty();
                    int n = 0;
                    int[] sel = selection(batch.getRowCount());
                    for (int r = 0; r < batch.getRowCount(); r++) {
                        if ((!anti || !index.touches(keys.key(r))) && filter.test(r)) {
                            sel[n++] = r;
                        }
                    }
                    out.append(batch, sel, n);
                }
                return true;
            }
            if (nextBatch == survivors.length) {
                return false;
            }
            int b = nextBatch++;
            VectorSchemaRoot batch = index.batches().get(b);
            ArrowRowFilter filter = new ArrowRowFilter(settings.residual(), batch);
            int[] rows = survivors[b];
            int[] sel = selection(rows.length);
            int n = 0;
            for (int r : rows) {
                if (filter.test(r)) {
                    sel[n++] = r;
                }
            }
            out.append(batch, sel, n);
            return true;
        }

        private int[] selection(int rows)
        {
            if (selection.length < rows) {
                selection = new int[rows];
            }
            return selection;
        }

        @Override
        public void close()
        {
            index.close();
            if (!lakeDone) {
                lakeRows.close();
            }
        }
    }

    @Override
    public void close()
    {
        if (pass != null) {
            pass.close();
            pass = null;
        }
        passes.forEach(Pass::close);
        passes.clear();
        tail.close();
        lake.close();
        out.close();
        if (tailSpill != null) {
            tailSpill.close();
        }
        if (lakeSpill != null) {
            lakeSpill.close();
        }
    }
}
