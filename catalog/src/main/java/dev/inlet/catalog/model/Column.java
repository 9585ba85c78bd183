/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.model;

import java.util.Objects;
import java.util.Optional;

/**
 * One column of a table.
 *
 * @param id stable id, unique within the table and never reused after the column is dropped; it is
 *     how a column keeps its identity across schema changes
 * @param name lower-case identifier
 * @param type the column type
 * @param nullable whether the column accepts null
 * @param comment optional free text
 */
public record Column(int id, String name, DataType type, boolean nullable, Optional<String> comment)
{
    public Column
    {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(type, "type is null");
        Objects.requireNonNull(comment, "comment is null");
        if (id < 1) {
            throw new IllegalArgumentException("column id must be positive, got " + id + " for column " + name);
        }
    }

    public Column(int id, String name, DataType type, boolean nullable)
    {
        this(id, name, type, nullable, Optional.empty());
    }

    public Column withId(int newId)
    {
        return new Column(newId, name, type, nullable, comment);
    }

    public Column withNullable(boolean newNullable)
    {
        return new Column(id, name, type, newNullable, comment);
    }

    /** The column as it would be written in a column list: {@code amount DECIMAL(12,2) NOT NULL}. */
    public String toSql()
    {
        return name + " " + type + (nullable ? "" : " NOT NULL");
    }
}
