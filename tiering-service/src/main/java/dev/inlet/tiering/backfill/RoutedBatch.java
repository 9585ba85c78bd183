/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering.backfill;

import dev.inlet.catalog.lake.BucketRef;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.logstore.arrow.ArrowValues;
import dev.inlet.logstore.protocol.RowRouter;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A decoded batch of source rows and, per partition and bucket (the table's own functions), the
 * positions of its rows there: the lake writer takes each bucket's rows by position, so the batch
 * is never copied per bucket. Only the partition and bucket-key columns are read per row.
 */
record RoutedBatch(VectorSchemaRoot root, Map<BucketRef, Positions> buckets)
        implements AutoCloseable
{
    /** Row positions {@code rows[0 .. count)}. */
    static final class Positions
    {
        int[] rows = new int[64];
        int count;

        void add(int row)
        {
            if (count == rows.length) {
                rows = Arrays.copyOf(rows, count * 2);
            }
            rows[count++] = row;
        }
    }

    static RoutedBatch route(TableDescriptor table, RowRouter router, VectorSchemaRoot root)
    {
        int[] keyColumns = java.util.stream.IntStream.concat(Arrays.stream(router.partitionColumns()), Arrays.stream(router.bucketColumns())).distinct().toArray();
        List<FieldVector> vectors = root.getFieldVectors();
        Object[] keys = new Object[table.columns().size()];
        Map<BucketRef, Positions> buckets = new LinkedHashMap<>();
        BucketRef last = null;
        Positions lastPositions = null;
        for (int r = 0; r < root.getRowCount(); r++) {
            for (int c : keyColumns) {
                keys[c] = ArrowValues.get(vectors.get(c), r);
            }
            BucketRef bucket = new BucketRef(router.partition(keys), router.hasBucketKey() ? router.bucket(keys) : 0);
            if (!bucket.equals(last)) {
                last = bucket;
                lastPositions = buckets.computeIfAbsent(bucket, b -> new Positions());
            }
            lastPositions.add(r);
        }
        return new RoutedBatch(root, buckets);
    }

    @Override
    public void close()
    {
        root.close();
    }
}
