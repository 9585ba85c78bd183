/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.bucket;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

import static java.util.Objects.requireNonNull;

/**
 * MurmurHash3, x86 32-bit variant (Austin Appleby's public-domain algorithm), the hash behind both
 * lake formats' bucket assignment.
 *
 * <ul>
 *   <li>Iceberg hashes with seed 0 ({@link #ICEBERG_SEED}), over any number of bytes, the last
 *       1 to 3 bytes going through the standard tail step.
 *   <li>Paimon hashes a {@code BinaryRow} with seed 42 ({@link #PAIMON_SEED}) by 4-byte words
 *       ({@code MurmurHashUtils.hashBytesByWords}). Its word loop, mixing and finalisation are the
 *       standard ones, so on input whose length is a multiple of 4 (a row always is: it is made of
 *       8-byte words) it is exactly {@link #hash32}; see {@link #hashWords}. Paimon's other variant,
 *       {@code hashBytes}, mixes each tail byte as a block of its own and differs from the standard
 *       tail step, but bucket assignment never uses it.
 * </ul>
 *
 * <p>Blocks are read little-endian, as the reference algorithm and Iceberg specify. Paimon reads
 * them in the platform's order, which is little-endian on every platform Inlet supports (x86-64 and
 * AArch64).
 */
public final class Murmur3
{
    /** The seed of Iceberg's bucket transform (Guava's {@code murmur3_32_fixed()}). */
    public static final int ICEBERG_SEED = 0;
    /** The seed of Paimon's {@code MurmurHashUtils.DEFAULT_SEED}, used to hash a {@code BinaryRow}. */
    public static final int PAIMON_SEED = 42;

    private static final int C1 = 0xcc9e2d51;
    private static final int C2 = 0x1b873593;
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private Murmur3() {}

    /** The 32-bit hash of all of {@code data}. */
    public static int hash32(byte[] data, int seed)
    {
        requireNonNull(data, "data is null");
        return hash32(data, 0, data.length, seed);
    }

    /** The 32-bit hash of {@code length} bytes of {@code data} from {@code offset}. */
    public static int hash32(byte[] data, int offset, int length, int seed)
    {
        requireNonNull(data, "data is null");
        Objects.checkFromIndexSize(offset, length, data.length);
        int h1 = seed;
        int aligned = length & ~3;
        for (int i = 0; i < aligned; i += 4) {
            h1 = mixH1(h1, mixK1((int) INT_LE.get(data, offset + i)));
        }
        int tail = length & 3;
        if (tail > 0) {
            // the remaining 1-3 bytes form one little-endian block that is mixed but not folded
            int k1 = 0;
            int base = offset + aligned;
            if (tail == 3) {
                k1 ^= (data[base + 2] & 0xff) << 16;
            }
            if (tail >= 2) {
                k1 ^= (data[base + 1] & 0xff) << 8;
            }
            k1 ^= data[base] & 0xff;
            h1 ^= mixK1(k1);
        }
        return fmix(h1 ^ length);
    }

    /**
     * Paimon's word-wise hash ({@code MurmurHashUtils.hashBytesByWords}): the same as
     * {@link #hash32} but only defined for whole 4-byte words.
     *
     * @throws IllegalArgumentException if {@code length} is not a multiple of 4
     */
    public static int hashWords(byte[] data, int offset, int length, int seed)
    {
        if ((length & 3) != 0) {
            throw new IllegalArgumentException("hashWords needs whole 4-byte words, got " + length + " bytes");
        }
        return hash32(data, offset, length, seed);
    }

    /**
     * The hash of a long's 8 little-endian bytes, without building them: what Iceberg computes for
     * int, long, date, time and timestamp values (Guava's {@code hashLong}).
     */
    public static int hashLong(long value, int seed)
    {
        int h1 = mixH1(seed, mixK1((int) value));
        h1 = mixH1(h1, mixK1((int) (value >>> 32)));
        return fmix(h1 ^ Long.BYTES);
    }

    private static int mixK1(int k1)
    {
        k1 *= C1;
        k1 = Integer.rotateLeft(k1, 15);
        k1 *= C2;
        return k1;
    }

    private static int mixH1(int h1, int k1)
    {
        h1 ^= k1;
        h1 = Integer.rotateLeft(h1, 13);
        return h1 * 5 + 0xe6546b64;
    }

    private static int fmix(int h)
    {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
