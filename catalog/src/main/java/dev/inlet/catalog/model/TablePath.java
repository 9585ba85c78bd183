/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.model;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A table's name: database and table, both lower-case identifiers. Names are case-insensitive (as
 * in Trino) and stored lower-case, so {@code Shop.Orders} and {@code shop.orders} are one table.
 */
public record TablePath(String database, String table)
{
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z][a-z0-9_]{0,127}");

    public TablePath
    {
        database = checkIdentifier("database", database);
        table = checkIdentifier("table", table);
    }

    /** Reads {@code database.table}. */
    public static TablePath parse(String qualifiedName)
    {
        Objects.requireNonNull(qualifiedName, "qualifiedName is null");
        int dot = qualifiedName.indexOf('.');
        if (dot <= 0 || dot == qualifiedName.length() - 1 || qualifiedName.indexOf('.', dot + 1) >= 0) {
            throw new InletException(InletErrorCode.INVALID_NAME,
                    "Table name '" + qualifiedName + "' must have the form database.table");
        }
        return new TablePath(qualifiedName.substring(0, dot), qualifiedName.substring(dot + 1));
    }

    /**
     * Lower-cases an identifier and checks it: a letter, then letters, digits or underscores, at
     * most 128 characters.
     */
    public static String checkIdentifier(String kind, String name)
    {
        Objects.requireNonNull(name, kind + " name is null");
        String lower = name.toLowerCase(Locale.ROOT);
        if (!IDENTIFIER.matcher(lower).matches()) {
            throw new InletException(InletErrorCode.INVALID_NAME,
                    "Invalid " + kind + " name '" + name + "': use a letter followed by letters, digits or '_' (at most 128 characters)");
        }
        return lower;
    }

    @Override
    public String toString()
    {
        return database + "." + table;
    }
}
