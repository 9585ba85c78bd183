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
import dev.inlet.logstore.client.AppendWriter;
import dev.inlet.logstore.client.InletClient;
import dev.inlet.logstore.client.UpsertWriter;
import dev.inlet.logstore.client.WriterOptions;
import dev.inlet.logstore.protocol.Actions;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static java.util.Objects.requireNonNull;

/**
 * The demo of {@code inlet local}, shaped like the real use: an {@code orders} log table (tiered
 * to Iceberg), a wide primary-key table {@code order_status} built by partial updates from three
 * streams (orders, payments, deliveries; tiered to Paimon), and a dictionary table {@code users}
 * whose auto-increment column turns user names into dense integer ids (tiered to Paimon).
 *
 * <p>History first: orders 1 to {@value #HISTORY_ORDERS} with their payments and deliveries,
 * written once (a restart finds them and writes them again to no table), so the example queries
 * over them have fixed results. Then a live feed: orders from {@value #LIVE_FIRST_ORDER} on,
 * each paid, every third delivered, from the same {@value #USER_COUNT} users.
 */
final class LocalDemo
{
    static final String DATABASE = "demo";
    static final TablePath ORDERS = new TablePath(DATABASE, "orders");
    static final TablePath ORDER_STATUS = new TablePath(DATABASE, "order_status");
    static final TablePath USERS = new TablePath(DATABASE, "users");
    static final int HISTORY_ORDERS = 1_000;
    static final long LIVE_FIRST_ORDER = 1_000_001L;
    static final int USER_COUNT = 40;
    private static final String[] CARRIERS = {"DHL", "GLS", "UPS"};
    private static final LocalDateTime EPOCH = LocalDateTime.of(2026, 11, 1, 0, 0);

    /** The queries the demo prints, with the results its history gives them. */
    static final List<String> EXAMPLE_QUERIES = List.of(
            "SELECT count(*) AS orders, sum(amount) AS revenue, count(DISTINCT user_name) AS customers FROM inlet.demo.orders WHERE order_id <= 1000",
            "SELECT carrier, count(*) AS delivered, count(paid_at) AS paid, sum(paid_amount) AS paid_amount FROM inlet.demo.order_status "
                    + "WHERE order_id <= 1000 AND carrier IS NOT NULL GROUP BY carrier ORDER BY carrier");

    private final InletCatalog catalog;
    private final PrintWriter out;

    LocalDemo(InletCatalog catalog, PrintWriter out)
    {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.out = requireNonNull(out, "out is null");
    }

    /** Creates the demo tables unless they exist (a restart keeps what is there). */
    void createTables()
    {
        catalog.createDatabase(DATABASE, true);
        out.println();
        out.println("Demo tables:");
        print(catalog.createTable(ORDERS, TableDescriptor.builder()
                .column("order_id", DataType.bigint(), false)
                .column("user_name", DataType.string(), false)
                .column("amount", DataType.decimal(10, 2))
                .column("ordered_at", DataType.timestamp(3))
                .bucketKey("order_id")
                .bucketCount(2)
                .lakeFormat(LakeFormat.ICEBERG)
                .freshness(Duration.ofSeconds(5))
                .comment("demo: orders as they happen (log table)")
                .build(), true), "log table, orders stream");
        print(catalog.createTable(ORDER_STATUS, TableDescriptor.builder()
                .column("order_id", DataType.bigint(), false)
                .column("user_name", DataType.string())
                .column("amount", DataType.decimal(10, 2))
                .column("ordered_at", DataType.timestamp(3))
                .column("paid_amount", DataType.decimal(10, 2))
                .column("paid_at", DataType.timestamp(3))
                .column("carrier", DataType.string())
                .column("delivered_at", DataType.timestamp(3))
                .primaryKey("order_id")
                .bucketCount(2)
                .lakeFormat(LakeFormat.PAIMON)
                .freshness(Duration.ofSeconds(5))
                .comment("demo: one wide row per order, partial updates from the orders, payments and deliveries streams")
                .build(), true), "primary key order_id, partial updates from 3 streams");
        print(catalog.createTable(USERS, TableDescriptor.builder()
                .column("user_name", DataType.string(), false)
                .column("uid", DataType.integer())
                .primaryKey("user_name")
                .autoIncrementColumn("uid")
                .bucketCount(1)
                .lakeFormat(LakeFormat.PAIMON)
                .freshness(Duration.ofSeconds(5))
                .comment("demo: user name -> dense integer id (auto-increment dictionary)")
                .build(), true), "dictionary, uid assigned by the server");
    }

