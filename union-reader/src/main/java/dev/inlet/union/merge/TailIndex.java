/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union.merge;

import dev.inlet.logstore.arrow.ArrowSchemas;
import dev.inlet.logstore.protocol.ChangeType;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A primary-key table's hot changelog tail in memory: its batches, in offset order, and for each
 * key where its final state is (its last {@code +I}/{@code +U} row, or deleted). {@code -U} rows
 * say nothing the {@code +U} after them does not.
 */
final class TailIndex
        implements AutoCloseable
{
    // a HashMap entry, its boxed Long and the Key object around the key's bytes
    private static final int ENTRY_OVERHEAD = 96;

    private final List<String> keyColumns;
    private final List<VectorSchemaRoot> batches = new ArrayList<>();
    private final List<int[]> windows = new ArrayList<>();
    // (batch << 32 | row) of the key's final row; negative (~location) if that row deletes the key
    private final Map<Key, Long> latest = new HashMap<>();
    private long bytes;
    private long rows;

    TailIndex(List<String> keyColumns)
    {
        this.keyColumns = keyColumns;
    }

    /** Adds rows {@code [first, last)} of a changelog batch; the index owns the batch from now on. */
    void add(VectorSchemaRoot batch, int first, int last)
    {
        int b = batches.size();
        batches.add(batch);
        windows.add(new int[] {first, last});
        KeyEncoder keys = new KeyEncoder(batch, keyColumns);
        TinyIntVector changeTypes = (TinyIntVector) batch.getVector(ArrowSchemas.CHANGE_TYPE_COLUMN);
        for (int r = first; r < last; r++) {
            ChangeType type = ChangeType.fromCode(changeTypes.get(r));
            if (type == ChangeType.UPDATE_BEFORE) {
                continue;
            }
            Key key = keys.key(r);
            long location = ((long) b << 32) | r;
            if (latest.put(key, type == ChangeType.DELETE ? ~location : location) == null) {
                bytes += key.length() + ENTRY_OVERHEAD;
            }
        }
        for (FieldVector v : batch.getFieldVectors()) {
            bytes += v.getBufferSize();
        }
        rows += last - first;
    }

    /** Memory held, estimated. */
    long bytes()
    {
        return bytes;
    }

    long rows()
    {
        return rows;
    }

    List<VectorSchemaRoot> batches()
    {
        return batches;
    }

    int[] window(int batch)
    {
        return windows.get(batch);
    }

    /** Whether the tail touches no key at all (the lake rows need no key test then). */
    boolean isEmpty()
    {
        return latest.isEmpty();
    }

    /** Whether the tail touches the key (writes or deletes it): the lake's row of it is stale. */
    boolean touches(Key key)
    {
        return latest.containsKey(key);
    }

    /** Per batch, the rows that are their key's final state and not a delete, in row order. */
    int[][] survivors()
    {
        int[] counts = new int[batches.size()];
        for (long location : latest.values()) {
            if (location >= 0) {
                counts[(int) (location >>> 32)]++;
            }
        }
        int[][] rows = new int[batches.size()][];
        for (int b = 0; b < rows.length; b++) {
            rows[b] = new int[counts[b]];
            counts[b] = 0;
        }
        for (long location : latest.values()) {
            if (location >= 0) {
                int b = (int) (location >>> 32);
                rows[b][counts[b]++] = (int) location;
            }
        }
        for (int[] r : rows) {
            Arrays.sort(r);
        }
        return rows;
    }

    @Override
    public void close()
    {
        batches.forEach(VectorSchemaRoot::close);
        batches.clear();
        windows.clear();
        latest.clear();
    }
}
