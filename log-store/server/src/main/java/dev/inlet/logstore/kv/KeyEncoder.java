/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.kv;

import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.logstore.protocol.ValueCodec;
import org.apache.arrow.vector.FieldVector;

import java.util.ArrayList;
import java.util.List;

/**
 * The RocksDB key of a row: its primary-key values, bucket-key columns first, then the other key
 * columns in key order. Partition columns are left out, since each partition has its own store.
 * Because values are self-delimiting, the encoded bucket key is a byte prefix of every key with
 * those bucket-key values, which is what a prefix lookup scans.
 *
 * <p>Every encoded key starts with {@link #ROW_KEY_TAG}, so that bookkeeping entries (tag 0) never
 * collide with rows.
 */
public final class KeyEncoder
{
    static final byte ROW_KEY_TAG = 1;

    private final List<Column> keyColumns;
    private final int[] keyIndexes;
    private final int prefixLength;

    public KeyEncoder(TableDescriptor table)
    {
        List<String> order = new ArrayList<>(table.effectiveBucketKey());
        for (String k : table.primaryKey()) {
            if (!order.contains(k) && !table.partitionKeys().contains(k)) {
                order.add(k);
            }
        }
        this.keyColumns = order.stream().map(name -> table.column(name).orElseThrow()).toList();
        this.keyIndexes = order.stream().mapToInt(table.columnNames()::indexOf).toArray();
        this.prefixLength = table.effectiveBucketKey().size();
    }

    /** The key of a row given in table order. */
    public byte[] encode(Object[] row)
    {
        return encode(row, keyIndexes.length);
    }

    /** The key of row {@code row} of a batch whose vector of table column {@code c} is {@code columns[c]}; the same bytes as {@link #encode(Object[])}. */
    public byte[] encode(FieldVector[] columns, int row)
    {
        ValueCodec.Out out = new ValueCodec.Out(32);
        out.writeByte(ROW_KEY_TAG);
        for (int i = 0; i < keyIndexes.length; i++) {
            ArrowCells.write(out, columns[keyIndexes[i]], row, keyColumns.get(i).type());
        }
        return out.toByteArray();
    }

    /** The prefix shared by every key whose bucket-key columns hold the row's values. */
    public byte[] encodeBucketKeyPrefix(Object[] row)
    {
        return encode(row, prefixLength);
    }

    private byte[] encode(Object[] row, int columns)
    {
        ValueCodec.Out out = new ValueCodec.Out(32);
        out.writeByte(ROW_KEY_TAG);
        for (int i = 0; i < columns; i++) {
            ValueCodec.write(out, keyColumns.get(i).type(), row[keyIndexes[i]]);
        }
        return out.toByteArray();
    }
}
