/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.trino;

import dev.inlet.catalog.model.DataType;
import io.airlift.slice.Slice;
import io.trino.spi.StandardErrorCode;
import io.trino.spi.TrinoException;
import io.trino.spi.type.BigintType;
import io.trino.spi.type.BooleanType;
import io.trino.spi.type.DateType;
import io.trino.spi.type.DecimalType;
import io.trino.spi.type.DoubleType;
import io.trino.spi.type.Int128;
import io.trino.spi.type.IntegerType;
import io.trino.spi.type.LongTimestamp;
import io.trino.spi.type.RealType;
import io.trino.spi.type.SmallintType;
import io.trino.spi.type.TimestampType;
import io.trino.spi.type.TimestampWithTimeZoneType;
import io.trino.spi.type.TinyintType;
import io.trino.spi.type.Type;
import io.trino.spi.type.VarbinaryType;
import io.trino.spi.type.VarcharType;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Inlet's types as Trino types (see {@code docs/type-mapping.md}), and Trino's native values of
 * them (as filters carry them) as Inlet's Java values.
 */
final class TypeMapping
{
    private TypeMapping() {}

    static Type toTrino(DataType type)
    {
        return switch (type.root()) {
            case BOOLEAN -> BooleanType.BOOLEAN;
            case TINYINT -> TinyintType.TINYINT;
            case SMALLINT -> SmallintType.SMALLINT;
            case INT -> IntegerType.INTEGER;
            case BIGINT -> BigintType.BIGINT;
            case FLOAT -> RealType.REAL;
            case DOUBLE -> DoubleType.DOUBLE;
            case DECIMAL -> DecimalType.createDecimalType(type.precision(), type.scale());
            case STRING -> VarcharType.VARCHAR;
            case BYTES -> VarbinaryType.VARBINARY;
            case DATE -> DateType.DATE;
            case TIMESTAMP -> TimestampType.createTimestampType(type.precision());
            case TIMESTAMP_LTZ -> TimestampWithTimeZoneType.createTimestampWithTimeZoneType(type.precision());
        };
    }

    /**
     * The Inlet type of a column Trino creates ({@code CREATE TABLE}, {@code ADD COLUMN});
     * {@code varchar(n)} becomes STRING (Inlet strings have no length limit).
     *
     * @throws TrinoException {@code NOT_SUPPORTED} naming the column for a type Inlet lacks
     */
    static DataType toInlet(String column, Type type)
    {
        return switch (type) {
            case BooleanType t -> DataType.booleanType();
            case TinyintType t -> DataType.tinyint();
            case SmallintType t -> DataType.smallint();
            case IntegerType t -> DataType.integer();
            case BigintType t -> DataType.bigint();
            case RealType t -> DataType.floatType();
            case DoubleType t -> DataType.doubleType();
            case DecimalType t -> DataType.decimal(t.getPrecision(), t.getScale());
            case VarcharType t -> DataType.string();
            case VarbinaryType t -> DataType.bytes();
            case DateType t -> DataType.date();
            case TimestampType t -> DataType.timestamp(t.getPrecision());
            case TimestampWithTimeZoneType t -> DataType.timestampLtz(t.getPrecision());
            default -> throw new TrinoException(StandardErrorCode.NOT_SUPPORTED, "Column '" + column + "' has type " + type + ", which Inlet tables do not have; see docs/trino.md for the types");
        };
    }

    /**
     * A Trino native value of a column of Inlet type {@code type} as Inlet's Java value; empty if
     * the connector does not push filters on the type (timestamps with time zone).
     */
    static Optional<Object> toJava(DataType type, Object value)
    {
        return Optional.ofNullable(switch (type.root()) {
            case BOOLEAN -> value;
            case TINYINT -> (byte) (long) (Long) value;
            case SMALLINT -> (short) (long) (Long) value;
            case INT -> (int) (long) (Long) value;
            case BIGINT -> value;
            case FLOAT -> Float.intBitsToFloat((int) (long) (Long) value);
            case DOUBLE -> value;
            case DECIMAL -> value instanceof Long unscaled ? BigDecimal.valueOf(unscaled, type.scale()) : new BigDecimal(((Int128) value).toBigInteger(), type.scale());
            case STRING -> ((Slice) value).toStringUtf8();
            case BYTES -> ((Slice) value).getBytes();
            case DATE -> LocalDate.ofEpochDay((Long) value);
            case TIMESTAMP -> value instanceof Long micros ? fromMicros(micros, 0) : fromMicros(((LongTimestamp) value).getEpochMicros(), ((LongTimestamp) value).getPicosOfMicro());
            case TIMESTAMP_LTZ -> null;
        });
    }

    private static LocalDateTime fromMicros(long micros, int picosOfMicro)
    {
        long seconds = Math.floorDiv(micros, 1_000_000L);
        long nanos = Math.floorMod(micros, 1_000_000L) * 1_000L + picosOfMicro / 1_000;
        return LocalDateTime.ofEpochSecond(seconds, (int) nanos, ZoneOffset.UTC);
    }
}
