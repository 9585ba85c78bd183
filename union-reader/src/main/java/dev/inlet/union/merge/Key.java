/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union.merge;

import java.util.Arrays;

/** A row's primary key as bytes ({@link KeyEncoder}), usable as a hash key. */
final class Key
{
    private final byte[] bytes;
    private final int hash;

    Key(byte[] bytes)
    {
        this.bytes = bytes;
        // spread the bits: the low bits choose spill partitions and hash buckets
        int h = Arrays.hashCode(bytes);
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        this.hash = h;
    }

    int length()
    {
        return bytes.length;
    }

    /** Which of {@code partitions} spill partitions the key belongs to. */
    int partition(int partitions)
    {
        return Math.floorMod(hash >>> 8, partitions);
    }

    @Override
    public boolean equals(Object o)
    {
        return o instanceof Key k && hash == k.hash && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode()
    {
        return hash;
    }
}
