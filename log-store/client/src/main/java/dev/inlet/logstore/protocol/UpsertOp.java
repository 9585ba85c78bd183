/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.protocol;

/**
 * What one row of an upsert batch asks for: the {@code _op} column of a {@code DoPut} to a
 * primary-key table (see {@code docs/protocol.md}).
 */
public enum UpsertOp
{
    /** Insert the row, or merge it into the stored row of its key. */
    UPSERT((byte) 0),
    /** Delete the row of the key; only the key columns are read. */
    DELETE((byte) 1),
    /**
     * Insert the row only if its key has no row; otherwise change nothing (no changelog row). What a
     * backfill of history writes, so that an old row never replaces a newer one.
     */
    INSERT_IF_ABSENT((byte) 2);

    private final byte code;

    UpsertOp(byte code)
    {
        this.code = code;
    }

    public byte code()
    {
        return code;
    }

    public static UpsertOp fromCode(byte code)
    {
        return switch (code) {
            case 0 -> UPSERT;
            case 1 -> DELETE;
            case 2 -> INSERT_IF_ABSENT;
            default -> throw new IllegalArgumentException("unknown upsert op " + code + "; 0 is upsert, 1 is delete, 2 is insert-if-absent");
        };
    }
}
