/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.bucket;

import dev.inlet.catalog.model.DataType;
import dev.inlet.catalog.model.TypeRoot;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;

/**
 * Lays values out byte for byte as Paimon 1.4's {@code BinaryRowWriter} does when Paimon projects
 * a record onto its bucket key, without depending on Paimon.
 *
 * <p>The layout, for a row of {@code n} fields:
 * <ol>
 *   <li>A header and null-bit area of {@code ((n + 63 + 8) / 64) * 8} bytes: byte 0 is the row
 *       kind (0 for INSERT, which a projected key always is), then bit {@code 8 + i} (byte
 *       {@code (8 + i) / 8}, bit {@code (8 + i) % 8}) is set when field {@code i} is null.
 *   <li>One 8-byte slot per field. Fixed-size values fill the low bytes of their slot, the rest
 *       staying 0: TINYINT and BOOLEAN one byte, SMALLINT two, INT and DATE (epoch days) four,
 *       BIGINT, compact DECIMAL (precision at most 18: the unscaled long) and compact timestamps
 *       (precision at most 3: epoch milliseconds) eight; FLOAT and DOUBLE their raw IEEE bits,
 *       not normalised. A string's UTF-8 bytes or a binary value of at most 7 bytes is inlined:
 *       the bytes from the slot's first byte and, in its last byte, {@code 0x80 | length}.
 *       A null field's slot is 0, except where noted below.
 *   <li>A variable part, in field order, each piece starting at an 8-byte boundary; the field's
 *       slot holds {@code offset << 32 | value}, the offset counted from the row's start:
 *       longer strings and binary values (value = length, padded with zeros to a whole word);
 *       non-compact decimals (16 bytes reserved, holding the unscaled value's minimal
 *       two's-complement big-endian bytes from the start; value = number of those bytes);
 *       non-compact timestamps (8 bytes holding epoch milliseconds; value = nano-of-millisecond).
 *       A null non-compact decimal or timestamp still reserves its zeroed piece and its slot keeps
 *       the offset (value 0), because Paimon's generated projection writes such nulls with
 *       {@code writeDecimal(pos, null, p)} / {@code writeTimestamp(pos, null, p)}.
 * </ol>
 *
 * <p>All multi-byte values are little-endian: Paimon writes in the platform's order, which is
 * little-endian wherever Inlet runs. TIMESTAMP_LTZ is laid out like TIMESTAMP, from the instant's
 * epoch milliseconds and nano-of-millisecond.
 */
final class PaimonBinaryRow
{
    private static final int HEADER_SIZE_IN_BITS = 8;
    private static final int MAX_FIX_PART_DATA_SIZE = 7;
    private static final int MAX_COMPACT_DECIMAL_PRECISION = 18;
    private static final int MAX_COMPACT_TIMESTAMP_PRECISION = 3;
    private static final int NON_COMPACT_DECIMAL_SIZE = 16;
    private static final long MILLIS_PER_DAY = 86_400_000L;

    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private PaimonBinaryRow() {}

    static int nullBitsSizeInBytes(int arity)
    {
        return ((arity + 63 + HEADER_SIZE_IN_BITS) / 64) * 8;
    }

    static int fixedPartSize(int arity)
    {
        return nullBitsSizeInBytes(arity) + 8 * arity;
    }

