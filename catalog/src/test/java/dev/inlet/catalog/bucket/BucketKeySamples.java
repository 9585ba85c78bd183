/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.bucket;

import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.DataType;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Bucket keys for the alignment tests: every edge value of every column (with the other columns
 * random), then random keys from a fixed seed. Values are at their column's precision and scale,
 * as Inlet stores them.
 */
final class BucketKeySamples
{
    static final long SEED = 20_260_526L;

    // 0001-01-01 and 9999-12-31: the range both lake formats and their file formats hold
    private static final long MIN_EPOCH_DAY = LocalDate.of(1, 1, 1).toEpochDay();
    private static final long MAX_EPOCH_DAY = LocalDate.of(9999, 12, 31).toEpochDay();
    private static final long MIN_EPOCH_SECOND = MIN_EPOCH_DAY * 86_400;
    private static final long MAX_EPOCH_SECOND = MAX_EPOCH_DAY * 86_400 + 86_399;

    private static final String[] ALPHABET = {"a", "b", "z", "0", " ", "é", "ß", "Ω", "日", "本", "\uD83D\uDE00", "\u0000", "~"};

    private BucketKeySamples() {}

    static List<Object[]> keys(List<Column> columns, int randomCount)
    {
        Random random = new Random(SEED);
        List<Object[]> keys = new ArrayList<>();
        for (int c = 0; c < columns.size(); c++) {
            for (Object edge : edgeValues(columns.get(c))) {
                Object[] key = randomKey(columns, random);
                key[c] = edge;
                keys.add(key);
            }
        }
        for (int i = 0; i < randomCount; i++) {
            keys.add(randomKey(columns, random));
        }
        return keys;
    }

    static String describe(Object[] key)
    {
        return Arrays.stream(key).map(BucketKeySamples::describe).collect(Collectors.joining(", ", "(", ")"));
    }

    private static String describe(Object value)
    {
        if (value instanceof byte[] bytes) {
            return "0x" + HexFormat.of().formatHex(bytes);
        }
        if (value instanceof String string) {
            return "'" + string.codePoints().mapToObj(c -> c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : Character.toString(c)).collect(Collectors.joining()) + "'";
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        return String.valueOf(value);
    }

    private static Object[] randomKey(List<Column> columns, Random random)
    {
        Object[] key = new Object[columns.size()];
        for (int i = 0; i < key.length; i++) {
            Column column = columns.get(i);
            key[i] = column.nullable() && random.nextInt(20) == 0 ? null : randomValue(column.type(), random);
        }
        return key;
    }

    static List<Object> edgeValues(Column column)
    {
        List<Object> values = new ArrayList<>(edgeValues(column.type()));
        if (column.nullable()) {
            values.add(null);
        }
        return values;
    }

    private static List<Object> edgeValues(DataType type)
    {
        return switch (type.root()) {
            case BOOLEAN -> List.of(true, false);
            case TINYINT -> List.of((byte) 0, (byte) -1, (byte) 1, Byte.MIN_VALUE, Byte.MAX_VALUE);
            case SMALLINT -> List.of((short) 0, (short) -1, (short) 1, Short.MIN_VALUE, Short.MAX_VALUE);
            case INT -> List.of(0, -1, 1, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case BIGINT -> List.of(0L, -1L, 1L, Long.MIN_VALUE, Long.MAX_VALUE, (long) Integer.MIN_VALUE, (long) Integer.MAX_VALUE + 1);
            case FLOAT -> List.of(0f, -0f, 1f, -1f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, Float.MAX_VALUE);
            case DOUBLE -> List.of(0d, -0d, 1d, -1d, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE);
            case DECIMAL -> decimalEdges(type);
            case STRING -> List.of(
                    "",
                    "a",
                    "abcdefg", // 7 bytes: the longest inlined string
                    "abcdefgh", // 8 bytes: the shortest in the variable part
                    "éééa", // 7 bytes, 4 characters
                    "日本ab", // 8 bytes, 4 characters
                    "日本語", // 9 bytes
                    "\uD83D\uDE00", // one code point, 4 bytes
                    "\uD83D\uDE00\uD83D\uDE00", // 8 bytes
                    "\uD800", // unpaired surrogate: encoded as '?'
                    "a\uDC00b",
                    "\u0000",
                    "ab\u0000",
                    "x".repeat(1000));
            case BYTES -> List.of(
                    new byte[0],
                    new byte[] {0},
                    new byte[] {-1, -1, -1, -1, -1, -1, -1},
                    new byte[] {1, 2, 3, 4, 5, 6, 7, 8},
                    new byte[] {-128, 0, 127, -1, 1, 0, 0, 0, 0},
                    filled(100, (byte) 0x5a));
            case DATE -> List.of(
                    LocalDate.EPOCH,
                    LocalDate.EPOCH.minusDays(1),
                    LocalDate.EPOCH.plusDays(1),
                    LocalDate.of(1, 1, 1),
                    LocalDate.of(9999, 12, 31),
                    LocalDate.of(2000, 2, 29));
            case TIMESTAMP -> timestampEdges(type).stream().map(i -> (Object) LocalDateTime.ofEpochSecond(i.getEpochSecond(), i.getNano(), ZoneOffset.UTC)).toList();
            case TIMESTAMP_LTZ -> List.copyOf(timestampEdges(type));
        };
    }

    private static List<Object> decimalEdges(DataType type)
    {
        BigInteger max = BigInteger.TEN.pow(type.precision()).subtract(BigInteger.ONE);
        List<BigInteger> unscaled = new ArrayList<>(List.of(
                BigInteger.ZERO, BigInteger.ONE, BigInteger.ONE.negate(), max, max.negate(),
                BigInteger.valueOf(127), BigInteger.valueOf(128), BigInteger.valueOf(-128), BigInteger.valueOf(-129),
                BigInteger.valueOf(Long.MAX_VALUE), BigInteger.valueOf(Long.MIN_VALUE),
                BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE), BigInteger.valueOf(Long.MIN_VALUE).subtract(BigInteger.ONE)));
        return unscaled.stream()
                .filter(u -> u.abs().compareTo(max) <= 0)
                .map(u -> (Object) new BigDecimal(u, type.scale()))
                .toList();
    }

    private static List<Instant> timestampEdges(DataType type)
    {
        long unitNanos = BigInteger.TEN.pow(DataType.MAX_TIMESTAMP_PRECISION - type.precision()).longValueExact();
        List<Instant> edges = new ArrayList<>(List.of(
                Instant.EPOCH,
                Instant.EPOCH.minusNanos(unitNanos),
                Instant.EPOCH.plusNanos(unitNanos),
                Instant.EPOCH.minusSeconds(1),
                Instant.ofEpochSecond(MIN_EPOCH_SECOND),
                Instant.ofEpochSecond(MAX_EPOCH_SECOND, 1_000_000_000 - unitNanos),
                Instant.parse("2026-05-26T12:34:56.789123456Z"),
                Instant.parse("1900-01-01T00:00:00.000000001Z"),
                Instant.parse("1969-12-31T23:59:59.999999999Z")));
        return edges.stream().map(i -> truncate(i, unitNanos)).distinct().toList();
    }

    private static Instant truncate(Instant instant, long unitNanos)
    {
        return Instant.ofEpochSecond(instant.getEpochSecond(), instant.getNano() - instant.getNano() % unitNanos);
    }

    private static byte[] filled(int length, byte value)
    {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, value);
        return bytes;
    }

