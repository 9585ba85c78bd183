/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.kv;

import dev.inlet.catalog.model.DataType;
import dev.inlet.logstore.arrow.ArrowValues;
import dev.inlet.logstore.protocol.ValueCodec;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.types.pojo.ArrowType;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Copies single values between Arrow vectors and their {@link ValueCodec} encoding without making
 * a Java object of each: what lets an upsert batch be merged, stored and logged, and a lookup be
 * answered, at the cost of copying bytes. Produces exactly the bytes {@link ValueCodec#write}
 * writes for the same value (the slow path for decimals is that method itself).
 */
final class ArrowCells
{
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private ArrowCells() {}

    /** Encodes the non-null value at {@code row} of {@code vector}, a vector of {@code type}'s Arrow type. */
    static void write(ValueCodec.Out out, FieldVector vector, int row, DataType type)
    {
        switch (type.root()) {
            case BOOLEAN -> out.writeByte(((BitVector) vector).get(row));
            case TINYINT -> out.writeByte(((TinyIntVector) vector).get(row));
            case SMALLINT -> out.writeShort(((SmallIntVector) vector).get(row));
            case INT -> out.writeInt(((IntVector) vector).get(row));
            case BIGINT -> out.writeLong(((BigIntVector) vector).get(row));
            case FLOAT -> out.writeInt(Float.floatToIntBits(((Float4Vector) vector).get(row)));
            case DOUBLE -> out.writeLong(Double.doubleToLongBits(((Float8Vector) vector).get(row)));
            case DATE -> out.writeInt(((DateDayVector) vector).get(row));
            case STRING, BYTES -> {
                BaseVariableWidthVector v = (BaseVariableWidthVector) vector;
                int length = v.getValueLength(row);
                out.writeInt(length);
                out.write(v.getDataBuffer(), v.getStartOffset(row), length);
            }
            case TIMESTAMP, TIMESTAMP_LTZ -> {
                long units = unitsPerSecond(vector);
                long value = ((TimeStampVector) vector).get(row);
                out.writeLong(Math.floorDiv(value, units));
                out.writeInt((int) (Math.floorMod(value, units) * (NANOS_PER_SECOND / units)));
            }
            case DECIMAL -> ValueCodec.write(out, type, ArrowValues.get(vector, row));
        }
    }

    /**
     * Sets row {@code row} of {@code vector} to the value encoded at {@code offset} of {@code bytes}.
     *
     * @return the offset after the value
     */
    static int read(byte[] bytes, int offset, DataType type, FieldVector vector, int row)
    {
        switch (type.root()) {
            case BOOLEAN -> ((BitVector) vector).setSafe(row, bytes[offset] != 0 ? 1 : 0);
            case TINYINT -> ((TinyIntVector) vector).setSafe(row, bytes[offset]);
            case SMALLINT -> ((SmallIntVector) vector).setSafe(row, (short) SHORT.get(bytes, offset));
            case INT -> ((IntVector) vector).setSafe(row, (int) INT.get(bytes, offset));
            case BIGINT -> ((BigIntVector) vector).setSafe(row, (long) LONG.get(bytes, offset));
            case FLOAT -> ((Float4Vector) vector).setSafe(row, Float.intBitsToFloat((int) INT.get(bytes, offset)));
            case DOUBLE -> ((Float8Vector) vector).setSafe(row, Double.longBitsToDouble((long) LONG.get(bytes, offset)));
            case DATE -> ((DateDayVector) vector).setSafe(row, (int) INT.get(bytes, offset));
            case STRING, BYTES -> ((BaseVariableWidthVector) vector).setSafe(row, bytes, offset + 4, (int) INT.get(bytes, offset));
            case TIMESTAMP, TIMESTAMP_LTZ -> {
                long units = unitsPerSecond(vector);
                long seconds = (long) LONG.get(bytes, offset);
                int nanos = (int) INT.get(bytes, offset + 8);
                ((TimeStampVector) vector).setSafe(row, seconds * units + nanos / (NANOS_PER_SECOND / units));
            }
            case DECIMAL -> ArrowValues.set(vector, row, ValueCodec.read(ByteBuffer.wrap(bytes, offset, bytes.length - offset), type));
        }
        return skip(bytes, offset, type);
    }

    /** The length of the encoding of the non-null value at {@code row} of {@code vector}. */
    static int length(FieldVector vector, int row, DataType type)
    {
        return switch (type.root()) {
            case BOOLEAN, TINYINT -> 1;
            case SMALLINT -> 2;
            case INT, FLOAT, DATE -> 4;
            case BIGINT, DOUBLE -> 8;
            case TIMESTAMP, TIMESTAMP_LTZ -> 12;
            case STRING, BYTES -> 4 + ((BaseVariableWidthVector) vector).getValueLength(row);
            case DECIMAL -> 4 + ((java.math.BigDecimal) ArrowValues.get(vector, row)).setScale(type.scale(), java.math.RoundingMode.UNNECESSARY).unscaledValue().toByteArray().length;
        };
    }

    /** The offset after the value encoded at {@code offset}. */
    static int skip(byte[] bytes, int offset, DataType type)
    {
        return offset + switch (type.root()) {
            case BOOLEAN, TINYINT -> 1;
            case SMALLINT -> 2;
            case INT, FLOAT, DATE -> 4;
            case BIGINT, DOUBLE -> 8;
            case TIMESTAMP, TIMESTAMP_LTZ -> 12;
            case DECIMAL, STRING, BYTES -> 4 + (int) INT.get(bytes, offset);
        };
    }

    private static long unitsPerSecond(FieldVector vector)
    {
        return switch (((ArrowType.Timestamp) vector.getField().getType()).getUnit()) {
            case SECOND -> 1L;
            case MILLISECOND -> 1_000L;
            case MICROSECOND -> 1_000_000L;
            case NANOSECOND -> NANOS_PER_SECOND;
        };
    }
}
