/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union.lake.paimon;

import dev.inlet.catalog.model.DataType;
import dev.inlet.logstore.arrow.ArrowSchemas;
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
import org.apache.paimon.data.BinaryString;
import org.apache.paimon.data.Decimal;
import org.apache.paimon.data.InternalRow;
import org.apache.paimon.data.Timestamp;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;

/**
 * Inlet values in Paimon's internal form and back: rows into Arrow vectors without boxing,
 * partition values and filter literals as Java values.
 */
final class PaimonValues
{
    private PaimonValues() {}

    /** Writes field {@code pos} of {@code row} (of Inlet type {@code type}) into {@code vector} at {@code index}. */
    static void write(InternalRow row, int pos, DataType type, FieldVector vector, int index)
    {
        if (row.isNullAt(pos)) {
            vector.setNull(index);
            return;
        }
        switch (type.root()) {
            case BOOLEAN -> ((BitVector) vector).setSafe(index, row.getBoolean(pos) ? 1 : 0);
            case TINYINT -> ((TinyIntVector) vector).setSafe(index, row.getByte(pos));
            case SMALLINT -> ((SmallIntVector) vector).setSafe(index, row.getShort(pos));
            case INT -> ((IntVector) vector).setSafe(index, row.getInt(pos));
            case BIGINT -> ((BigIntVector) vector).setSafe(index, row.getLong(pos));
            case FLOAT -> ((Float4Vector) vector).setSafe(index, row.getFloat(pos));
            case DOUBLE -> ((Float8Vector) vector).setSafe(index, row.getDouble(pos));
            case DECIMAL -> ((DecimalVector) vector).setSafe(index, row.getDecimal(pos, type.precision(), type.scale()).toBigDecimal());
            case STRING -> ((VarCharVector) vector).setSafe(index, row.getString(pos).toBytes());
            case BYTES -> ((VarBinaryVector) vector).setSafe(index, row.getBinary(pos));
            case DATE -> ((DateDayVector) vector).setSafe(index, row.getInt(pos));
            case TIMESTAMP, TIMESTAMP_LTZ -> ((TimeStampVector) vector).setSafe(index, units(row.getTimestamp(pos, type.precision()), ArrowSchemas.timeUnit(type.precision())));
        }
    }

    private static long units(Timestamp t, TimeUnit unit)
    {
        return switch (unit) {
            case MILLISECOND -> t.getMillisecond();
            case MICROSECOND -> t.toMicros();
            case NANOSECOND -> Math.addExact(Math.multiplyExact(t.getMillisecond(), 1_000_000L), t.getNanoOfMillisecond());
            case SECOND -> Math.floorDiv(t.getMillisecond(), 1000L);
        };
    }

    /** Field {@code pos} of {@code row} as the Java value of Inlet type {@code type}, or null. */
    static Object get(InternalRow row, int pos, DataType type)
    {
        if (row.isNullAt(pos)) {
            return null;
        }
        return switch (type.root()) {
            case BOOLEAN -> row.getBoolean(pos);
            case TINYINT -> row.getByte(pos);
            case SMALLINT -> row.getShort(pos);
            case INT -> row.getInt(pos);
            case BIGINT -> row.getLong(pos);
            case FLOAT -> row.getFloat(pos);
            case DOUBLE -> row.getDouble(pos);
            case DECIMAL -> row.getDecimal(pos, type.precision(), type.scale()).toBigDecimal();
            case STRING -> row.getString(pos).toString();
            case BYTES -> row.getBinary(pos);
            case DATE -> LocalDate.ofEpochDay(row.getInt(pos));
            case TIMESTAMP -> row.getTimestamp(pos, type.precision()).toLocalDateTime();
            case TIMESTAMP_LTZ -> row.getTimestamp(pos, type.precision()).toInstant();
        };
    }

    /** A Java value of Inlet type {@code type} in Paimon's internal form, as predicates take literals. */
    static Object literal(DataType type, Object value)
    {
        return switch (value) {
            case String s -> BinaryString.fromString(s);
            case BigDecimal d -> Decimal.fromBigDecimal(d, type.precision(), type.scale());
            case LocalDate d -> (int) d.toEpochDay();
            case LocalDateTime t -> Timestamp.fromLocalDateTime(t);
            case Instant i -> Timestamp.fromInstant(i);
            default -> value;
        };
    }
}
