/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.trino;

import io.airlift.slice.Slices;
import io.trino.spi.type.DecimalType;
import io.trino.spi.type.Int128;
import io.trino.spi.type.LongTimestamp;
import io.trino.spi.type.LongTimestampWithTimeZone;
import io.trino.spi.type.TimestampType;
import io.trino.spi.type.TimestampWithTimeZoneType;
import io.trino.spi.type.Type;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import static io.trino.spi.type.DateTimeEncoding.packDateTimeWithZone;
import static io.trino.spi.type.TimeZoneKey.UTC_KEY;

/** Inlet's Java values as Trino's native values (for the rows of system tables). */
final class TrinoValues
{
    private TrinoValues() {}

    static Object toNative(Type type, Object value)
    {
        return switch (value) {
            case null -> null;
            case Boolean b -> b;
            case Byte b -> (long) b;
            case Short s -> (long) s;
            case Integer i -> (long) i;
            case Long l -> l;
            case Float f -> (long) Float.floatToRawIntBits(f);
            case Double d -> d;
            case BigDecimal d -> ((DecimalType) type).isShort() ? d.unscaledValue().longValueExact() : Int128.valueOf(d.unscaledValue());
            case String s -> Slices.utf8Slice(s);
            case byte[] b -> Slices.wrappedBuffer(b);
            case LocalDate d -> d.toEpochDay();
            case LocalDateTime t -> timestamp((TimestampType) type, t.toInstant(ZoneOffset.UTC));
            case Instant i -> timestampWithZone((TimestampWithTimeZoneType) type, i);
            default -> throw new IllegalArgumentException("no Trino value for " + value.getClass().getSimpleName());
        };
    }

    private static Object timestamp(TimestampType type, Instant instant)
    {
        long micros = Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
        return type.isShort() ? micros : new LongTimestamp(micros, (instant.getNano() % 1_000) * 1_000);
    }

    static Object timestampWithZone(TimestampWithTimeZoneType type, Instant instant)
    {
        long millis = instant.toEpochMilli();
        return type.isShort() ? packDateTimeWithZone(millis, UTC_KEY)
                : LongTimestampWithTimeZone.fromEpochMillisAndFraction(millis, (instant.getNano() % 1_000_000) * 1_000, UTC_KEY);
    }
}
