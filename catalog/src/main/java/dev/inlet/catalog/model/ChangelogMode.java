/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.model;

import java.util.Locale;

/** What the changelog of a primary-key table records for an update. */
public enum ChangelogMode
{
    /** {@code -U} (the row before) and {@code +U} (the row after): readers can retract what they aggregated. */
    FULL,
    /** Only {@code +U}: half the rows, for readers that upsert by key and never retract. */
    UPSERT;

    public static ChangelogMode parse(String text)
    {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown changelog mode '" + text + "'; use full or upsert", e);
        }
    }

    public String id()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
