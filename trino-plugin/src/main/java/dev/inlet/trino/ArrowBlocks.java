/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.trino;

import io.airlift.slice.Slices;
import io.trino.spi.block.Bitmap;
import io.trino.spi.block.Block;
import io.trino.spi.block.BlockBuilder;
import io.trino.spi.block.IntArrayBlock;
import io.trino.spi.block.LongArrayBlock;
import io.trino.spi.block.VariableWidthBlock;
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
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

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
        Block whole = bulk(type, vector, rows);
        if (whole != null) {
            return whole;
        }
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

    /**
     * A column in the layouts Trino and Arrow share, by bulk copies of the vector's buffers (Arrow
     * is little-endian): 64-bit values (BIGINT, DOUBLE's bits, microsecond timestamps), 32-bit
     * values (INTEGER, DATE), and strings (offsets and bytes); nulls from the validity bits. Null
     * for other types. A null position's value is whatever Arrow holds there (zero, or an empty
     * string once Arrow filled the offsets), which Trino never reads.
     */
    private static Block bulk(Type type, FieldVector vector, int rows)
    {
        boolean micros = vector instanceof TimeStampMicroVector && type instanceof TimestampType t && t.isShort();
        if (vector instanceof BigIntVector || vector instanceof Float8Vector || micros) {
            long[] values = new long[rows];
            vector.getDataBuffer().nioBuffer(0, rows * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(values);
            return new LongArrayBlock(rows, nulls(vector, rows), values);
        }
        if (vector instanceof IntVector || vector instanceof DateDayVector) {
            int[] values = new int[rows];
            vector.getDataBuffer().nioBuffer(0, rows * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(values);
            return new IntArrayBlock(rows, nulls(vector, rows), values);
        }
        if (vector instanceof VarCharVector || vector instanceof VarBinaryVector) {
            Optional<long[]> nulls = nulls(vector, rows);
            int[] offsets = new int[rows + 1];
            vector.getOffsetBuffer().nioBuffer(0, (rows + 1) * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(offsets);
            if (nulls.isPresent()) {
                // a trailing null Arrow has not filled yet may hold offset 0: a null is empty; a
                // null's bytes are never read, so the offsets only need to be ascending
                for (int i = 1; i <= rows; i++) {
                    offsets[i] = Math.max(offsets[i], offsets[i - 1]);
                }
            }
            int start = offsets[0];
            byte[] bytes = new byte[offsets[rows] - start];
            vector.getDataBuffer().getBytes(start, bytes);
            if (start != 0) {
                for (int i = 0; i <= rows; i++) {
                    offsets[i] -= start;
                }
            }
            return new VariableWidthBlock(rows, Slices.wrappedBuffer(bytes), offsets, nulls);
        }
        return null;
    }

    /**
     * Trino's validity bitmap (bit set = not null, bit i of word i / 64) has the layout of Arrow's
     * validity buffer read as little-endian 64-bit words, so it is one bulk copy; bits past
     * {@code rows} are cleared. Empty when no position is null.
     */
    private static Optional<long[]> nulls(FieldVector vector, int rows)
    {
        // Arrow counts nulls up to its value count, which a vector still being filled has not set
        if (vector.getValueCount() >= rows && vector.getNullCount() == 0) {
            return Optional.empty();
        }
        int words = Bitmap.wordsForBits(rows);
        ByteBuffer bytes = ByteBuffer.allocate(words * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.put(vector.getValidityBuffer().nioBuffer(0, (rows + 7) / 8));
        long[] valid = new long[words];
        bytes.flip().limit(words * Long.BYTES);
        bytes.asLongBuffer().get(valid);
        if (rows % 64 != 0) {
            valid[words - 1] &= (1L << (rows % 64)) - 1;
        }
        return Bitmap.hasUnsetBit(valid, 0, rows) ? Optional.of(valid) : Optional.empty();
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
