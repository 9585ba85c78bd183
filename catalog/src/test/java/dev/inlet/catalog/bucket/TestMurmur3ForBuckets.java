/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.bucket;

import org.apache.iceberg.relocated.com.google.common.hash.HashFunction;
import org.apache.iceberg.relocated.com.google.common.hash.Hashing;
import org.apache.paimon.memory.MemorySegment;
import org.apache.paimon.utils.MurmurHashUtils;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Murmur3} against the implementations the lake formats use: Guava's
 * {@code murmur3_32_fixed} (shaded in Iceberg) and Paimon's {@code MurmurHashUtils}.
 */
class TestMurmur3ForBuckets
{
    @Test
    void knownValues()
    {
        // reference vectors of MurmurHash3_x86_32
        assertThat(Murmur3.hash32(new byte[0], 0)).isEqualTo(0);
        assertThat(Murmur3.hash32(new byte[0], 1)).isEqualTo(0x514e28b7);
        assertThat(Murmur3.hash32(new byte[0], 0xffffffff)).isEqualTo(0x81f16f39);
        assertThat(Murmur3.hash32(new byte[] {0, 0, 0, 0}, 0)).isEqualTo(0x2362f9de);
        assertThat(Murmur3.hash32("Hello, world!".getBytes(StandardCharsets.US_ASCII), 1234)).isEqualTo(0xfaf6cdb3);
        // Iceberg's spec: bucket hash of the int/long 34 and of the string "iceberg"
        assertThat(Murmur3.hashLong(34, Murmur3.ICEBERG_SEED)).isEqualTo(2017239379);
        assertThat(Murmur3.hash32("iceberg".getBytes(StandardCharsets.UTF_8), Murmur3.ICEBERG_SEED)).isEqualTo(1210000089);
    }

    @Test
    void equalsGuavasMurmur3WithEverySeedAndTail()
    {
        Random random = new Random(BucketKeySamples.SEED);
        for (int seed : new int[] {0, 42, -1, 0x9747b28c}) {
            HashFunction guava = Hashing.murmur3_32_fixed(seed);
            for (int length = 0; length <= 67; length++) {
                for (int round = 0; round < 20; round++) {
                    byte[] data = new byte[length + 3];
                    random.nextBytes(data);
                    int offset = random.nextInt(4);
                    int len = Math.min(length, data.length - offset);
                    assertThat(Murmur3.hash32(data, offset, len, seed))
                            .as("seed %d, %d bytes", seed, len)
                            .isEqualTo(guava.hashBytes(data, offset, len).asInt());
                }
            }
            for (int round = 0; round < 1000; round++) {
                long value = random.nextLong();
                assertThat(Murmur3.hashLong(value, seed)).as("seed %d, long %d", seed, value).isEqualTo(guava.hashLong(value).asInt());
            }
        }
    }

    @Test
    void wordsEqualPaimonsHashBytesByWords()
    {
        Random random = new Random(BucketKeySamples.SEED);
        for (int words = 0; words <= 40; words++) {
            for (int round = 0; round < 20; round++) {
                byte[] data = new byte[words * 4];
                random.nextBytes(data);
                assertThat(Murmur3.hashWords(data, 0, data.length, Murmur3.PAIMON_SEED))
                        .as("%d words", words)
                        .isEqualTo(MurmurHashUtils.hashBytesByWords(MemorySegment.wrap(data), 0, data.length));
            }
        }
        assertThat(Murmur3.PAIMON_SEED).isEqualTo(MurmurHashUtils.DEFAULT_SEED);
        assertThatThrownBy(() -> Murmur3.hashWords(new byte[6], 0, 6, Murmur3.PAIMON_SEED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("whole 4-byte words");
    }
}
