/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The rows of the primary-key benchmark ({@link KvBenchmark}): a table of 10 columns keyed by
 * {@code id}, about 194 bytes of payload a row, and the byte encoding the raw RocksDB baseline
 * stores them in.
 *
 * <p>A run writes three sets of rows, made once, deterministically from a seed: a warm-up of
 * {@code warmup} keys that the measured passes never touch ({@code keys} and up), inserted and then
 * updated as many times (so that both the insert and the update path are compiled before the
 * measured passes, rather than by the JIT during them), an insert pass
 * of every key {@code 0..keys-1} once in a shuffled order, and an update pass of {@code updates}
 * rows of keys drawn uniformly from {@code 0..keys-1}, each with new values, so that every update
 * finds a stored row (a merge reads it).
 */
public final class KvRows
{
    public static final String TABLE = "bench.kv";
    public static final String KEY = "id";

    /** Name and SQL type of each column, in table order; only {@code id} is NOT NULL. */
    public static final List<String[]> COLUMNS = List.of(
            new String[] {"id", "BIGINT"},
            new String[] {"ts", "TIMESTAMP(3)"},
            new String[] {"account_id", "BIGINT"},
            new String[] {"quantity", "INT"},
            new String[] {"status", "INT"},
            new String[] {"price", "DOUBLE"},
            new String[] {"balance", "DOUBLE"},
            new String[] {"name", "STRING"},
            new String[] {"city", "STRING"},
            new String[] {"note", "STRING"});

    private static final LocalDateTime EPOCH = LocalDateTime.of(2026, 1, 1, 0, 0);
    private static final char[] LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ".toCharArray();

    private KvRows() {}

    /** The rows of one run. */
    public record Workload(List<Object[]> warmup, List<Object[]> warmupUpdates, List<Object[]> inserts, List<Object[]> updates, int keys) {}

    public static Workload generate(int keys, int updates, int warmup, long seed)
    {
        SplittableRandom random = new SplittableRandom(seed);
        List<Object[]> warm = new ArrayList<>(warmup);
        for (int i = 0; i < warmup; i++) {
            warm.add(row(keys + (long) i, random));
        }
        long[] order = new long[keys];
        for (int i = 0; i < keys; i++) {
            order[i] = i;
        }
        for (int i = keys - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            long t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        List<Object[]> inserts = new ArrayList<>(keys);
        for (long id : order) {
            inserts.add(row(id, random));
        }
        List<Object[]> changes = new ArrayList<>(updates);
        for (int i = 0; i < updates; i++) {
            changes.add(row(random.nextInt(keys), random));
        }
        // from a random of their own, so that the measured rows are those of the same seed without them
        SplittableRandom warmRandom = new SplittableRandom(seed + 1);
        List<Object[]> warmUpdates = new ArrayList<>(warmup);
        for (int i = 0; i < warmup; i++) {
            warmUpdates.add(row(keys + (long) warmRandom.nextInt(warmup), warmRandom));
        }
        return new Workload(warm, warmUpdates, inserts, changes, keys);
    }

    private static Object[] row(long id, SplittableRandom random)
    {
        return new Object[] {
                id,
                EPOCH.plusNanos(random.nextLong(86_400_000L) * 1_000_000L),
                random.nextLong(1_000_000),
                random.nextInt(1_000),
                random.nextInt(8),
                random.nextInt(1_000_000) / 100.0,
                random.nextDouble() * 1e6,
                text(random, 8, 24),
                text(random, 4, 16),
                text(random, 80, 160)};
    }

    private static String text(SplittableRandom random, int min, int max)
    {
        char[] chars = new char[random.nextInt(min, max + 1)];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = LETTERS[random.nextInt(LETTERS.length)];
        }
        return new String(chars);
    }

    /**
     * Payload bytes of a row, the figure behind every MB/s: 8 per BIGINT, DOUBLE and TIMESTAMP(3),
     * 4 per INT, the UTF-8 length of a STRING.
     */
    public static long payloadBytes(Object[] row)
    {
        long bytes = 8 + 8 + 8 + 4 + 4 + 8 + 8;
        for (int c = 7; c < 10; c++) {
            bytes += ((String) row[c]).length(); // ASCII: one byte per char
        }
        return bytes;
    }

    public static long payloadBytes(List<Object[]> rows)
    {
        long bytes = 0;
        for (Object[] row : rows) {
            bytes += payloadBytes(row);
        }
        return bytes;
    }

    /** The RocksDB key of a row: tag byte 1, then the 8-byte big-endian {@code id} (Inlet's key layout). */
    public static byte[] encodeKey(long id)
    {
        return ByteBuffer.allocate(9).put((byte) 1).putLong(id).array();
    }

    /**
     * The RocksDB value of a row, laid out as Inlet's server stores it: a 4-byte schema id, a
     * 2-byte null bitmap, the fixed-width values big-endian (TIMESTAMP(3) as 8-byte epoch
     * milliseconds), then each string as a 4-byte length and its UTF-8 bytes.
     */
    public static byte[] encodeValue(Object[] row)
    {
        byte[] name = ((String) row[7]).getBytes(StandardCharsets.UTF_8);
        byte[] city = ((String) row[8]).getBytes(StandardCharsets.UTF_8);
        byte[] note = ((String) row[9]).getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(4 + 2 + 48 + 12 + name.length + city.length + note.length);
        out.putInt(1).putShort((short) 0);
        out.putLong((Long) row[0]);
        out.putLong(((LocalDateTime) row[1]).toInstant(ZoneOffset.UTC).toEpochMilli());
        out.putLong((Long) row[2]);
        out.putInt((Integer) row[3]);
        out.putInt((Integer) row[4]);
        out.putDouble((Double) row[5]);
        out.putDouble((Double) row[6]);
        out.putInt(name.length).put(name);
        out.putInt(city.length).put(city);
        out.putInt(note.length).put(note);
        return out.array();
    }
}
