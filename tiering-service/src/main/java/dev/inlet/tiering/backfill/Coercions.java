/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering.backfill;

import dev.inlet.catalog.model.DataType;
import dev.inlet.logstore.cli.TextValues;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Brings a value read from a source file to its column's Java type (see docs/backfill.md for the
 * table). Only lossless coercions: an integer to a wider integer, a decimal or a floating-point
 * column, a float to a double, text parsed as {@code inlet write} parses it, a timestamp with and
 * without time zone into each other at UTC. Anything else — a double into an integer column, a
 * number too large for its column — is refused with what was wrong.
 */
final class Coercions
{
    private Coercions() {}

    /** @throws IllegalArgumentException saying why the value does not fit */
    static Object coerce(DataType type, Object value)
    {
        if (value == null) {
            return null;
        }
        if (value instanceof String text && type.root() != dev.inlet.catalog.model.TypeRoot.STRING) {
            return TextValues.parse(type, text);
        }
        return switch (type.root()) {
            case BOOLEAN -> expect(type, value, Boolean.class);
            case TINYINT -> (byte) integral(type, value, Byte.MIN_VALUE, Byte.MAX_VALUE);
            case SMALLINT -> (short) integral(type, value, Short.MIN_VALUE, Short.MAX_VALUE);
            case INT -> (int) integral(type, value, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case BIGINT -> integral(type, value, Long.MIN_VALUE, Long.MAX_VALUE);
            case FLOAT -> value instanceof Float f ? f : isIntegral(value) && Math.abs(((Number) value).longValue()) <= (1L << 24) ? (Object) ((Number) value).floatValue() : refuse(type, value);
            case DOUBLE -> value instanceof Double || value instanceof Float ? (Object) ((Number) value).doubleValue()
                    : isIntegral(value) && Math.abs(((Number) value).longValue()) <= (1L << 53) ? (Object) ((Number) value).doubleValue() : refuse(type, value);
            case DECIMAL -> value instanceof BigDecimal d ? d : isIntegral(value) ? BigDecimal.valueOf(((Number) value).longValue()) : refuse(type, value);
            case STRING -> expect(type, value, String.class);
            case BYTES -> expect(type, value, byte[].class);
            case DATE -> expect(type, value, LocalDate.class);
            case TIMESTAMP -> value instanceof Instant i ? LocalDateTime.ofInstant(i, ZoneOffset.UTC) : expect(type, value, LocalDateTime.class);
            case TIMESTAMP_LTZ -> value instanceof LocalDateTime t ? t.toInstant(ZoneOffset.UTC) : expect(type, value, Instant.class);
        };
    }

    private static boolean isIntegral(Object value)
    {
        return value instanceof Byte || value instanceof Short || value instanceof Integer || value instanceof Long || value instanceof BigInteger;
    }

    private static long integral(DataType type, Object value, long min, long max)
    {
        if (!isIntegral(value)) {
            if (value instanceof BigDecimal d) {
                try {
                    return integral(type, d.toBigIntegerExact(), min, max);
                }
                catch (ArithmeticException e) {
                    throw new IllegalArgumentException(d.toPlainString() + " has a fraction; " + type + " takes whole numbers");
                }
            }
            return refuse(type, value);
        }
        BigInteger v = value instanceof BigInteger b ? b : BigInteger.valueOf(((Number) value).longValue());
        if (v.compareTo(BigInteger.valueOf(min)) < 0 || v.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new IllegalArgumentException(v + " is out of range for " + type);
        }
        return v.longValue();
    }

    private static Object expect(DataType type, Object value, Class<?> javaClass)
    {
        return javaClass.isInstance(value) ? value : refuse(type, value);
    }

    private static <T> T refuse(DataType type, Object value)
    {
        throw new IllegalArgumentException("a " + describe(value) + " value (" + shown(value) + ") cannot become " + type);
    }

    private static String describe(Object value)
    {
        return switch (value) {
            case Boolean b -> "boolean";
            case Byte b -> "tinyint";
            case Short s -> "smallint";
            case Integer i -> "int";
            case Long l -> "bigint";
            case Float f -> "float";
            case Double d -> "double";
            case BigDecimal d -> "decimal";
            case byte[] bytes -> "binary";
            case LocalDate d -> "date";
            case LocalDateTime t -> "timestamp";
            case Instant i -> "timestamp with time zone";
            default -> value.getClass().getSimpleName();
        };
    }

    private static String shown(Object value)
    {
        return value instanceof byte[] bytes ? bytes.length + " bytes" : String.valueOf(value);
    }
}
