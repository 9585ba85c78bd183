/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.protocol;

import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.DataType;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The binary form of one non-null value of an Inlet type, shared by the hot store's keys and
 * stored rows and by the lookup wire protocol ({@link LookupFrames}). Fixed-width
 * types are big-endian; variable-width ones are a length then the bytes, so that a sequence of
 * encoded values is self-delimiting and a key's leading columns are a byte prefix of the key
 * (what prefix lookups scan for).
 */
public final class ValueCodec
{
    private ValueCodec() {}

    public static void write(Out out, DataType type, Object value)
    {
        switch (type.root()) {
            case BOOLEAN -> out.writeByte((Boolean) value ? 1 : 0);
            case TINYINT -> out.writeByte((Byte) value);
            case SMALLINT -> out.writeShort((Short) value);
            case INT -> out.writeInt((Integer) value);
            case BIGINT -> out.writeLong((Long) value);
            case FLOAT -> out.writeInt(Float.floatToIntBits((Float) value));
            case DOUBLE -> out.writeLong(Double.doubleToLongBits((Double) value));
            case DECIMAL -> out.writeLengthPrefixed(((BigDecimal) value).setScale(type.scale(), java.math.RoundingMode.UNNECESSARY).unscaledValue().toByteArray());
            case STRING -> out.writeLengthPrefixed(((String) value).getBytes(StandardCharsets.UTF_8));
            case BYTES -> out.writeLengthPrefixed((byte[]) value);
            case DATE -> out.writeInt(Math.toIntExact(((LocalDate) value).toEpochDay()));
            case TIMESTAMP -> {
                Instant instant = ((LocalDateTime) value).toInstant(ZoneOffset.UTC);
                out.writeLong(instant.getEpochSecond());
                out.writeInt(instant.getNano());
            }
            case TIMESTAMP_LTZ -> {
                Instant instant = (Instant) value;
                out.writeLong(instant.getEpochSecond());
                out.writeInt(instant.getNano());
            }
        }
    }

    public static Object read(ByteBuffer in, DataType type)
    {
        return switch (type.root()) {
            case BOOLEAN -> in.get() != 0;
            case TINYINT -> in.get();
            case SMALLINT -> in.getShort();
            case INT -> in.getInt();
            case BIGINT -> in.getLong();
            case FLOAT -> Float.intBitsToFloat(in.getInt());
            case DOUBLE -> Double.longBitsToDouble(in.getLong());
            case DECIMAL -> new BigDecimal(new BigInteger(readBytes(in)), type.scale());
            case STRING -> new String(readBytes(in), StandardCharsets.UTF_8);
            case BYTES -> readBytes(in);
            case DATE -> LocalDate.ofEpochDay(in.getInt());
            case TIMESTAMP -> LocalDateTime.ofEpochSecond(in.getLong(), in.getInt(), ZoneOffset.UTC);
            case TIMESTAMP_LTZ -> Instant.ofEpochSecond(in.getLong(), in.getInt());
        };
    }

    /**
     * Reads the part of a stored row after its schema id: the null bitmap (bit {@code c} set for a
     * null in column {@code c}), then each non-null value of {@code columns}.
     */
    public static Object[] readValues(ByteBuffer in, List<Column> columns)
    {
        int nulls = in.position();
        in.position(nulls + (columns.size() + 7) / 8);
        Object[] values = new Object[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            if ((in.get(nulls + c / 8) & (1 << (c % 8))) == 0) {
                values[c] = read(in, columns.get(c).type());
            }
        }
        return values;
    }

    private static byte[] readBytes(ByteBuffer in)
    {
        int length = in.getInt();
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }

    /** A growable big-endian output buffer (not synchronized, unlike ByteArrayOutputStream: one row, one thread). */
    public static final class Out
    {
        private byte[] bytes;
        private int size;

        public Out(int capacity)
        {
            bytes = new byte[capacity];
        }

        private void ensure(int more)
        {
            if (size + more > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }

        public void writeByte(int v)
        {
            ensure(1);
            bytes[size++] = (byte) v;
        }

        public void writeShort(short v)
        {
            ensure(2);
            bytes[size++] = (byte) (v >>> 8);
            bytes[size++] = (byte) v;
        }

        public void writeInt(int v)
        {
            ensure(4);
            bytes[size++] = (byte) (v >>> 24);
            bytes[size++] = (byte) (v >>> 16);
            bytes[size++] = (byte) (v >>> 8);
            bytes[size++] = (byte) v;
        }

        public void writeLong(long v)
        {
            writeInt((int) (v >>> 32));
            writeInt((int) v);
        }

        public void write(byte[] source, int offset, int length)
        {
            ensure(length);
            System.arraycopy(source, offset, bytes, size, length);
            size += length;
        }

        /** Copies {@code length} bytes of an Arrow buffer from {@code index}. */
        public void write(org.apache.arrow.memory.ArrowBuf source, long index, int length)
        {
            ensure(length);
            source.getBytes(index, bytes, size, length);
            size += length;
        }

        /** Skips {@code length} zero bytes to be filled later with {@link #orByte}; returns where they start. */
        public int reserve(int length)
        {
            ensure(length);
            int at = size;
            java.util.Arrays.fill(bytes, at, at + length, (byte) 0);
            size += length;
            return at;
        }

        public void orByte(int position, int bits)
        {
            bytes[position] |= (byte) bits;
        }

        public void writeLengthPrefixed(byte[] value)
        {
            writeInt(value.length);
            write(value, 0, value.length);
        }

        /** The bytes written; the buffer itself when they fill it exactly (no copy). */
        public byte[] toByteArray()
        {
            return size == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, size);
        }
    }
}
