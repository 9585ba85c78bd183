/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.local;

import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.model.DataType;
import dev.inlet.catalog.model.LakeFormat;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TableInfo;
import dev.inlet.catalog.model.TablePath;

import java.io.PrintWriter;
import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * The demo of {@code inlet local}: an {@code orders} primary-key table in each lake format.
 * Creating it again is a no-op, so a restart keeps what is there.
 */
final class LocalDemo
{
    static final String DATABASE = "demo";

    private final InletCatalog catalog;
    private final PrintWriter out;

    LocalDemo(InletCatalog catalog, PrintWriter out)
    {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.out = requireNonNull(out, "out is null");
    }

    void createTables()
    {
        catalog.createDatabase(DATABASE, true);
        out.println();
        out.println("Demo tables:");
        for (LakeFormat format : new LakeFormat[] {LakeFormat.PAIMON, LakeFormat.ICEBERG}) {
            TablePath path = new TablePath(DATABASE, "orders_" + format.id());
            TableInfo table = catalog.createTable(path, orders(format), true);
            out.println("  " + path + " -> " + format.id() + " table at " + catalog.lakeLocation(table).orElseThrow());
        }
    }

    static TableDescriptor orders(LakeFormat format)
    {
        return TableDescriptor.builder()
                .column("order_id", DataType.bigint(), false)
                .column("user_id", DataType.string())
                .column("amount", DataType.decimal(12, 2))
                .column("ts", DataType.timestamp(3))
                .primaryKey("order_id")
                .bucketCount(4)
                .lakeFormat(format)
                .freshness(Duration.ofSeconds(30))
                .comment("demo orders, tiered to " + format.id())
                .build();
    }
}