    static Object randomValue(DataType type, Random random)
    {
        boolean small = random.nextBoolean();
        return switch (type.root()) {
            case BOOLEAN -> random.nextBoolean();
            case TINYINT -> (byte) random.nextInt();
            case SMALLINT -> (short) (small ? random.nextInt(-300, 300) : random.nextInt());
            case INT -> small ? random.nextInt(-10_000, 10_000) : random.nextInt();
            case BIGINT -> small ? random.nextLong(-10_000, 10_000) : random.nextLong();
            case FLOAT -> small ? (float) random.nextInt(-100, 100) : Float.intBitsToFloat(random.nextInt());
            case DOUBLE -> small ? random.nextInt(-100, 100) / 4.0 : Double.longBitsToDouble(random.nextLong());
            case DECIMAL -> {
                int digits = 1 + random.nextInt(type.precision());
                BigInteger unscaled = new BigInteger(digits * 4, random).mod(BigInteger.TEN.pow(digits));
                yield new BigDecimal(random.nextBoolean() ? unscaled : unscaled.negate(), type.scale());
            }
            case STRING -> {
                int length = random.nextInt(10) == 0 ? random.nextInt(200) : random.nextInt(12);
                StringBuilder text = new StringBuilder();
                boolean ascii = random.nextBoolean();
                for (int i = 0; i < length; i++) {
                    text.append(ascii ? Character.toString('a' + random.nextInt(26)) : ALPHABET[random.nextInt(ALPHABET.length)]);
                }
                yield text.toString();
            }
            case BYTES -> {
                byte[] bytes = new byte[random.nextInt(10) == 0 ? random.nextInt(200) : random.nextInt(16)];
                random.nextBytes(bytes);
                yield bytes;
            }
            case DATE -> LocalDate.ofEpochDay(small ? random.nextLong(-30_000, 30_000) : random.nextLong(MIN_EPOCH_DAY, MAX_EPOCH_DAY + 1));
            case TIMESTAMP -> {
                Instant instant = randomInstant(type, random, small);
                yield LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
            }
            case TIMESTAMP_LTZ -> randomInstant(type, random, small);
        };
    }

    private static Instant randomInstant(DataType type, Random random, boolean small)
    {
        long second = small ? random.nextLong(-3_000_000_000L, 5_000_000_000L) : random.nextLong(MIN_EPOCH_SECOND, MAX_EPOCH_SECOND + 1);
        long unitNanos = BigInteger.TEN.pow(DataType.MAX_TIMESTAMP_PRECISION - type.precision()).longValueExact();
        return truncate(Instant.ofEpochSecond(second, random.nextInt(1_000_000_000)), unitNanos);
    }
}
