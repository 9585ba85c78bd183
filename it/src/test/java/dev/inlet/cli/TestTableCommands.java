/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.cli;

import dev.inlet.catalog.cli.ExitCodes;
import dev.inlet.catalog.s3.S3Settings;
import dev.inlet.catalog.testing.S3TestEndpoint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The table and database commands end to end: real catalog file, real S3, exact output. */
class TestTableCommands
{
    @TempDir
    Path dir;

    private Path config;
    private String bucket;

    @BeforeEach
    void setUp()
            throws Exception
    {
        S3TestEndpoint s3 = S3TestEndpoint.get();
        S3Settings settings = s3.settings();
        bucket = s3.newBucket("cli");
        config = dir.resolve("inlet.properties");
        Files.writeString(config, String.join("\n",
                "data-dir=" + dir.resolve("data"),
                "s3.endpoint=" + settings.endpoint().orElseThrow(),
                "s3.access-key=" + settings.accessKey().orElseThrow(),
                "s3.secret-key=" + settings.secretKey().orElseThrow(),
                "lake.paimon.warehouse=s3://" + bucket + "/paimon",
                "lake.iceberg.warehouse=s3://" + bucket + "/iceberg"));
    }

    private CliRun inlet(String... args)
    {
        List<String> all = new ArrayList<>(List.of(args));
        // options of the leaf command: append after the arguments
        all.add("--config");
        all.add(config.toString());
        return CliRun.of(all.toArray(String[]::new));
    }

