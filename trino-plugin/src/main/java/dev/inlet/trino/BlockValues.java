/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.trino;

import dev.inlet.catalog.model.DataType;
import io.trino.spi.block.Block;
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

import static io.trino.spi.type.DateTimeEncoding.unpackMillisUtc;

/** A value of a Trino block (an {@code INSERT}'s pages) as the Java value of its Inlet column's type. */
final class BlockValues
{
    private BlockValues() {}

    static Object get(Type type, DataType inlet, Block block, int position)
    {
        if (block.isNull(position)) {
            return null;
        }
        return switch (inlet.root()) {
            case BOOLEAN -> type.getBoolean(block, position);
            case TINYINT -> (byte) type.getLong(block, position);
            case SMALLINT -> (short) type.getLong(block, position);
            case INT -> (int) type.getLong(block, position);
            case BIGINT -> type.getLong(block, position);
            case FLOAT -> Float.intBitsToFloat((int) type.getLong(block, position));
            case DOUBLE -> type.getDouble(block, position);
            case DECIMAL -> ((DecimalType) type).isShort()
                    ? BigDecimal.valueOf(type.getLong(block, position), inlet.scale())
                    : new BigDecimal(((Int128) type.getObject(block, position)).toBigInteger(), inlet.scale());
            case STRING -> type.getSlice(block, position).toStringUtf8();
            case BYTES -> type.getSlice(block, position).getBytes();
            case DATE -> LocalDate.ofEpochDay(type.getLong(block, position));
            case TIMESTAMP -> timestamp((TimestampType) type, block, position);
            case TIMESTAMP_LTZ -> instant((TimestampWithTimeZoneType) type, block, position);
        };
    }

    private static LocalDateTime timestamp(TimestampType type, Block block, int position)
    {
        long micros;
        int picos = 0;
        if (type.isShort()) {
            micros = type.getLong(block, position);
        }
        else {
            LongTimestamp t = (LongTimestamp) type.getObject(block, position);
            micros = t.getEpochMicros();
            picos = t.getPicosOfMicro();
        }
        long seconds = Math.floorDiv(micros, 1_000_000L);
        long nanos = Math.floorMod(micros, 1_000_000L) * 1_000L + picos / 1_000;
        return LocalDateTime.ofEpochSecond(seconds, (int) nanos, ZoneOffset.UTC);
    }

    private static Instant instant(TimestampWithTimeZoneType type, Block block, int position)
    {
        if (type.isShort()) {
            return Instant.ofEpochMilli(unpackMillisUtc(type.getLong(block, position)));
        }
        LongTimestampWithTimeZone t = (LongTimestampWithTimeZone) type.getObject(block, position);
        return Instant.ofEpochMilli(t.getEpochMillis()).plusNanos(t.getPicosOfMilli() / 1_000);
    }
}
