/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.bench;

import dev.inlet.bench.BenchSchema.ColumnType;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The Kafka record value of a benchmark row: a compact, length-prefixed binary encoding, the
 * least a Kafka producer must send to carry the row (no schema registry, no field names). Layout,
 * big-endian: a 3-byte null bitmap (bit i set when column i is null), then each non-null column in
 * table order: BIGINT and TIMESTAMP(3) (epoch milliseconds, UTC) as 8 bytes, INT as 4, DOUBLE as 8
 * (IEEE 754), STRING as a 4-byte length and its UTF-8 bytes. A generated row's value is its payload
 * plus 35 bytes (bitmap and 8 lengths).
 */
public final class RowCodec
{
    private static final List<ColumnType> TYPES = BenchSchema.COLUMNS.stream().map(BenchSchema.Column::type).toList();
    private static final int BITMAP_BYTES = (TYPES.size() + 7) / 8;

    private RowCodec() {}

    public static byte[] encode(Object[] row)
    {
        if (row.length != TYPES.size()) {
            throw new IllegalArgumentException("row has " + row.length + " values, the table " + TYPES.size() + " columns");
        }
        // strings are turned into bytes first, so that the value is allocated once at its exact size
        byte[][] strings = new byte[row.length][];
        int size = BITMAP_BYTES;
        for (int i = 0; i < row.length; i++) {
            Object value = row[i];
            if (value == null) {
                continue;
            }
            ColumnType type = TYPES.get(i);
            switch (type) {
                case BIGINT, DOUBLE, TIMESTAMP_MILLIS -> size += Long.BYTES;
                case INTEGER -> size += Integer.BYTES;
                case STRING -> {
                    strings[i] = ((String) value).getBytes(StandardCharsets.UTF_8);
                    size += Integer.BYTES + strings[i].length;
                }
            }
        }
        ByteBuffer buffer = ByteBuffer.allocate(size);
        int bitmap = 0;
        for (int i = 0; i < row.length; i++) {
            if (row[i] == null) {
                bitmap |= 1 << i;
            }
        }
        buffer.put((byte) bitmap).put((byte) (bitmap >>> 8)).put((byte) (bitmap >>> 16));
        for (int i = 0; i < row.length; i++) {
            Object value = row[i];
            if (value == null) {
                continue;
            }
            switch (TYPES.get(i)) {
                case BIGINT -> buffer.putLong((Long) value);
                case INTEGER -> buffer.putInt((Integer) value);
                case DOUBLE -> buffer.putDouble((Double) value);
                case TIMESTAMP_MILLIS -> buffer.putLong(((LocalDateTime) value).toInstant(ZoneOffset.UTC).toEpochMilli());
                case STRING -> buffer.putInt(strings[i].length).put(strings[i]);
            }
        }
        return buffer.array();
    }

    public static Object[] decode(byte[] value)
    {
        ByteBuffer buffer = ByteBuffer.wrap(value);
        int bitmap = (buffer.get() & 0xff) | (buffer.get() & 0xff) << 8 | (buffer.get() & 0xff) << 16;
        Object[] row = new Object[TYPES.size()];
        for (int i = 0; i < row.length; i++) {
            if ((bitmap & (1 << i)) != 0) {
                continue;
            }
            row[i] = switch (TYPES.get(i)) {
                case BIGINT -> buffer.getLong();
                case INTEGER -> buffer.getInt();
                case DOUBLE -> buffer.getDouble();
                case TIMESTAMP_MILLIS -> LocalDateTime.ofInstant(Instant.ofEpochMilli(buffer.getLong()), ZoneOffset.UTC);
                case STRING -> {
                    byte[] bytes = new byte[buffer.getInt()];
                    buffer.get(bytes);
                    yield new String(bytes, StandardCharsets.UTF_8);
                }
            };
        }
        if (buffer.hasRemaining()) {
            throw new IllegalArgumentException("trailing bytes after the row: " + buffer.remaining());
        }
        return row;
    }
}