    @Test
    void createListDescribeAlterDrop()
    {
        CliRun create = inlet("table", "create", "shop.orders",
                "--columns", "order_id BIGINT NOT NULL, user_id STRING, amount DECIMAL(12,2) COMMENT 'in EUR', ts TIMESTAMP(3)",
                "--primary-key", "order_id", "--buckets", "4", "--lake", "paimon");
        assertThat(create.err()).isEmpty();
        assertThat(create.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(create.out()).isEqualTo("""
                Created database shop
                Created table shop.orders (id 1)
                Lake table (paimon): s3://%s/paimon/shop.db/orders
                """.formatted(bucket));

        CliRun log = inlet("table", "create", "shop.clicks", "--columns", "url STRING, ts TIMESTAMP_LTZ(3)", "--buckets", "2", "--lake", "iceberg");
        assertThat(log.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(log.out()).isEqualTo("""
                Created table shop.clicks (id 2)
                Lake table (iceberg): s3://%s/iceberg/shop/clicks
                """.formatted(bucket));

        CliRun list = inlet("table", "list");
        assertThat(list.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(list.out()).isEqualTo("""
                TABLE        KIND         BUCKETS  LAKE     COLUMNS
                shop.clicks  log          2        iceberg  2
                shop.orders  primary-key  4        paimon   4
                """);

        CliRun alter = inlet("table", "alter", "shop.orders", "--add-column", "note STRING COMMENT 'free text'");
        assertThat(alter.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(alter.out()).isEqualTo("Added column note STRING to shop.orders (schema 2)\n");
        CliRun freshness = inlet("table", "alter", "shop.orders", "--freshness", "30s");
        assertThat(freshness.out()).isEqualTo("Freshness of shop.orders is now 30s\n");

        CliRun describe = inlet("table", "describe", "shop.orders");
        assertThat(describe.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(describe.out()).isEqualTo("""
                Table:        shop.orders (id 1, schema 2, version 3)
                Kind:         primary-key table
                Columns:
                  #  NAME      TYPE           NULL  ROLE        COMMENT
                  1  order_id  BIGINT         no    key,bucket
                  2  user_id   STRING         yes
                  3  amount    DECIMAL(12,2)  yes               in EUR
                  4  ts        TIMESTAMP(3)   yes
                  5  note      STRING         yes               free text
                Primary key:  order_id
                Partitions:   -
                Buckets:      4 by order_id
                Merge engine: last_row
                Changelog:    full (-U and +U)
                Lake:         paimon at s3://%s/paimon/shop.db/orders
                Freshness:    30s
                Hot retention: 7d
                Tiered:       nothing yet
                """.formatted(bucket));

        CliRun drop = inlet("table", "drop", "shop.orders");
        assertThat(drop.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(drop.out()).isEqualTo("Dropped table shop.orders\n");
        assertThat(inlet("table", "list", "shop").out()).isEqualTo("""
                TABLE        KIND  BUCKETS  LAKE     COLUMNS
                shop.clicks  log   2        iceberg  2
                """);
        assertThat(inlet("table", "drop", "shop.orders", "--if-exists").out()).isEqualTo("Table shop.orders does not exist\n");
        assertThat(inlet("database", "drop", "shop", "--cascade").out()).isEqualTo("Dropped database shop\n");
        assertThat(inlet("table", "list").out()).isEqualTo("No tables.\n");
    }

    @Test
    void badInputGetsOneLineAndAMeaningfulExitCode()
    {
        CliRun badType = inlet("table", "create", "shop.orders", "--columns", "order_id BIGINT NOT NULL, amount MONEY");
        assertThat(badType.exitCode()).isEqualTo(ExitCodes.USER_ERROR);
        assertThat(badType.out()).isEmpty();
        assertThat(badType.err()).startsWith("inlet: error: Invalid table shop.orders: column 'amount': Unknown type 'MONEY'; known types:")
                .endsWith("[INVALID_TABLE_DEFINITION]\n")
                .doesNotContain("\tat ");

        CliRun nullableKey = inlet("table", "create", "shop.orders", "--columns", "order_id BIGINT", "--primary-key", "order_id");
        assertThat(nullableKey.exitCode()).isEqualTo(ExitCodes.USER_ERROR);
        assertThat(nullableKey.err()).isEqualTo("inlet: error: Invalid table shop.orders: primary-key column 'order_id' is nullable; declare it NOT NULL [INVALID_TABLE_DEFINITION]\n");
        // a bad definition changes nothing, not even the database it would have created
        assertThat(inlet("database", "list").out()).isEmpty();

        CliRun missing = inlet("table", "describe", "shop.nope");
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.USER_ERROR);
        assertThat(missing.err()).isEqualTo("inlet: error: Table shop.nope does not exist [TABLE_NOT_FOUND]\n");

        CliRun duplicate = inlet("table", "create", "shop.t", "--columns", "a INT");
        assertThat(duplicate.exitCode()).isEqualTo(ExitCodes.OK);
        CliRun again = inlet("table", "create", "shop.t", "--columns", "a INT");
        assertThat(again.exitCode()).isEqualTo(ExitCodes.USER_ERROR);
        assertThat(again.err()).isEqualTo("inlet: error: Table shop.t already exists [TABLE_ALREADY_EXISTS]\n");
        assertThat(inlet("table", "create", "shop.t", "--columns", "a INT", "--if-not-exists").out()).isEqualTo("Table exists: shop.t (id 1)\n");

        CliRun badName = inlet("table", "create", "orders", "--columns", "a INT");
        assertThat(badName.exitCode()).isEqualTo(ExitCodes.USER_ERROR);
        assertThat(badName.err()).isEqualTo("inlet: error: Table name 'orders' must have the form database.table [INVALID_NAME]\n");

        CliRun badDuration = inlet("table", "alter", "shop.t", "--freshness", "soon");
        assertThat(badDuration.exitCode()).isEqualTo(ExitCodes.USER_ERROR);
        assertThat(badDuration.err()).isEqualTo("inlet: error: 'soon' is not a duration; write a number and a unit: 500ms, 30s, 5m, 2h or 7d\n");

        CliRun unknownKey = CliRun.of("table", "list", "--config", config.toString(), "--set", "s3.endpont=http://x");
        assertThat(unknownKey.exitCode()).isEqualTo(ExitCodes.USER_ERROR);
        assertThat(unknownKey.err()).startsWith("inlet: error: Unknown configuration keys [s3.endpont] in ");

        CliRun usage = CliRun.of("table", "create", "shop.x");
        assertThat(usage.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(usage.err()).startsWith("inlet: Missing required option: '--columns=LIST'\nTry 'inlet table create --help' for more information.");

        CliRun noSubcommand = CliRun.of("table");
        assertThat(noSubcommand.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noSubcommand.err()).startsWith("inlet: Missing subcommand: create, list, describe, alter or drop");

        // nothing of the failed commands was written
        assertThat(inlet("table", "list").out()).isEqualTo("""
                TABLE   KIND  BUCKETS  LAKE  COLUMNS
                shop.t  log   4        none  1
                """);
    }

    @Test
    void everyCommandHasHelp()
    {
        for (String[] command : new String[][] {{}, {"local"}, {"database"}, {"database", "create"}, {"database", "list"}, {"database", "drop"},
                {"table"}, {"table", "create"}, {"table", "list"}, {"table", "describe"}, {"table", "alter"}, {"table", "drop"}}) {
            List<String> args = new ArrayList<>(List.of(command));
            args.add("--help");
            CliRun help = CliRun.of(args.toArray(String[]::new));
            assertThat(help.exitCode()).as(String.join(" ", args)).isEqualTo(ExitCodes.OK);
            assertThat(help.out()).as(String.join(" ", args)).startsWith("Usage: inlet" + (command.length == 0 ? "" : " " + String.join(" ", command)));
        }
        assertThat(CliRun.of("--help").out()).contains("Exit codes: 0 ok, 1 bad request");
    }
}
