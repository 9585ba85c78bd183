/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.arrow;

import dev.inlet.catalog.model.DataType;
import dev.inlet.catalog.model.TableDescriptor;
import org.apache.arrow.flatbuf.Buffer;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.memory.BufferAllocator;
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
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Schema;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Batches of random rows over a 20-column table holding every Inlet type, and checks on them. */
final class TestBatches
{
    /** 20 columns: every Inlet type, some twice with another precision or nullability. */
    static final TableDescriptor TABLE = TableDescriptor.builder()
            .column("c_bool", DataType.booleanType())
            .column("c_tinyint", DataType.tinyint())
            .column("c_smallint", DataType.smallint())
            .column("c_int", DataType.integer(), false)
            .column("c_bigint", DataType.bigint())
            .column("c_float", DataType.floatType())
            .column("c_double", DataType.doubleType())
            .column("c_decimal_9_2", DataType.decimal(9, 2))
            .column("c_decimal_38_10", DataType.decimal(38, 10))
            .column("c_string", DataType.string())
            .column("c_bytes", DataType.bytes())
            .column("c_date", DataType.date())
            .column("c_ts_0", DataType.timestamp(0))
            .column("c_ts_3", DataType.timestamp(3))
            .column("c_ts_6", DataType.timestamp(6))
            .column("c_ts_9", DataType.timestamp(9))
            .column("c_ltz_3", DataType.timestampLtz(3))
            .column("c_ltz_6", DataType.timestampLtz(6))
            .column("c_ltz_9", DataType.timestampLtz(9))
            .column("c_name", DataType.string(), false)
            .build();

    static final Schema SCHEMA = ArrowSchemas.toArrowSchema(TABLE);

    private TestBatches() {}

    /**
     * A batch of random rows: about one value in eight is null in nullable columns, one string in
     * ten is empty.
     */
    static VectorSchemaRoot randomBatch(BufferAllocator allocator, int rows, long seed)
    {
        Random random = new Random(seed);
        VectorSchemaRoot root = VectorSchemaRoot.create(SCHEMA, allocator);
        for (FieldVector vector : root.getFieldVectors()) {
            vector.setInitialCapacity(rows);
            vector.allocateNew();
            boolean nullable = vector.getField().isNullable();
            for (int row = 0; row < rows; row++) {
                if (nullable && random.nextInt(8) == 0) {
                    vector.setNull(row);
                    continue;
                }
                setRandom(vector, row, random);
            }
        }
        root.setRowCount(rows);
        return root;
    }

    private static void setRandom(FieldVector vector, int row, Random random)
    {
        switch (vector) {
            case BitVector v -> v.setSafe(row, random.nextBoolean() ? 1 : 0);
            case TinyIntVector v -> v.setSafe(row, (byte) random.nextInt());
            case SmallIntVector v -> v.setSafe(row, (short) random.nextInt());
            case IntVector v -> v.setSafe(row, random.nextInt());
            case BigIntVector v -> v.setSafe(row, random.nextLong());
            case Float4Vector v -> v.setSafe(row, random.nextInt(50) == 0 ? Float.NaN : (float) random.nextGaussian() * 1e6f);
            case Float8Vector v -> v.setSafe(row, random.nextInt(50) == 0 ? Double.NEGATIVE_INFINITY : random.nextGaussian() * 1e12);
            case DecimalVector v -> {
                ArrowType.Decimal type = (ArrowType.Decimal) v.getField().getType();
                // at most precision digits: 9 digits fit 29 bits, 38 digits fit 126 bits
                int bits = type.getPrecision() <= 9 ? 29 : 126;
                BigInteger unscaled = new BigInteger(bits, random);
                if (unscaled.compareTo(BigInteger.TEN.pow(type.getPrecision())) >= 0) {
                    unscaled = unscaled.mod(BigInteger.TEN.pow(type.getPrecision()));
                }
                v.setSafe(row, new BigDecimal(random.nextBoolean() ? unscaled : unscaled.negate(), type.getScale()));
            }
            case VarCharVector v -> v.setSafe(row, randomString(random).getBytes(StandardCharsets.UTF_8));
            case VarBinaryVector v -> {
                byte[] bytes = new byte[random.nextInt(10) == 0 ? 0 : random.nextInt(1, 24)];
                random.nextBytes(bytes);
                v.setSafe(row, bytes);
            }
            case DateDayVector v -> v.setSafe(row, random.nextInt(-100_000, 100_000));
            case TimeStampVector v -> v.setSafe(row, random.nextLong(-4_000_000_000_000_000_000L, 4_000_000_000_000_000_000L) / unitDivisor(v));
            default -> throw new AssertionError("no random values for " + vector.getClass().getSimpleName());
        }
    }

