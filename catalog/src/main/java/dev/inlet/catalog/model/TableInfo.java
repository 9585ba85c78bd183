/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A table as the catalog holds it.
 *
 * @param path the table's name
 * @param tableId unique for the life of the catalog; a dropped and re-created table gets a new id
 * @param schemaId increases by one with every schema change; 1 at creation
 * @param version increases with every change of the table's record; a writer that read version
 *     {@code v} can only store its change if the record is still at {@code v}
 * @param descriptor what the table is
 * @param createdAt when the table was created
 * @param updatedAt when the record last changed
 */
public record TableInfo(TablePath path, long tableId, int schemaId, long version, TableDescriptor descriptor, Instant createdAt, Instant updatedAt)
{
    public TableInfo
    {
        Objects.requireNonNull(path, "path is null");
        Objects.requireNonNull(descriptor, "descriptor is null");
        Objects.requireNonNull(createdAt, "createdAt is null");
        Objects.requireNonNull(updatedAt, "updatedAt is null");
    }
}
