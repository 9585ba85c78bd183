/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union.filter;

import dev.inlet.catalog.model.DataType;
import dev.inlet.catalog.model.TypeRoot;
import dev.inlet.logstore.cli.TextValues;

import java.util.Arrays;

/** Comparing and writing as text the Java values of Inlet's types (see {@link TypeRoot#javaClass()}). */
public final class Values
{
    private Values() {}

    /** Orders two non-null values of one type; byte arrays compare unsigned, byte by byte. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static int compare(Object a, Object b)
    {
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.compareUnsigned(x, y);
        }
        if (a.getClass() != b.getClass()) {
            throw new IllegalArgumentException("cannot compare " + a.getClass().getSimpleName() + " value '" + a + "' with " + b.getClass().getSimpleName() + " value '" + b + "'");
        }
        return ((Comparable) a).compareTo(b);
    }

    /** The text of a value, which {@link #parse} reads back for the same type. */
    public static String text(Object value)
    {
        return TextValues.format(value);
    }

    public static Object parse(DataType type, String text)
    {
        return TextValues.parse(type, text);
    }

    /** Whether {@code value} is a value of {@code type}: its class is the type's Java class. */
    public static boolean fits(DataType type, Object value)
    {
        return type.root().javaClass().isInstance(value);
    }
}
