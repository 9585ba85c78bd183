/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.arrow;

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
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.TimeStampMilliTZVector;
import org.apache.arrow.vector.TimeStampMilliVector;
import org.apache.arrow.vector.TimeStampNanoTZVector;
import org.apache.arrow.vector.TimeStampNanoVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Reads and writes single values of Inlet's Java value classes ({@link dev.inlet.catalog.model.TypeRoot#javaClass()})
 * in the Arrow vectors of Inlet's mapping: timestamps in milli-, micro- or nanoseconds by
 * precision, TIMESTAMP_LTZ as UTC timestamps, dates as days, decimals as 128-bit decimals. This is
 * the row convenience path; bulk paths move whole vectors.
 */
public final class ArrowValues
{
    private ArrowValues() {}

    /**
     * A root whose vectors have room for {@code rows} rows: without it the first {@code setSafe}
     * allocates (and zeroes) Arrow's default of thousands of values per vector, which dominates the
     * cost of the small batches of lookups.
     */
    public static VectorSchemaRoot allocate(Schema schema, int rows, BufferAllocator allocator)
    {
        VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
        for (FieldVector vector : root.getFieldVectors()) {
            vector.setInitialCapacity(Math.max(rows, 1));
            vector.allocateNew();
        }
        return root;
    }

    /** The value at {@code index}, or null. */
    public static Object get(FieldVector vector, int index)
    {
        if (vector.isNull(index)) {
            return null;
        }
        return switch (vector) {
            case BitVector v -> v.get(index) != 0;
            case TinyIntVector v -> v.get(index);
            case SmallIntVector v -> v.get(index);
            case IntVector v -> v.get(index);
            case BigIntVector v -> v.get(index);
            case Float4Vector v -> v.get(index);
            case Float8Vector v -> v.get(index);
            case DecimalVector v -> v.getObject(index);
            case VarCharVector v -> new String(v.get(index), StandardCharsets.UTF_8);
            case VarBinaryVector v -> v.get(index);
            case DateDayVector v -> LocalDate.ofEpochDay(v.get(index));
            case TimeStampMilliVector v -> localDateTime(v.get(index), 1_000L);
            case TimeStampMicroVector v -> localDateTime(v.get(index), 1_000_000L);
            case TimeStampNanoVector v -> localDateTime(v.get(index), 1_000_000_000L);
            case TimeStampMilliTZVector v -> instant(v.get(index), 1_000L);
            case TimeStampMicroTZVector v -> instant(v.get(index), 1_000_000L);
            case TimeStampNanoTZVector v -> instant(v.get(index), 1_000_000_000L);
            default -> throw new IllegalArgumentException("unsupported vector " + vector.getClass().getSimpleName() + " for column " + vector.getName());
        };
    }

    /**
     * Sets the value at {@code index}; null sets null. The vector must have room ({@code setSafe}
     * grows it).
     *
     * @throws IllegalArgumentException naming the column if the value's class does not fit
     */
    public static void set(FieldVector vector, int index, Object value)
    {
        if (value == null) {
            vector.setNull(index);
            return;
        }
        try {
            switch (vector) {
                case BitVector v -> v.setSafe(index, ((Boolean) value) ? 1 : 0);
                case TinyIntVector v -> v.setSafe(index, (Byte) value);
                case SmallIntVector v -> v.setSafe(index, (Short) value);
                case IntVector v -> v.setSafe(index, (Integer) value);
                case BigIntVector v -> v.setSafe(index, (Long) value);
                case Float4Vector v -> v.setSafe(index, (Float) value);
                case Float8Vector v -> v.setSafe(index, (Double) value);
                case DecimalVector v -> v.setSafe(index, ((BigDecimal) value).setScale(v.getScale(), RoundingMode.UNNECESSARY));
                case VarCharVector v -> v.setSafe(index, ((String) value).getBytes(StandardCharsets.UTF_8));
                case VarBinaryVector v -> v.setSafe(index, (byte[]) value);
                case DateDayVector v -> v.setSafe(index, Math.toIntExact(((LocalDate) value).toEpochDay()));
                case TimeStampMilliVector v -> v.setSafe(index, units(((LocalDateTime) value).toInstant(ZoneOffset.UTC), 1_000L));
                case TimeStampMicroVector v -> v.setSafe(index, units(((LocalDateTime) value).toInstant(ZoneOffset.UTC), 1_000_000L));
                case TimeStampNanoVector v -> v.setSafe(index, units(((LocalDateTime) value).toInstant(ZoneOffset.UTC), 1_000_000_000L));
                case TimeStampMilliTZVector v -> v.setSafe(index, units((Instant) value, 1_000L));
                case TimeStampMicroTZVector v -> v.setSafe(index, units((Instant) value, 1_000_000L));
                case TimeStampNanoTZVector v -> v.setSafe(index, units((Instant) value, 1_000_000_000L));
                default -> throw new IllegalArgumentException("unsupported vector " + vector.getClass().getSimpleName());
            }
        }
        catch (ClassCastException | ArithmeticException e) {
            throw new IllegalArgumentException("column '" + vector.getName() + "' cannot hold " + value.getClass().getSimpleName() + " value '" + value + "'", e);
        }
    }

    /** Whole units per second: 1,000 for ms, 1,000,000 for µs, 1,000,000,000 for ns; sub-unit digits are cut toward the past. */
    private static long units(Instant instant, long perSecond)
    {
        long nanosPerUnit = 1_000_000_000L / perSecond;
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), perSecond), instant.getNano() / nanosPerUnit);
    }

    private static Instant instant(long value, long perSecond)
    {
        long seconds = Math.floorDiv(value, perSecond);
        long fraction = Math.floorMod(value, perSecond);
        return Instant.ofEpochSecond(seconds, fraction * (1_000_000_000L / perSecond));
    }

    private static LocalDateTime localDateTime(long value, long perSecond)
    {
        return LocalDateTime.ofInstant(instant(value, perSecond), ZoneOffset.UTC);
    }
}
