/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.store;

import dev.inlet.catalog.testing.PostgresTestDatabase;

class TestMetadataStorePostgres
        extends AbstractTestMetadataStore
{
    @Override
    protected CatalogDatabase newDatabase()
    {
        return PostgresTestDatabase.get().newDatabase("metadata");
    }
}
