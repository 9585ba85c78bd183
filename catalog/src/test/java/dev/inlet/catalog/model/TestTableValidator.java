/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.model;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestTableValidator
{
    private static final TablePath PATH = new TablePath("shop", "orders");

    private static TableDescriptor.Builder orders()
    {
        return TableDescriptor.builder()
                .column("order_id", DataType.bigint(), false)
                .column("dt", DataType.date(), false)
                .column("user_id", DataType.string())
                .column("amount", DataType.decimal(12, 2))
                .column("price", DataType.doubleType())
                .column("version", DataType.bigint())
                .column("flag", DataType.booleanType())
                .column("uid", DataType.integer())
                .primaryKey("order_id", "dt")
                .partitionKeys("dt");
    }

    private static void assertInvalid(UnaryOperator<TableDescriptor.Builder> change, String problem)
    {
        assertThatThrownBy(() -> TableValidator.validate(PATH, change.apply(orders()).build()))
                .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.INVALID_TABLE_DEFINITION))
                .hasMessage("Invalid table shop.orders: " + problem);
    }

    @Test
    void acceptsAValidTableAndLowerCasesNames()
    {
        TableDescriptor d = TableValidator.validate(PATH, TableDescriptor.builder()
                .column("Order_ID", DataType.bigint(), false)
                .column("Amount", DataType.decimal(12, 2))
                .primaryKey("ORDER_ID")
                .build());
        assertThat(d.columnNames()).containsExactly("order_id", "amount");
        assertThat(d.primaryKey()).containsExactly("order_id");
        assertThat(d.effectiveBucketKey()).containsExactly("order_id");
        assertThat(TableValidator.validate(PATH, orders().build()).effectiveBucketKey()).containsExactly("order_id");
    }

    @Test
    void columns()
    {
        assertInvalid(b -> TableDescriptor.builder(), "a table needs at least one column");
        assertInvalid(b -> b.column("user_id", DataType.bigint()), "duplicate column name 'user_id'");
        assertInvalid(b -> b.column("USER_ID", DataType.bigint()), "duplicate column name 'user_id'");
        assertInvalid(b -> b.column(new Column(1, "other", DataType.bigint(), true)), "duplicate column id 1 (column 'other')");
        assertInvalid(b -> b.column("_offset", DataType.bigint()), "column name '_offset' is reserved: names starting with '_' are kept for system columns");
        assertInvalid(b -> b.column("bad-name", DataType.bigint()),
                "Invalid column name 'bad-name': use a letter followed by letters, digits or '_' (at most 128 characters)");
    }

    @Test
    void primaryKey()
    {
        assertInvalid(b -> b.primaryKey("missing"), "primary-key column 'missing' is not a column of the table; columns are [order_id, dt, user_id, amount, price, version, flag, uid]");
        assertInvalid(b -> b.primaryKey("order_id", "user_id").partitionKeys(), "primary-key column 'user_id' is nullable; declare it NOT NULL");
        assertInvalid(b -> b.primaryKey("order_id", "order_id").partitionKeys(), "primary key names column 'order_id' twice");
        assertInvalid(b -> b.column("score", DataType.doubleType(), false).primaryKey("score").partitionKeys(),
                "primary-key column 'score' has type DOUBLE, which cannot be a key (floating-point values do not compare exactly)");
    }

    @Test
    void partitionKeys()
    {
        assertInvalid(b -> b.partitionKeys("user_id"), "partition-key column 'user_id' is not part of the primary key [order_id, dt]; every partition key of a primary-key table must be in its primary key");
        assertInvalid(b -> b.partitionKeys("nope"), "partition-key column 'nope' is not a column of the table; columns are [order_id, dt, user_id, amount, price, version, flag, uid]");
        assertInvalid(b -> b.primaryKey("dt").partitionKeys("dt"), "the primary key [dt] has no column outside the partition keys, so rows cannot be spread over buckets");
        assertInvalid(b -> b.primaryKey().partitionKeys("price"), "partition-key column 'price' has type DOUBLE, which cannot partition a table");
    }

    @Test
    void buckets()
    {
        assertInvalid(b -> b.bucketCount(0), "bucket count must be between 1 and 1024, got 0");
        assertInvalid(b -> b.bucketCount(1025), "bucket count must be between 1 and 1024, got 1025");
        assertInvalid(b -> b.bucketKey("user_id"), "bucket-key column 'user_id' is not part of the primary key [order_id, dt]; rows of one key must always reach the same bucket");
        assertInvalid(b -> b.bucketKey("dt"), "bucket-key column 'dt' is a partition key; a bucket key must vary within a partition");
        assertInvalid(b -> b.primaryKey().partitionKeys().bucketKey("flag"), "bucket-key column 'flag' has type BOOLEAN, which cannot be hashed into buckets");
        assertThat(TableValidator.validate(PATH, orders().primaryKey().partitionKeys().bucketKey("user_id").build()).effectiveBucketKey()).containsExactly("user_id");
        assertThat(TableValidator.validate(PATH, orders().primaryKey().partitionKeys().build()).effectiveBucketKey()).isEmpty();
    }

    @Test
    void mergeEngines()
    {
        assertInvalid(b -> b.primaryKey().partitionKeys().mergeEngine(MergeEngine.FIRST_ROW), "merge engine first_row needs a primary key; a log table only appends");
        assertInvalid(b -> b.mergeEngine(MergeEngine.versioned("user_id")), "version column 'user_id' has type STRING; use an integer or timestamp column");
        assertInvalid(b -> b.mergeEngine(MergeEngine.versioned("order_id")), "version column 'order_id' is part of the primary key");
        assertInvalid(b -> b.mergeEngine(MergeEngine.versioned("nope")), "version column 'nope' is not a column of the table; columns are [order_id, dt, user_id, amount, price, version, flag, uid]");
        assertInvalid(b -> b.mergeEngine(MergeEngine.aggregation(Map.of("user_id", AggregateFunction.SUM))), "aggregate function sum does not apply to column 'user_id' of type STRING");
        assertInvalid(b -> b.mergeEngine(MergeEngine.aggregation(Map.of("amount", AggregateFunction.BOOL_OR))), "aggregate function bool_or does not apply to column 'amount' of type DECIMAL(12,2)");
        assertInvalid(b -> b.mergeEngine(MergeEngine.aggregation(Map.of("order_id", AggregateFunction.MAX))), "primary-key column 'order_id' cannot be aggregated");
        TableDescriptor ok = TableValidator.validate(PATH, orders().mergeEngine(MergeEngine.aggregation(Map.of("AMOUNT", AggregateFunction.SUM, "flag", AggregateFunction.BOOL_AND))).build());
        assertThat(ok.mergeEngine().aggregations()).isEqualTo(Map.of("amount", AggregateFunction.SUM, "flag", AggregateFunction.BOOL_AND));
    }

    @Test
    void autoIncrement()
    {
        assertInvalid(b -> b.primaryKey().partitionKeys().autoIncrementColumn("uid"), "auto-increment column 'uid' needs a primary-key table: ids are assigned on a key's first insert");
        assertInvalid(b -> b.autoIncrementColumn("user_id"), "auto-increment column 'user_id' has type STRING; use INT or BIGINT");
        assertInvalid(b -> b.autoIncrementColumn("order_id"), "auto-increment column 'order_id' is part of the primary key; the key is what the server assigns an id to");
        assertInvalid(b -> b.autoIncrementColumn("missing"), "auto-increment column 'missing' is not a column of the table; columns are [order_id, dt, user_id, amount, price, version, flag, uid]");
        assertInvalid(b -> b.autoIncrementColumn("version").mergeEngine(MergeEngine.versioned("version")),
                "auto-increment column 'version' is filled by the server and cannot also drive the merge engine");
        assertThat(TableValidator.validate(PATH, orders().autoIncrementColumn("UID").build()).autoIncrementColumn()).contains("uid");
        assertInvalid(b -> b.primaryKey().partitionKeys().changelogMode(ChangelogMode.UPSERT), "changelog mode upsert needs a primary key; a log table has no updates");
    }

    @Test
    void lake()
    {
        assertInvalid(b -> b.lakeFormat(LakeFormat.PAIMON).lakeOption("bucket", "8"), "lake option 'bucket' is set by Inlet from the table definition and cannot be given");
        assertInvalid(b -> b.lakeOption("file.format", "orc"), "lake options [file.format] given, but the table has no lake format");
        assertInvalid(b -> b.primaryKey("order_id", "dt", "uid").column("x", DataType.bigint(), false).primaryKey("order_id", "x", "dt").lakeFormat(LakeFormat.ICEBERG),
                "bucket key [order_id, x] has 2 columns, but Iceberg's bucket transform takes one; declare a single-column bucket key (e.g. --bucket-key order_id) or use the paimon lake format");
        // the same composite key is fine for Paimon, and for Iceberg once one column is the bucket key
        TableValidator.validate(PATH, orders().column("x", DataType.bigint(), false).primaryKey("order_id", "x", "dt").lakeFormat(LakeFormat.PAIMON).build());
        TableValidator.validate(PATH, orders().column("x", DataType.bigint(), false).primaryKey("order_id", "x", "dt").bucketKey("x").lakeFormat(LakeFormat.ICEBERG).build());
    }

    @Test
    void durations()
    {
        assertInvalid(b -> b.freshness(Duration.ofMillis(500)), "freshness must be at least 1s, got PT0.5S");
        assertInvalid(b -> b.hotRetention(Duration.ofSeconds(-1)), "hot retention must not be negative, got PT-1S");
    }

    @Test
    void invalidTableNames()
    {
        assertThatThrownBy(() -> TablePath.parse("orders"))
                .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.INVALID_NAME))
                .hasMessage("Table name 'orders' must have the form database.table");
        assertThatThrownBy(() -> TablePath.parse("shop.9orders"))
                .hasMessage("Invalid table name '9orders': use a letter followed by letters, digits or '_' (at most 128 characters)");
        assertThat(TablePath.parse("Shop.Orders")).isEqualTo(new TablePath("shop", "orders"));
    }
}