    /**
     * The row's bytes. Values must already be normalised ({@link BucketKeyValues#normalize}); a
     * null value is SQL NULL.
     */
    static byte[] toBytes(List<DataType> types, Object[] values)
    {
        int arity = types.size();
        int fixedSize = fixedPartSize(arity);

        // first pass: encode strings once and size the variable part, so the row is allocated once
        Object[] encoded = new Object[arity];
        int size = fixedSize;
        for (int i = 0; i < arity; i++) {
            Object value = values[i];
            encoded[i] = value instanceof String string ? string.getBytes(StandardCharsets.UTF_8) : value;
            size += variableSize(types.get(i), encoded[i]);
        }

        byte[] row = new byte[size];
        int nullBitsSize = nullBitsSizeInBytes(arity);
        int cursor = fixedSize;
        for (int i = 0; i < arity; i++) {
            DataType type = types.get(i);
            Object value = encoded[i];
            int slot = nullBitsSize + 8 * i;
            if (value == null) {
                int bit = HEADER_SIZE_IN_BITS + i;
                row[bit >>> 3] |= (byte) (1 << (bit & 7));
                if (isNonCompactDecimal(type) || isNonCompactTimestamp(type)) {
                    LONG_LE.set(row, slot, (long) cursor << 32);
                }
            }
            else {
                switch (type.root()) {
                    case BOOLEAN -> row[slot] = (byte) ((Boolean) value ? 1 : 0);
                    case TINYINT -> row[slot] = (Byte) value;
                    case SMALLINT -> SHORT_LE.set(row, slot, (short) value);
                    case INT -> INT_LE.set(row, slot, (int) value);
                    case DATE -> INT_LE.set(row, slot, Math.toIntExact(((LocalDate) value).toEpochDay()));
                    case BIGINT -> LONG_LE.set(row, slot, (long) value);
                    case FLOAT -> INT_LE.set(row, slot, Float.floatToRawIntBits((Float) value));
                    case DOUBLE -> LONG_LE.set(row, slot, Double.doubleToRawLongBits((Double) value));
                    case STRING, BYTES -> writeBytes(row, slot, cursor, (byte[]) value);
                    case DECIMAL -> {
                        BigDecimal decimal = (BigDecimal) value;
                        if (isNonCompactDecimal(type)) {
                            byte[] unscaled = decimal.unscaledValue().toByteArray();
                            System.arraycopy(unscaled, 0, row, cursor, unscaled.length);
                            LONG_LE.set(row, slot, ((long) cursor << 32) | unscaled.length);
                        }
                        else {
                            LONG_LE.set(row, slot, decimal.unscaledValue().longValueExact());
                        }
                    }
                    case TIMESTAMP, TIMESTAMP_LTZ -> writeTimestamp(row, slot, cursor, type, value);
                }
            }
            cursor += variableSize(type, value);
        }
        return row;
    }

    private static void writeBytes(byte[] row, int slot, int cursor, byte[] bytes)
    {
        if (bytes.length <= MAX_FIX_PART_DATA_SIZE) {
            // inlined: data in the slot's first bytes, the mark bit and the length in its last byte
            System.arraycopy(bytes, 0, row, slot, bytes.length);
            row[slot + 7] = (byte) (0x80 | bytes.length);
        }
        else {
            System.arraycopy(bytes, 0, row, cursor, bytes.length);
            LONG_LE.set(row, slot, ((long) cursor << 32) | bytes.length);
        }
    }

    private static void writeTimestamp(byte[] row, int slot, int cursor, DataType type, Object value)
    {
        long millis;
        int nanoOfMillisecond;
        // the same arithmetic as Paimon's Timestamp.fromLocalDateTime and Timestamp.fromInstant
        if (value instanceof LocalDateTime dateTime) {
            long nanoOfDay = dateTime.toLocalTime().toNanoOfDay();
            millis = dateTime.toLocalDate().toEpochDay() * MILLIS_PER_DAY + nanoOfDay / 1_000_000;
            nanoOfMillisecond = (int) (nanoOfDay % 1_000_000);
        }
        else {
            Instant instant = (Instant) value;
            millis = instant.getEpochSecond() * 1_000 + instant.getNano() / 1_000_000;
            nanoOfMillisecond = instant.getNano() % 1_000_000;
        }
        if (isNonCompactTimestamp(type)) {
            LONG_LE.set(row, cursor, millis);
            LONG_LE.set(row, slot, ((long) cursor << 32) | nanoOfMillisecond);
        }
        else {
            LONG_LE.set(row, slot, millis);
        }
    }

    /** How many bytes the field takes in the variable part; {@code value} is encoded, or null. */
    private static int variableSize(DataType type, Object value)
    {
        return switch (type.root()) {
            case STRING, BYTES -> {
                int length = value == null ? 0 : ((byte[]) value).length;
                yield length <= MAX_FIX_PART_DATA_SIZE ? 0 : roundUpToWord(length);
            }
            case DECIMAL -> isNonCompactDecimal(type) ? NON_COMPACT_DECIMAL_SIZE : 0;
            case TIMESTAMP, TIMESTAMP_LTZ -> isNonCompactTimestamp(type) ? 8 : 0;
            default -> 0;
        };
    }

    private static boolean isNonCompactDecimal(DataType type)
    {
        return type.root() == TypeRoot.DECIMAL && type.precision() > MAX_COMPACT_DECIMAL_PRECISION;
    }

    private static boolean isNonCompactTimestamp(DataType type)
    {
        return switch (type.root()) {
            case TIMESTAMP, TIMESTAMP_LTZ -> type.precision() > MAX_COMPACT_TIMESTAMP_PRECISION;
            default -> false;
        };
    }

    private static int roundUpToWord(int length)
    {
        return (length + 7) & ~7;
    }
}
