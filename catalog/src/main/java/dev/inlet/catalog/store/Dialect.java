/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.store;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;

/**
 * The SQL differences between the catalog databases Inlet supports. Everything else is plain SQL
 * both understand ({@code INSERT ... ON CONFLICT}, {@code RETURNING}, {@code TEXT}, {@code BIGINT}).
 */
public enum Dialect
{
    SQLITE("INTEGER PRIMARY KEY AUTOINCREMENT"),
    POSTGRESQL("BIGSERIAL PRIMARY KEY");

    private final String generatedIdColumn;

    Dialect(String generatedIdColumn)
    {
        this.generatedIdColumn = generatedIdColumn;
    }

    public static Dialect fromJdbcUrl(String url)
    {
        if (url.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new InletException(InletErrorCode.INVALID_CONFIGURATION,
                "Unsupported catalog database URL '" + url + "': use jdbc:sqlite:<file> or jdbc:postgresql://<host>/<database>");
    }

    /** Column definition of a 64-bit id the database generates. */
    public String generatedIdColumn()
    {
        return generatedIdColumn;
    }
}
