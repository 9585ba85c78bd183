/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.protocol;

/**
 * The kind of a row in a table's log: what the {@code _change_type} column of a primary-key
 * table's changelog holds (a log table's rows are all {@link #APPEND} and carry no such column).
 * Rows of one update are always full rows: {@code -U} is the row before, {@code +U} the row after.
 */
public enum ChangeType
{
    APPEND((byte) 0, "+A"),
    INSERT((byte) 1, "+I"),
    UPDATE_BEFORE((byte) 2, "-U"),
    UPDATE_AFTER((byte) 3, "+U"),
    DELETE((byte) 4, "-D");

    private static final ChangeType[] BY_CODE = values();

    private final byte code;
    private final String shortString;

    ChangeType(byte code, String shortString)
    {
        this.code = code;
        this.shortString = shortString;
    }

    /** The value stored in the {@code _change_type} column. */
    public byte code()
    {
        return code;
    }

    /** {@code +I}, {@code -U}, {@code +U}, {@code -D} or {@code +A}. */
    public String shortString()
    {
        return shortString;
    }

    /** Whether a reader that keeps the current row of each key stores this row ({@code +I}, {@code +U}, {@code +A}). */
    public boolean isUpsert()
    {
        return this == INSERT || this == UPDATE_AFTER || this == APPEND;
    }

    public static ChangeType fromCode(byte code)
    {
        if (code < 0 || code >= BY_CODE.length) {
            throw new IllegalArgumentException("unknown change type code " + code);
        }
        return BY_CODE[code];
    }
}
