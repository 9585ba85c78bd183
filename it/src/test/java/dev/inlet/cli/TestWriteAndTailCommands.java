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
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code inlet write} and {@code inlet tail} against a real hot store, with exact output. */
class TestWriteAndTailCommands
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
        CliRun create = CliRun.of("table", "create", "shop.clicks", "--columns", "id BIGINT NOT NULL, url STRING, amount DECIMAL(8,2)", "--buckets", "1",
                "--config", config.toString());
        assertThat(create.exitCode()).as(create.err()).isZero();
    }

    @AfterEach
    void tearDown()
    {
        server.close();
    }

    @Test
    void writesCsvAndJsonAndTailsThem()
            throws Exception
    {
        Path csv = dir.resolve("clicks.csv");
        Files.writeString(csv, "id,url,amount\n1,/a,1.50\n2,\"/b,c\",\n");
        CliRun write = CliRun.of("write", "shop.clicks", "--file", csv.toString(), "--config", config.toString());
        assertThat(write.err()).isEmpty();
        assertThat(write.out()).isEqualTo("Wrote 2 rows to shop.clicks\n  bucket 0: offsets 0..1\n");

        Path json = dir.resolve("clicks.jsonl");
        Files.writeString(json, "{\"id\": 3, \"url\": \"/d\", \"amount\": 2}\n");
        CliRun jsonWrite = CliRun.of("write", "shop.clicks", "--file", json.toString(), "--format", "json", "--config", config.toString());
        assertThat(jsonWrite.out()).isEqualTo("Wrote 1 row to shop.clicks\n  bucket 0: offsets 2..2\n");

        CliRun tail = CliRun.of("tail", "shop.clicks", "--from", "earliest", "--limit", "3", "--config", config.toString());
        assertThat(tail.exitCode()).isZero();
        assertThat(tail.out().lines().toList()).containsExactly(
                "{\"_bucket\":0,\"_offset\":0,\"id\":1,\"url\":\"/a\",\"amount\":1.50}",
                "{\"_bucket\":0,\"_offset\":1,\"id\":2,\"url\":\"/b,c\",\"amount\":null}",
                "{\"_bucket\":0,\"_offset\":2,\"id\":3,\"url\":\"/d\",\"amount\":2.00}");

        CliRun pruned = CliRun.of("tail", "shop.clicks", "--from", "1", "--limit", "2", "--columns", "url", "--config", config.toString());
        assertThat(pruned.out().lines().toList()).containsExactly("{\"_bucket\":0,\"_offset\":1,\"url\":\"/b,c\"}", "{\"_bucket\":0,\"_offset\":2,\"url\":\"/d\"}");
    }

    @Test
    void badInputNamesTheLineAndColumnAndWritesNothing()
            throws Exception
    {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "id,url,amount\n1,/a,1.50\nx,/b,2\n");
        CliRun badNumber = CliRun.of("write", "shop.clicks", "--file", csv.toString(), "--config", config.toString());
        assertThat(badNumber.exitCode()).isEqualTo(ExitCodes.USER_ERROR);
        assertThat(badNumber.err()).isEqualTo("inlet: error: Invalid input for table shop.clicks: line 3, column 'id': 'x' is not a BIGINT (a whole number in range) [INVALID_ROW]\n");

        Files.writeString(csv, "id,url,price\n1,/a,1.50\n");
        CliRun badColumn = CliRun.of("write", "shop.clicks", "--file", csv.toString(), "--config", config.toString());
        assertThat(badColumn.err()).isEqualTo("inlet: error: Invalid input for table shop.clicks: line 1: unknown column 'price'; columns are [id, url, amount] [INVALID_ROW]\n");

        Files.writeString(csv, "id,url,amount\n,/a,1.50\n");
        CliRun nullKey = CliRun.of("write", "shop.clicks", "--file", csv.toString(), "--config", config.toString());
        assertThat(nullKey.err()).isEqualTo("inlet: error: Invalid row for table shop.clicks: column 'id' is NOT NULL but the row has null [INVALID_ROW]\n");

        CliRun tail = CliRun.of("tail", "shop.clicks", "--from", "earliest", "--idle-exit", "1s", "--config", config.toString());
        assertThat(tail.exitCode()).isZero();
        assertThat(tail.out()).isEmpty();
        assertThat(List.of(badNumber.out(), badColumn.out(), nullKey.out())).containsOnly("");
    }
}
