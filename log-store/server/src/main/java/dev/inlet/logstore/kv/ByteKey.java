/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.kv;

import java.util.Arrays;

/** An encoded key with value equality, for maps. */
public record ByteKey(byte[] bytes)
{
    @Override
    public boolean equals(Object o)
    {
        return o instanceof ByteKey k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode()
    {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString()
    {
        return java.util.HexFormat.of().formatHex(bytes);
    }
}
