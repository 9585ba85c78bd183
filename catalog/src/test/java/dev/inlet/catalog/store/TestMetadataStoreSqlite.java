/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.store;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

class TestMetadataStoreSqlite
        extends AbstractTestMetadataStore
{
    private static final AtomicInteger FILES = new AtomicInteger();

    @TempDir
    Path dir;

    @Override
    protected CatalogDatabase newDatabase()
    {
        return CatalogDatabase.sqlite(dir.resolve("catalog-" + FILES.incrementAndGet() + ".db"));
    }
}
