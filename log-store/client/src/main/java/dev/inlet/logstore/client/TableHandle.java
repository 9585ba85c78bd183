/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.client;

import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.logstore.arrow.ArrowSchemas;
import org.apache.arrow.vector.types.pojo.Schema;

import java.util.Objects;

/**
 * A table as the hot store serves it to clients.
 *
 * @param path the table's name
 * @param tableId the catalog's id
 * @param schemaId the schema the server writes batches with
 * @param descriptor the definition
 */
public record TableHandle(TablePath path, long tableId, int schemaId, TableDescriptor descriptor)
{
    public TableHandle
    {
        Objects.requireNonNull(path, "path is null");
        Objects.requireNonNull(descriptor, "descriptor is null");
    }

    /** The Arrow schema of the table's rows. */
    public Schema arrowSchema()
    {
        return ArrowSchemas.toArrowSchema(descriptor);
    }
}
