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

    /** A log table the demo feeds through the hot store, so that {@code inlet tail} shows rows. */
    static final TablePath CLICKS = new TablePath(DATABASE, "clicks");

    void createClicks()
    {
        catalog.createTable(CLICKS, TableDescriptor.builder()
                .column("click_id", DataType.bigint(), false)
                .column("user_id", DataType.string(), false)
                .column("url", DataType.string())
                .column("ts", DataType.timestamp(3))
                .bucketKey("user_id")
                .bucketCount(4)
                .lakeFormat(LakeFormat.PAIMON)
                .comment("demo clicks, appended through the hot store")
                .build(), true);
        out.println("  " + CLICKS + " -> log table in the hot store (lake: paimon)");
    }

    /** Appends {@code count} clicks; returns how many rows the table's buckets hold now. */
    static long feedClicks(java.net.URI endpoint, int count)
    {
        try (var client = dev.inlet.logstore.client.InletClient.connect(dev.inlet.logstore.client.ClientConfig.of(endpoint));
                var writer = client.newWriter(CLICKS.toString(), dev.inlet.logstore.client.WriterOptions.defaults())) {
            long base = client.offsets(CLICKS.toString(), "", dev.inlet.logstore.protocol.Actions.OffsetSpec.LATEST, 0).stream()
                    .mapToLong(dev.inlet.logstore.protocol.Actions.BucketOffset::offset).sum();
            java.time.LocalDateTime now = java.time.LocalDateTime.now().withNano(0);
            for (int i = 0; i < count; i++) {
                long id = base + i;
                writer.append(new Object[] {id, "user-" + (id % 10), "/products/" + (id % 7), now.plusSeconds(i)});
            }
            writer.flush();
            return base + count;
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