    // keeps millisecond and microsecond values in the range LocalDateTime can show
    private static long unitDivisor(TimeStampVector vector)
    {
        return switch (((ArrowType.Timestamp) vector.getField().getType()).getUnit()) {
            case SECOND -> 1_000_000_000L;
            case MILLISECOND -> 1_000_000L;
            case MICROSECOND -> 1_000L;
            case NANOSECOND -> 1L;
        };
    }

    private static String randomString(Random random)
    {
        if (random.nextInt(10) == 0) {
            return "";
        }
        int length = random.nextInt(1, 30);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(20);
            if (kind == 0) {
                text.append('é');
            }
            else if (kind == 1) {
                text.appendCodePoint(0x1F600 + random.nextInt(40));
            }
            else {
                text.append((char) random.nextInt('a', 'z' + 1));
            }
        }
        return text.toString();
    }

    /** Asserts that the projected root holds exactly the selected columns of the original, cell by cell. */
    static void assertSameValues(VectorSchemaRoot original, int[] selection, VectorSchemaRoot projected)
    {
        assertThat(projected.getRowCount()).isEqualTo(original.getRowCount());
        assertThat(projected.getFieldVectors()).hasSize(selection.length);
        for (int j = 0; j < selection.length; j++) {
            FieldVector expected = original.getVector(selection[j]);
            FieldVector actual = projected.getVector(j);
            assertThat(actual.getField()).isEqualTo(expected.getField());
            assertThat(actual.getValueCount()).isEqualTo(expected.getValueCount());
            assertThat(actual.getNullCount()).as("null count of %s", expected.getName()).isEqualTo(expected.getNullCount());
            for (int row = 0; row < expected.getValueCount(); row++) {
                Object want = expected.getObject(row);
                Object got = actual.getObject(row);
                if (expected.isNull(row) != actual.isNull(row) || !Objects.deepEquals(want, got)) {
                    fail("column %s row %d: expected %s, got %s".formatted(expected.getName(), row, show(want), show(got)));
                }
            }
        }
    }

    private static String show(Object value)
    {
        return value instanceof byte[] bytes ? Arrays.toString(bytes) : String.valueOf(value);
    }

    /** A message's parts, read with the flatbuffer classes directly. */
    record Parsed(int metadataLength, long bodyLength, long[] bufferOffsets, long[] bufferLengths, long rowCount, RecordBatch recordBatch, Message header)
    {
        static Parsed of(ByteBuffer message)
        {
            ByteBuffer bytes = message.slice().order(ByteOrder.LITTLE_ENDIAN);
            int metadataLength = bytes.getInt(4);
            Message header = Message.getRootAsMessage(bytes.slice(8, metadataLength).order(ByteOrder.LITTLE_ENDIAN));
            RecordBatch batch = (RecordBatch) header.header(new RecordBatch());
            long[] offsets = new long[batch.buffersLength()];
            long[] lengths = new long[batch.buffersLength()];
            for (int i = 0; i < offsets.length; i++) {
                Buffer buffer = batch.buffers(i);
                offsets[i] = buffer.offset();
                lengths[i] = buffer.length();
            }
            return new Parsed(metadataLength, header.bodyLength(), offsets, lengths, batch.length(), batch, header);
        }

        ByteBuffer body(ByteBuffer message)
        {
            return message.slice().slice(8 + metadataLength, Math.toIntExact(bodyLength));
        }
    }

    static long align8(long length)
    {
        return (length + 7) / 8 * 8;
    }

    /** Buffers per field, counted from the type as the columnar format's layouts give them. */
    static int buffersOf(ArrowType type)
    {
        return type instanceof ArrowType.Utf8 || type instanceof ArrowType.Binary ? 3 : 2;
    }
}
