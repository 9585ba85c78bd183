/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union.lake.iceberg;

import dev.inlet.catalog.model.DataType;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Inlet values in Iceberg's two forms and back: generic-record values (TINYINT and SMALLINT
 * widened to int, binary as a buffer, LTZ as an offset date-time) and internal values (partition
 * tuples and expression literals: days, microseconds).
 */
final class IcebergValues
{
    private IcebergValues() {}

    /** A generic record's value as the Java value of Inlet type {@code type}. */
    static Object fromRecord(DataType type, Object value)
    {
        if (value == null) {
            return null;
        }
        return switch (type.root()) {
            case TINYINT -> ((Integer) value).byteValue();
            case SMALLINT -> ((Integer) value).shortValue();
            case STRING -> value.toString();
            case BYTES -> bytes((ByteBuffer) value);
            case TIMESTAMP_LTZ -> ((OffsetDateTime) value).toInstant();
            default -> value;
        };
    }

    private static byte[] bytes(ByteBuffer buffer)
    {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    /** A partition tuple's internal value as the Java value of Inlet type {@code type}. */
    static Object fromInternal(DataType type, Object value)
    {
        if (value == null) {
            return null;
        }
        return switch (type.root()) {
            case DATE -> LocalDate.ofEpochDay((Integer) value);
            case TIMESTAMP -> LocalDateTime.ofInstant(instant((Long) value, type), ZoneOffset.UTC);
            case TIMESTAMP_LTZ -> instant((Long) value, type);
            default -> fromRecord(type, value);
        };
    }

    private static Instant instant(long units, DataType type)
    {
        long perSecond = type.precision() <= 6 ? 1_000_000L : 1_000_000_000L;
        return Instant.ofEpochSecond(Math.floorDiv(units, perSecond), Math.floorMod(units, perSecond) * (1_000_000_000L / perSecond));
    }

    /**
     * A data file's lower or upper bound of a column (Iceberg's single-value serialization) as the
     * column's Java value, or null if the file has none. Text and binary bounds are truncated
     * prefixes, not values of the column: they give null too.
     */
    static Object bound(dev.inlet.catalog.model.Column column, org.apache.iceberg.types.Types.NestedField field, java.util.Map<Integer, ByteBuffer> bounds)
    {
        if (bounds == null || !bounds.containsKey(field.fieldId())) {
            return null;
        }
        return switch (column.type().root()) {
            case STRING, BYTES -> null;
            default -> fromInternal(column.type(), org.apache.iceberg.types.Conversions.fromByteBuffer(field.type(), bounds.get(field.fieldId())));
        };
    }

    /** A Java value of Inlet type {@code type} as an expression literal. */
    static Object literal(DataType type, Object value)
    {
        return switch (value) {
            case Byte b -> b.intValue();
            case Short s -> s.intValue();
            case byte[] b -> ByteBuffer.wrap(b);
            case LocalDate d -> (int) d.toEpochDay();
            case LocalDateTime t -> units(t.toInstant(ZoneOffset.UTC), type);
            case Instant i -> units(i, type);
            default -> value;
        };
    }

    private static long units(Instant instant, DataType type)
    {
        if (type.precision() <= 6) {
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000L);
        }
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }
}
