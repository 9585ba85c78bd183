/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.trino;

import io.airlift.slice.Slices;
import io.trino.spi.block.Block;
import io.trino.spi.block.BlockBuilder;
import io.trino.spi.type.DecimalType;
import io.trino.spi.type.Int128;
import io.trino.spi.type.LongTimestamp;
import io.trino.spi.type.LongTimestampWithTimeZone;
import io.trino.spi.type.TimestampType;
import io.trino.spi.type.TimestampWithTimeZoneType;
import io.trino.spi.type.Type;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;

import static io.trino.spi.type.DateTimeEncoding.packDateTimeWithZone;
import static io.trino.spi.type.TimeZoneKey.UTC_KEY;

/**
 * Arrow vectors (the union reader's batches) as Trino blocks, value by value from the vectors'
 * primitive getters: no Java object per value.
 */
final class ArrowBlocks
{
    private ArrowBlocks() {}

    static Block toBlock(Type type, FieldVector vector, int rows)
    {
        BlockBuilder out = type.createBlockBuilder(null, rows);
        for (int i = 0; i < rows; i++) {
            if (vector.isNull(i)) {
                out.appendNull();
                continue;
            }
            switch (vector) {
                case BitVector v -> type.writeBoolean(out, v.get(i) != 0);
                case TinyIntVector v -> type.writeLong(out, v.get(i));
                case SmallIntVector v -> type.writeLong(out, v.get(i));
                case IntVector v -> type.writeLong(out, v.get(i));
                case BigIntVector v -> type.writeLong(out, v.get(i));
                case Float4Vector v -> type.writeLong(out, Float.floatToRawIntBits(v.get(i)));
                case Float8Vector v -> type.writeDouble(out, v.get(i));
                case DecimalVector v -> decimal((DecimalType) type, out, v, i);
                case VarCharVector v -> type.writeSlice(out, Slices.wrappedBuffer(v.get(i)));
                case VarBinaryVector v -> type.writeSlice(out, Slices.wrappedBuffer(v.get(i)));
                case DateDayVector v -> type.writeLong(out, v.get(i));
                case TimeStampVector v -> timestamp(type, out, v, i);
                default -> throw new IllegalArgumentException("column " + vector.getName() + ": no Trino mapping for Arrow vector " + vector.getClass().getSimpleName());
            }
        }
        return out.build();
    }

    private static void decimal(DecimalType type, BlockBuilder out, DecimalVector vector, int i)
    {
        java.math.BigInteger unscaled = vector.getObject(i).unscaledValue();
        if (type.isShort()) {
            type.writeLong(out, unscaled.longValueExact());
        }
        else {
            type.writeObject(out, Int128.valueOf(unscaled));
        }
    }

    private static void timestamp(Type type, BlockBuilder out, TimeStampVector vector, int i)
    {
        long value = vector.get(i);
        TimeUnit unit = ((ArrowType.Timestamp) vector.getField().getType()).getUnit();
        // epoch micros, and the picoseconds below them
        long micros;
        int picosOfMicro;
        switch (unit) {
            case SECOND -> {
                micros = Math.multiplyExact(value, 1_000_000L);
                picosOfMicro = 0;
            }
            case MILLISECOND -> {
                micros = Math.multiplyExact(value, 1_000L);
                picosOfMicro = 0;
            }
            case MICROSECOND -> {
                micros = value;
                picosOfMicro = 0;
            }
            case NANOSECOND -> {
                micros = Math.floorDiv(value, 1_000L);
                picosOfMicro = (int) Math.floorMod(value, 1_000L) * 1_000;
            }
            default -> throw new IllegalStateException(unit.toString());
        }
        if (type instanceof TimestampType t) {
            if (t.isShort()) {
                t.writeLong(out, micros);
            }
            else {
                t.writeObject(out, new LongTimestamp(micros, picosOfMicro));
            }
            return;
        }
        TimestampWithTimeZoneType t = (TimestampWithTimeZoneType) type;
        long millis = Math.floorDiv(micros, 1_000L);
        if (t.isShort()) {
            t.writeLong(out, packDateTimeWithZone(millis, UTC_KEY));
        }
        else {
            int picosOfMilli = (int) Math.floorMod(micros, 1_000L) * 1_000_000 + picosOfMicro;
            t.writeObject(out, LongTimestampWithTimeZone.fromEpochMillisAndFraction(millis, picosOfMilli, UTC_KEY));
        }
    }
}
