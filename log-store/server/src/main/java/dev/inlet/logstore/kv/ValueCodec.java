/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.kv;

import dev.inlet.catalog.model.DataType;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The binary form of one non-null value of an Inlet type, shared by keys and rows. Fixed-width
 * types are big-endian; variable-width ones are a length then the bytes, so that a sequence of
 * encoded values is self-delimiting and a key's leading columns are a byte prefix of the key
 * (what prefix lookups scan for).
 */
final class ValueCodec
{
    private ValueCodec() {}

    static void write(Out out, DataType type, Object value)
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

    static Object read(ByteBuffer in, DataType type)
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

    private static byte[] readBytes(ByteBuffer in)
    {
        int length = in.getInt();
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }

    /** A growable big-endian output buffer. */
    static final class Out
            extends ByteArrayOutputStream
    {
        Out(int size)
        {
            super(size);
        }

        void writeByte(int v)
        {
            write(v);
        }

        void writeShort(short v)
        {
            write(v >>> 8);
            write(v);
        }

        void writeInt(int v)
        {
            write(v >>> 24);
            write(v >>> 16);
            write(v >>> 8);
            write(v);
        }

        void writeLong(long v)
        {
            writeInt((int) (v >>> 32));
            writeInt((int) v);
        }

        void writeLengthPrefixed(byte[] bytes)
        {
            writeInt(bytes.length);
            write(bytes, 0, bytes.length);
        }
    }
}
