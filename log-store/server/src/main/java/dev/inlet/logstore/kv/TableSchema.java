/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.kv;

import dev.inlet.catalog.model.TableDescriptor;

import static java.util.Objects.requireNonNull;

/**
 * A table's definition as of one schema id: what rows are encoded with and decoded into. Passed
 * whole, so that an id and its columns can never be taken from two different versions of a table
 * that is altered meanwhile.
 */
public record TableSchema(int schemaId, TableDescriptor descriptor)
{
    public TableSchema
    {
        requireNonNull(descriptor, "descriptor is null");
    }

    public int columnCount()
    {
        return descriptor.columns().size();
    }
}