    private void print(TableInfo table, String what)
    {
        out.printf("  %-19s %-8s %s%n", table.path(), table.descriptor().lakeFormat().id(), what);
    }

    /** Writes the history unless the orders table has rows already; returns the rows written. */
    static long writeHistory(InletClient client)
    {
        if (rowsIn(client, ORDERS) > 0) {
            return 0;
        }
        return write(client, 1, HISTORY_ORDERS);
    }

    /** Rows the hot store holds for a table (the sum of its buckets' end offsets). */
    static long rowsIn(InletClient client, TablePath table)
    {
        long rows = 0;
        for (Actions.PartitionInfo partition : client.partitions(table.toString())) {
            for (Actions.BucketOffset end : client.offsets(table.toString(), partition.name(), Actions.OffsetSpec.LATEST, 0)) {
                rows += end.offset();
            }
        }
        return rows;
    }

    /**
     * Writes orders {@code first} to {@code last}: each to the orders log and the order_status
     * table, its payment and delivery (when it has them) as partial updates, its user through the
     * dictionary. Returns the rows written over all tables.
     */
    static long write(InletClient client, long first, long last)
    {
        long rows = 0;
        Set<String> users = new LinkedHashSet<>();
        try (AppendWriter orders = client.newWriter(ORDERS.toString(), WriterOptions.defaults());
                UpsertWriter ordered = client.newUpsertWriter(ORDER_STATUS.toString(), List.of("order_id", "user_name", "amount", "ordered_at"), WriterOptions.defaults());
                UpsertWriter payments = client.newUpsertWriter(ORDER_STATUS.toString(), List.of("order_id", "paid_amount", "paid_at"), WriterOptions.defaults());
                UpsertWriter deliveries = client.newUpsertWriter(ORDER_STATUS.toString(), List.of("order_id", "carrier", "delivered_at"), WriterOptions.defaults())) {
            for (long id = first; id <= last; id++) {
                String user = user(id);
                BigDecimal amount = amount(id);
                LocalDateTime at = id < LIVE_FIRST_ORDER ? EPOCH.plusMinutes(id) : LocalDateTime.now().withNano(0);
                orders.append(new Object[] {id, user, amount, at});
                ordered.upsert(new Object[] {id, user, amount, at});
                rows += 2;
                if (paid(id)) {
                    payments.upsert(new Object[] {id, amount, at.plusMinutes(2)});
                    rows++;
                }
                if (id % 3 == 0) {
                    deliveries.upsert(new Object[] {id, CARRIERS[(int) (id / 3 % CARRIERS.length)], at.plusDays(1)});
                    rows++;
                }
                users.add(user);
            }
        }
        List<Object[]> keys = new ArrayList<>();
        users.forEach(u -> keys.add(new Object[] {u}));
        client.lookupOrInsert(USERS.toString(), keys);
        return rows;
    }

    static String user(long orderId)
    {
        return "user-" + (orderId * 7 % USER_COUNT + 1);
    }

    static BigDecimal amount(long orderId)
    {
        return BigDecimal.valueOf(orderId % 50 * 100 + 99, 2);
    }

    /** Every fifth order of the history is unpaid; every live order is paid. */
    static boolean paid(long orderId)
    {
        return orderId >= LIVE_FIRST_ORDER || orderId % 5 != 0;
    }

    /** The live feed: a few orders every tick, counting the rows it writes. */
    static final class Feed
    {
        private final InletClient client;
        private final int ordersPerTick;
        private final AtomicLong rows = new AtomicLong();
        private long next;

        Feed(InletClient client, int ordersPerTick)
        {
            this.client = requireNonNull(client, "client is null");
            this.ordersPerTick = ordersPerTick;
            // after a restart the live orders go on where they stopped
            this.next = LIVE_FIRST_ORDER + Math.max(0, rowsIn(client, ORDERS) - HISTORY_ORDERS);
        }

        void tick()
        {
            rows.addAndGet(write(client, next, next + ordersPerTick - 1));
            next += ordersPerTick;
        }

        long rows()
        {
            return rows.get();
        }
    }
}
