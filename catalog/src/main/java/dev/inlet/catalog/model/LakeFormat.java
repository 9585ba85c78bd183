/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.model;

import java.util.Locale;

/** Where a table's data goes once it is tiered out of the hot store. */
public enum LakeFormat
{
    /** Hot only: never tiered. */
    NONE,
    PAIMON,
    ICEBERG;

    public static LakeFormat parse(String text)
    {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown lake format '" + text + "'; use paimon, iceberg or none", e);
        }
    }

    public String id()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
