/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering.backfill;

import dev.inlet.catalog.lake.BucketRef;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.logstore.arrow.ArrowSchemas;
import dev.inlet.logstore.arrow.ArrowValues;
import dev.inlet.logstore.client.ScanBatch;
import dev.inlet.logstore.protocol.RowRouter;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Gathers a backfill's rows into Arrow batches per partition and bucket, with the table's own
 * partition and bucket functions (those of the hot store and the lake tables), and hands each full
 * batch to the lake writer, exactly as tiering hands it the hot store's batches. A table without a
 * bucket key has no bucket to align with: its rows go to bucket 0 of their partition.
 */
final class BucketBatches
        implements AutoCloseable
{
    // takes over each batch and closes it
    private final Consumer<ScanBatch> sink;
    private final RowRouter router;
    private final Schema schema;
    private final BufferAllocator allocator;
    private final int batchRows;
    private final Map<BucketRef, VectorSchemaRoot> open = new HashMap<>();

    BucketBatches(TableDescriptor table, Consumer<ScanBatch> sink, BufferAllocator allocator, int batchRows)
    {
        this.sink = sink;
        this.router = new RowRouter(table);
        this.schema = ArrowSchemas.toArrowSchema(table);
        this.allocator = allocator;
        this.batchRows = batchRows;
    }

    /** Adds a checked row (every column's value in table order). */
    void add(Object[] row)
    {
        BucketRef bucket = new BucketRef(router.partition(row), router.hasBucketKey() ? router.bucket(row) : 0);
        VectorSchemaRoot root = open.computeIfAbsent(bucket, b -> ArrowValues.allocate(schema, batchRows, allocator));
        int index = root.getRowCount();
        List<FieldVector> vectors = root.getFieldVectors();
        for (int c = 0; c < row.length; c++) {
            ArrowValues.set(vectors.get(c), index, row[c]);
        }
        root.setRowCount(index + 1);
        if (index + 1 == batchRows) {
            write(bucket);
        }
    }

    /** Writes every batch not written yet. */
    void flush()
    {
        for (BucketRef bucket : List.copyOf(open.keySet())) {
            write(bucket);
        }
    }

    private void write(BucketRef bucket)
    {
        VectorSchemaRoot root = open.remove(bucket);
        for (FieldVector vector : root.getFieldVectors()) {
            vector.setValueCount(root.getRowCount());
        }
        sink.accept(new ScanBatch(bucket.partition(), bucket.bucket(), 0, System.currentTimeMillis(), root));
    }

    /** Drops the rows not written yet (a file that failed takes its unwritten rows with it). */
    @Override
    public void close()
    {
        open.values().forEach(VectorSchemaRoot::close);
        open.clear();
    }
}
