/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.cli;

import dev.inlet.catalog.cli.ExitCodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code inlet scan} against a real hot store, with exact output. */
class TestScanCommand
{
    @TempDir
    Path dir;

    private Path config;
    private CliHotStore server;

    @BeforeEach
    void setUp()
            throws Exception
    {
        server = new CliHotStore(dir);
        config = server.config();
        CliRun create = CliRun.of("table", "create", "shop.users", "--columns", "id BIGINT NOT NULL, name STRING, score DECIMAL(6,2)", "--primary-key", "id", "--buckets", "2",
                "--config", config.toString());
        assertThat(create.exitCode()).as(create.err()).isZero();
        Path csv = dir.resolve("users.csv");
        Files.writeString(csv, "id,name,score\n1,ann,1.50\n2,bob,\n3,cy,7.25\n");
        assertThat(CliRun.of("write", "shop.users", "--upsert", "--file", csv.toString(), "--config", config.toString()).exitCode()).isZero();
        Files.writeString(csv, "id,name\n2,bo\n");
        assertThat(CliRun.of("write", "shop.users", "--upsert", "--columns", "id,name", "--file", csv.toString(), "--config", config.toString()).exitCode()).isZero();
        Files.writeString(csv, "id\n3\n");
        assertThat(CliRun.of("write", "shop.users", "--delete", "--file", csv.toString(), "--config", config.toString()).exitCode()).isZero();
    }

    @AfterEach
    void tearDown()
    {
        server.close();
    }

    @Test
    void printsTheCurrentRowsFilteredAndProjected()
    {
        CliRun all = CliRun.of("scan", "shop.users", "--json", "--config", config.toString());
        assertThat(all.err()).isEmpty();
        assertThat(all.out().lines().sorted().toList()).containsExactly(
                "{\"id\":1,\"name\":\"ann\",\"score\":1.50}",
                "{\"id\":2,\"name\":\"bo\",\"score\":null}");

        CliRun filtered = CliRun.of("scan", "shop.users", "--columns", "name,id", "--where", "score is null", "--config", config.toString());
        assertThat(filtered.exitCode()).isZero();
        assertThat(filtered.out()).isEqualTo("""
                name  id
                bo    2
                (1 row)
                """);

        CliRun lookup = CliRun.of("scan", "shop.users", "--where", "id in (1, 3)", "--explain", "--config", config.toString());
        assertThat(lookup.out()).startsWith("""
                id  name  score
                1   ann   1.50
                (1 row)
                plan: no lake snapshot (hot store only), filter id IN [1, 3]
                """).contains("read: lake tasks 0, lake files 0 (0 columnar), lake rows 0, hot rows 0 (0 bytes), spilled rows 0 (0 bytes), lookups 2");
    }

    @Test
    void badConditionsNameTheTableAndColumn()
    {
        CliRun unknown = CliRun.of("scan", "shop.users", "--where", "colour = red", "--config", config.toString());
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USER_ERROR);
        assertThat(unknown.err()).isEqualTo("inlet: error: Scan of shop.users: table shop.users has no column 'colour'; its columns are [id, name, score] [INVALID_SCAN]\n");

        CliRun badValue = CliRun.of("scan", "shop.users", "--where", "id >= seven", "--config", config.toString());
        assertThat(badValue.exitCode()).isEqualTo(ExitCodes.USER_ERROR);
        assertThat(badValue.err()).startsWith("inlet: error: Scan of shop.users: 'seven' is not a BIGINT");

        CliRun badColumn = CliRun.of("scan", "shop.users", "--columns", "id,email", "--config", config.toString());
        assertThat(badColumn.err()).isEqualTo("inlet: error: Table shop.users has no column 'email'; its columns are [id, name, score] [INVALID_SCAN]\n");
    }
}
