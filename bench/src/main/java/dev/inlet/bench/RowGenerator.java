/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.bench;

import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Makes the benchmark's rows: {@link BenchSchema#COLUMNS} as {@code Object[]} of Long, Integer,
 * Double, String and LocalDateTime, about 1 KB of payload a row, the same for a given seed on any
 * machine. Strings are cut from a pool of pseudo-words rather than drawn character by character,
 * so that half a million rows take a second or two to make, and their lengths vary from row to row
 * like real events (a fixed length would flatter any store's batching).
 */
public final class RowGenerator
{
    private static final LocalDateTime START = LocalDateTime.of(2026, 1, 1, 0, 0);
    private static final int POOL_CHARS = 1 << 20;
    private static final String[] COUNTRIES = {
            "US", "DE", "FR", "GB", "JP", "BR", "IN", "CA", "AU", "ES", "IT", "NL", "SE", "PL", "MX", "KR", "CH", "NO", "AR", "ZA"};
    private static final String[] DEVICES = {
            "ios-phone", "ios-tablet", "android-phone", "android-tablet", "desktop-chrome", "desktop-firefox", "desktop-safari", "smart-tv-app"};
    private static final int[] STATUS_CODES = {200, 200, 200, 200, 200, 200, 200, 200, 201, 204, 301, 304, 400, 404, 500, 503};

    private RowGenerator() {}

    /** {@code count} rows with ids {@code 0 .. count - 1}; the same seed gives the same rows. */
    public static List<Object[]> generate(int count, long seed)
    {
        if (count < 0) {
            throw new IllegalArgumentException("count is negative: " + count);
        }
        SplittableRandom random = new SplittableRandom(seed);
        String pool = wordPool(random.split());
        List<Object[]> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            rows.add(row(i, random, pool));
        }
        return rows;
    }

    private static Object[] row(long id, SplittableRandom random, String pool)
    {
        long userId = random.nextLong(1, 10_000_000);
        Object[] row = new Object[BenchSchema.COLUMNS.size()];
        row[0] = id;
        // about 500 events a second with jitter: timestamps go forward but are not strictly ordered
        row[1] = START.plus(id * 2 + random.nextInt(1_000), ChronoUnit.MILLIS);
        row[2] = userId;
        row[3] = userId / 10;
        row[4] = random.nextInt(32);
        row[5] = STATUS_CODES[random.nextInt(STATUS_CODES.length)];
        row[6] = 1 + (int) Math.min(10_000, Math.round(-Math.log(1 - random.nextDouble()) * 120));
        row[7] = random.nextInt(21);
        row[8] = Math.round(random.nextDouble(0, 1_000) * 100) / 100.0;
        row[9] = random.nextDouble();
        row[10] = random.nextDouble(-90, 90);
        row[11] = random.nextDouble(-180, 180);
        row[12] = COUNTRIES[random.nextInt(COUNTRIES.length)];
        row[13] = DEVICES[random.nextInt(DEVICES.length)];
        row[14] = new UUID(random.nextLong(), random.nextLong()).toString();
        row[15] = text("https://shop.example.com/", pool, random, 55, 135, '/', "");
        row[16] = text("Mozilla/5.0 (", pool, random, 87, 187, ' ', ")");
        row[17] = text("https://", pool, random, 32, 112, '.', "");
        row[18] = text("", pool, random, 20, 100, ',', "");
        row[19] = text("", pool, random, 300, 660, ' ', "");
        return row;
    }

    /**
     * A slice of the pool whose length is uniform in {@code [min, max)}, its spaces replaced by
     * {@code separator}, between a prefix and a suffix; built in one buffer because this is most of
     * the generator's time.
     */
    private static String text(String prefix, String pool, SplittableRandom random, int min, int max, char separator, String suffix)
    {
        int length = random.nextInt(min, max);
        int offset = random.nextInt(pool.length() - length);
        StringBuilder text = new StringBuilder(prefix.length() + length + suffix.length()).append(prefix);
        for (int i = offset; i < offset + length; i++) {
            char c = pool.charAt(i);
            text.append(c == ' ' ? separator : c);
        }
        return text.append(suffix).toString();
    }

    /** About a MiB of lowercase pseudo-words from a vocabulary of 512, ASCII only. */
    private static String wordPool(SplittableRandom random)
    {
        String[] vocabulary = new String[512];
        for (int i = 0; i < vocabulary.length; i++) {
            char[] word = new char[random.nextInt(2, 11)];
            for (int j = 0; j < word.length; j++) {
                word[j] = (char) ('a' + random.nextInt(26));
            }
            vocabulary[i] = new String(word);
        }
        StringBuilder pool = new StringBuilder(POOL_CHARS + 16);
        while (pool.length() < POOL_CHARS) {
            pool.append(vocabulary[random.nextInt(vocabulary.length)]).append(' ');
        }
        return pool.toString();
    }
}
