/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.cli;

import dev.inlet.catalog.cli.ExitCodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code inlet write --upsert/--delete/--columns} and {@code inlet lookup} against a real hot store
 * and catalog, with exact output.
 */
class TestUpsertAndLookupCommands
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
        create("shop.users", "--columns", "user_id BIGINT NOT NULL, name STRING, email STRING, score DECIMAL(8,2)", "--primary-key", "user_id", "--buckets", "1");
    }

    @AfterEach
    void tearDown()
    {
        server.close();
    }

    @Test
    void upsertsThenLooksUp()
            throws Exception
    {
        CliRun write = run("write", "shop.users", "--upsert", "--file", file("users.csv", "user_id,name,score\n1,Ann,1.5\n2,\"Bo, Jr.\",\n"));
        assertThat(write.err()).isEmpty();
        assertThat(write.out()).isEqualTo("Wrote 2 upserts to shop.users\n  bucket 0: log end offset 2\n");

        // an upsert of a stored key replaces the row: email and score were not named, so they become null
        CliRun update = run("write", "shop.users", "--upsert", "--format", "json", "--file", file("update.jsonl", "{\"user_id\": 1, \"name\": \"Ann\", \"email\": \"ann@x\"}\n"));
        assertThat(update.out()).isEqualTo("Wrote 1 upsert to shop.users\n  bucket 0: log end offset 4\n");

        CliRun text = run("lookup", "shop.users", "--key", "1", "--key", "3", "--key", "2");
        assertThat(text.err()).isEmpty();
        assertThat(text.exitCode()).isZero();
        assertThat(text.out()).isEqualTo("""
                user_id  name     email  score
                1        Ann      ann@x  NULL
                2        Bo, Jr.  NULL   NULL
                (no row: user_id=3)
                """);

        CliRun json = run("lookup", "shop.users", "--key", "2", "--key", "3", "--key", "1", "--json");
        assertThat(json.out()).isEqualTo("""
                {"user_id":2,"name":"Bo, Jr.","email":null,"score":null}
                {"user_id":1,"name":"Ann","email":"ann@x","score":null}
                """);

        // the keys may come from a file, one per line
        CliRun fromFile = run("lookup", "shop.users", "--json", "--file", file("keys.txt", "1\n\n2\n"));
        assertThat(fromFile.out().lines()).containsExactly(
                "{\"user_id\":1,\"name\":\"Ann\",\"email\":\"ann@x\",\"score\":null}",
                "{\"user_id\":2,\"name\":\"Bo, Jr.\",\"email\":null,\"score\":null}");

        CliRun nothing = run("lookup", "shop.users", "--key", "3", "--json");
        assertThat(nothing.exitCode()).isZero();
        assertThat(nothing.out()).isEmpty();
    }

    @Test
    void partialUpdatesOfTwoColumnSetsBuildOneRow()
            throws Exception
    {
        CliRun names = run("write", "shop.users", "--upsert", "--columns", "user_id,name", "--file", file("names.csv", "user_id,name\n5,Cy\n6,Di\n"));
        assertThat(names.err()).isEmpty();
        assertThat(names.out()).isEqualTo("Wrote 2 upserts to shop.users\n  bucket 0: log end offset 2\n");

        CliRun scores = run("write", "shop.users", "--upsert", "--columns", "user_id,email,score", "--format", "json",
                "--file", file("scores.jsonl", "{\"user_id\": 5, \"email\": \"cy@x\", \"score\": 7}\n{\"user_id\": 7, \"score\": 0.25}\n"));
        assertThat(scores.err()).isEmpty();
        assertThat(scores.out()).isEqualTo("Wrote 2 upserts to shop.users\n  bucket 0: log end offset 5\n");

        // each writer set only its columns: 5 has both sets, 6 only a name, 7 (new) only a score
        CliRun lookup = run("lookup", "shop.users", "--key", "5", "--key", "6", "--key", "7", "--json");
        assertThat(lookup.out()).isEqualTo("""
                {"user_id":5,"name":"Cy","email":"cy@x","score":7.00}
                {"user_id":6,"name":"Di","email":null,"score":null}
                {"user_id":7,"name":null,"email":null,"score":0.25}
                """);

        // the input may name only the columns of --columns
        CliRun outside = run("write", "shop.users", "--upsert", "--columns", "user_id,name", "--file", file("outside.csv", "user_id,name,email\n5,Cy,c@y\n"));
        assertThat(outside.exitCode()).isEqualTo(ExitCodes.USER_ERROR);
        assertThat(outside.err()).isEqualTo("inlet: error: Invalid input for table shop.users: line 1: column 'email' is not one of --columns [user_id, name] [INVALID_ROW]\n");

        CliRun noKey = run("write", "shop.users", "--upsert", "--columns", "name", "--file", file("nokey.csv", "name\nEd\n"));
        assertThat(noKey.exitCode()).isEqualTo(ExitCodes.USER_ERROR);
        assertThat(noKey.err()).isEqualTo(
                "inlet: error: --columns [name] of shop.users lack primary-key column 'user_id'; every row written needs the whole key [user_id] [INVALID_WRITE]\n");
    }

    @Test
    void deletesByKeyOrByWholeRow()
            throws Exception
    {
        run("write", "shop.users", "--upsert", "--file", file("users.csv", "user_id,name\n1,Ann\n2,Bo\n3,Cy\n"));

        CliRun byKey = run("write", "shop.users", "--delete", "--columns", "user_id", "--file", file("delete.csv", "user_id\n1\n"));
        assertThat(byKey.err()).isEmpty();
        assertThat(byKey.out()).isEqualTo("Wrote 1 delete to shop.users\n  bucket 0: log end offset 4\n");

        // whole rows, e.g. fed back from a lookup: only the key is read, the other values are not looked at
        CliRun byRow = run("write", "shop.users", "--delete", "--format", "json",
                "--file", file("delete.jsonl", "{\"user_id\":2,\"name\":\"Bo\",\"email\":null,\"score\":\"not a number\"}\n{\"user_id\":9}\n"));
        assertThat(byRow.err()).isEmpty();
        assertThat(byRow.out()).isEqualTo("Wrote 2 deletes to shop.users\n  bucket 0: log end offset 5\n");

        CliRun lookup = run("lookup", "shop.users", "--key", "1", "--key", "2", "--key", "3");
        assertThat(lookup.out()).isEqualTo("""
                user_id  name  email  score
                3        Cy    NULL   NULL
                (no row: user_id=1)
                (no row: user_id=2)
                """);

        CliRun noKey = run("write", "shop.users", "--delete", "--file", file("nokey.csv", "user_id,name\n,Cy\n"));
        assertThat(noKey.exitCode()).isEqualTo(ExitCodes.USER_ERROR);
        assertThat(noKey.err()).isEqualTo("inlet: error: Invalid input for table shop.users: line 2: primary-key column 'user_id' has no value [INVALID_ROW]\n");
    }

    @Test
    void prefixLookupReturnsEveryRowOfABucketKey()
            throws Exception
    {
        create("shop.orders", "--columns", "user_id STRING NOT NULL, order_id BIGINT NOT NULL, total DECIMAL(10,2)",
                "--primary-key", "user_id,order_id", "--bucket-key", "user_id", "--buckets", "3");
        CliRun write = run("write", "shop.orders", "--upsert",
                "--file", file("orders.csv", "user_id,order_id,total\nu1,10,1.00\nu2,11,2.00\nu1,2,3.00\nu1,30,4.00\nu2,12,5.00\n"));
        assertThat(write.exitCode()).as(write.err()).isZero();
        assertThat(write.out()).startsWith("Wrote 5 upserts to shop.orders\n");

        CliRun text = run("lookup", "shop.orders", "--prefix", "--key", "u1", "--key", "nobody");
        assertThat(text.err()).isEmpty();
        assertThat(text.out()).isEqualTo("""
                user_id  order_id  total
                u1       2         3.00
                u1       10        1.00
                u1       30        4.00
                (no rows: user_id=nobody)
                """);

        CliRun json = run("lookup", "shop.orders", "--prefix", "--key", "u2", "--json");
        assertThat(json.out()).isEqualTo("""
                {"user_id":"u2","order_id":11,"total":2.00}
                {"user_id":"u2","order_id":12,"total":5.00}
                """);

        // a point lookup takes the whole primary key
        CliRun point = run("lookup", "shop.orders", "--key", "u2,12", "--json");
        assertThat(point.out()).isEqualTo("{\"user_id\":\"u2\",\"order_id\":12,\"total\":5.00}\n");
        CliRun partial = run("lookup", "shop.orders", "--key", "u2");
        assertThat(partial.exitCode()).isEqualTo(ExitCodes.USER_ERROR);
        assertThat(partial.err()).isEqualTo(
                "inlet: error: Invalid lookup key for table shop.orders: --key 'u2': 1 value, but a key of shop.orders is the values of [user_id, order_id] [INVALID_ROW]\n");
    }

    @Test
    void insertIfAbsentAssignsAutoIncrementIds()
            throws Exception
    {
        create("shop.user_ids", "--columns", "user_key STRING NOT NULL, uid BIGINT", "--primary-key", "user_key", "--auto-increment", "uid", "--buckets", "1");

        CliRun missing = run("lookup", "shop.user_ids", "--key", "alice");
        assertThat(missing.out()).isEqualTo("(no row: user_key=alice)\n");

        // keys from stdin, one per line
        CliRun first = withStdin("alice\nbob\n", () -> run("lookup", "shop.user_ids", "--insert-if-absent", "--json"));
        assertThat(first.err()).isEmpty();
        assertThat(first.out()).isEqualTo("""
                {"user_key":"alice","uid":1}
                {"user_key":"bob","uid":2}
                """);

        // known keys keep their ids, a new one gets the next
        CliRun again = run("lookup", "shop.user_ids", "--insert-if-absent", "--key", "bob", "--key", "carol", "--key", "alice");
        assertThat(again.out()).isEqualTo("""
                user_key  uid
                bob       2
                carol     3
                alice     1
                """);

        // the server assigns the id: an upsert may not name it
        CliRun named = run("write", "shop.user_ids", "--upsert", "--file", file("ids.csv", "user_key,uid\ndave,9\n"));
        assertThat(named.exitCode()).isEqualTo(ExitCodes.USER_ERROR);
        assertThat(named.err()).isEqualTo("inlet: error: Invalid input for table shop.user_ids: line 1: column 'uid' is the auto-increment column; the server assigns it [INVALID_ROW]\n");
        CliRun upsert = run("write", "shop.user_ids", "--upsert", "--file", file("keys.csv", "user_key\ndave\n"));
        assertThat(upsert.exitCode()).as(upsert.err()).isZero();
        assertThat(run("lookup", "shop.user_ids", "--key", "dave", "--json").out()).isEqualTo("{\"user_key\":\"dave\",\"uid\":4}\n");
    }

    @Test
    void refusesWritesThatDoNotFitTheTable()
            throws Exception
    {
        String csv = file("users.csv", "user_id,name\n1,Ann\n");
        CliRun append = run("write", "shop.users", "--file", csv);
        assertThat(append.exitCode()).isEqualTo(ExitCodes.USER_ERROR);
        assertThat(append.err()).isEqualTo(
                "inlet: error: Table shop.users has a primary key [user_id]; write its rows with --upsert (or delete them with --delete) [INVALID_WRITE]\n");
        assertThat(append.out()).isEmpty();

        create("shop.clicks", "--columns", "id BIGINT NOT NULL, url STRING", "--buckets", "1");
        CliRun upsertLog = run("write", "shop.clicks", "--upsert", "--file", file("clicks.csv", "id,url\n1,/a\n"));
        assertThat(upsertLog.exitCode()).isEqualTo(ExitCodes.USER_ERROR);
        assertThat(upsertLog.err()).isEqualTo(
                "inlet: error: Table shop.clicks is a log table; --upsert needs a primary-key table (write without it to append) [INVALID_WRITE]\n");
        CliRun lookupLog = run("lookup", "shop.clicks", "--key", "1");
        assertThat(lookupLog.exitCode()).isEqualTo(ExitCodes.USER_ERROR);
        assertThat(lookupLog.err()).isEqualTo("inlet: error: Table shop.clicks is a log table; lookups need a primary key [INVALID_WRITE]\n");

        CliRun both = run("write", "shop.users", "--upsert", "--delete", "--file", csv);
        assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(both.err()).startsWith("inlet: --upsert and --delete cannot be used together");
        CliRun prefixInsert = run("lookup", "shop.users", "--prefix", "--insert-if-absent", "--key", "1");
        assertThat(prefixInsert.exitCode()).isEqualTo(ExitCodes.USAGE);

        CliRun badKey = run("lookup", "shop.users", "--key", "1", "--key", "x");
        assertThat(badKey.exitCode()).isEqualTo(ExitCodes.USER_ERROR);
        assertThat(badKey.err()).isEqualTo(
                "inlet: error: Invalid lookup key for table shop.users: --key 'x', column 'user_id': 'x' is not a BIGINT (a whole number in range) [INVALID_ROW]\n");

        // nothing was written by any of these
        assertThat(run("lookup", "shop.users", "--key", "1").out()).isEqualTo("(no row: user_id=1)\n");
    }

    @Test
    void helpNamesEveryOption()
    {
        CliRun write = CliRun.of("write", "--help");
        assertThat(write.exitCode()).isZero();
        assertThat(write.out()).contains("--upsert", "--delete", "--columns=COLUMN");
        CliRun lookup = CliRun.of("lookup", "--help");
        assertThat(lookup.exitCode()).isZero();
        assertThat(lookup.out()).contains("--key=VALUES", "--file=FILE", "--prefix", "--insert-if-absent", "--json");
    }

    private void create(String table, String... options)
    {
        String[] args = new String[options.length + 5];
        args[0] = "table";
        args[1] = "create";
        args[2] = table;
        System.arraycopy(options, 0, args, 3, options.length);
        args[options.length + 3] = "--config";
        args[options.length + 4] = config.toString();
        CliRun create = CliRun.of(args);
        assertThat(create.exitCode()).as(create.err()).isZero();
    }

    private CliRun run(String... args)
    {
        String[] withConfig = java.util.Arrays.copyOf(args, args.length + 2);
        withConfig[args.length] = "--config";
        withConfig[args.length + 1] = config.toString();
        return CliRun.of(withConfig);
    }

    private String file(String name, String content)
            throws Exception
    {
        Path path = dir.resolve(name);
        Files.writeString(path, content);
        return path.toString();
    }

    private static CliRun withStdin(String input, java.util.function.Supplier<CliRun> command)
    {
        InputStream stdin = System.in;
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        try {
            return command.get();
        }
        finally {
            System.setIn(stdin);
        }
    }
}
