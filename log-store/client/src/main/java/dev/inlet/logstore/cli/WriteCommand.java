/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.cli;

import dev.inlet.catalog.cli.ConfigMixin;
import dev.inlet.catalog.cli.ExitCodes;
import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.logstore.client.AppendResult;
import dev.inlet.logstore.client.AppendWriter;
import dev.inlet.logstore.client.ClientOptions;
import dev.inlet.logstore.client.InletClient;
import dev.inlet.logstore.client.TableHandle;
import dev.inlet.logstore.client.UpsertWriter;
import dev.inlet.logstore.client.WriterOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@code inlet write}: appends rows from CSV or JSON lines to a log table in the hot store, or
 * upserts or deletes rows of a primary-key table ({@code --upsert}, {@code --delete}, with
 * {@code --columns} for a partial update).
 */
@Command(name = "write",
        description = {
                "Append rows from CSV (with a header line) or JSON lines, read from a file or stdin, to a table in the hot store. "
                        + "The whole input is checked first: a bad line stops the command before anything is written.",
                "A primary-key table takes upserts (--upsert) or deletes (--delete) instead of appends."},
        mixinStandardHelpOptions = true,
        footer = {"", "Examples:", "  printf 'order_id,amount\\n1,12.50\\n' | inlet write shop.orders", "  inlet write shop.orders --file orders.jsonl --format json",
                "  inlet write shop.users --upsert --columns user_id,name --file names.csv",
                "  printf 'user_id\\n7\\n' | inlet write shop.users --delete"})
public final class WriteCommand
        implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigMixin config;

    @Parameters(index = "0", paramLabel = "DATABASE.TABLE")
    String table;

    @Option(names = "--file", paramLabel = "FILE", description = "Read this file instead of stdin.")
    Path file;

    @Option(names = "--format", paramLabel = "FORMAT", description = "csv (default) or json (one object per line).")
    String format = "csv";

    @Option(names = "--upsert", description = "Each row is an upsert of a primary-key table: inserted, or merged into its key's stored row under the table's merge engine. "
            + "Required for a primary-key table; columns the input leaves out are written as null unless --columns names the columns written.")
    boolean upsert;

    @Option(names = "--delete", description = "Each row is a delete of a primary-key table: only its primary-key columns are read (the input may carry just the key, or whole rows).")
    boolean delete;

    @Option(names = "--columns", split = ",", paramLabel = "COLUMN",
            description = "With --upsert: the columns written (a partial update; they include the primary key), the other columns keep their stored values. "
                    + "The input may name only these columns. With --delete: the columns the input carries.")
    List<String> columns;

    @Override
    public Integer call()
            throws Exception
    {
        RowReader.Format inputFormat = switch (format.toLowerCase(java.util.Locale.ROOT)) {
            case "csv" -> RowReader.Format.CSV;
            case "json", "jsonl" -> RowReader.Format.JSON;
            default -> throw new IllegalArgumentException("--format must be csv or json, got '" + format + "'");
        };
        if (upsert && delete) {
            throw new ParameterException(spec.commandLine(), "--upsert and --delete cannot be used together: each input row is either an upsert or a delete");
        }
        if (columns != null && !upsert && !delete) {
            throw new ParameterException(spec.commandLine(), "--columns needs --upsert or --delete (an append writes whole rows)");
        }
        try (InletClient client = InletClient.connect(ClientOptions.clientConfig(config.config()))) {
            TableHandle handle = client.describeTable(table);
            TableDescriptor descriptor = handle.descriptor();
            if (!descriptor.hasPrimaryKey() && (upsert || delete)) {
                throw new InletException(InletErrorCode.INVALID_WRITE, "Table " + handle.path() + " is a log table; " + (upsert ? "--upsert" : "--delete")
                        + " needs a primary-key table (write without it to append)");
            }
            if (descriptor.hasPrimaryKey() && !upsert && !delete) {
                throw new InletException(InletErrorCode.INVALID_WRITE, "Table " + handle.path() + " has a primary key " + descriptor.primaryKey()
                        + "; write its rows with --upsert (or delete them with --delete)");
            }
            if (upsert || delete) {
                return writeKeyed(client, handle, inputFormat);
            }
            List<Object[]> rows = readInput(handle, inputFormat, RowReader.InputColumns.all(descriptor));
            List<CompletableFuture<AppendResult>> results = new ArrayList<>(rows.size());
            try (AppendWriter writer = client.newWriter(table, WriterOptions.defaults())) {
                for (Object[] row : rows) {
                    results.add(writer.append(row));
                }
            }
            Map<String, long[]> ranges = new TreeMap<>();
            for (CompletableFuture<AppendResult> f : results) {
                AppendResult r = join(f);
                ranges.merge(bucketName(r), new long[] {r.offset(), r.offset()}, (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
            }
            var out = spec.commandLine().getOut();
            out.println("Wrote " + rows.size() + (rows.size() == 1 ? " row" : " rows") + " to " + handle.path());
            ranges.forEach((key, range) -> out.println("  " + key + ": offsets " + range[0] + ".." + range[1]));
        }
        return ExitCodes.OK;
    }

    /** Upserts or deletes: the whole input is read and checked, then written through one upsert writer. */
    private int writeKeyed(InletClient client, TableHandle handle, RowReader.Format inputFormat)
            throws Exception
    {
        TableDescriptor descriptor = handle.descriptor();
        List<String> names = descriptor.columnNames();
        List<String> targets = null;
        if (columns != null) {
            targets = new ArrayList<>();
            for (String c : columns) {
                String name = c.strip().toLowerCase(java.util.Locale.ROOT);
                if (!names.contains(name)) {
                    throw new InletException(InletErrorCode.INVALID_WRITE, "Table " + handle.path() + " has no column '" + c.strip() + "' (--columns); its columns are " + names);
                }
                if (!delete && descriptor.autoIncrementColumn().filter(name::equals).isPresent()) {
                    throw new InletException(InletErrorCode.INVALID_WRITE, "Column '" + name + "' of " + handle.path()
                            + " is its auto-increment column: the server assigns it, --columns cannot name it");
                }
                if (!targets.contains(name)) {
                    targets.add(name);
                }
            }
            for (String key : descriptor.primaryKey()) {
                if (!targets.contains(key)) {
                    throw new InletException(InletErrorCode.INVALID_WRITE, "--columns " + targets + " of " + handle.path() + " lack primary-key column '" + key
                            + "'; every row " + (delete ? "deleted" : "written") + " needs the whole key " + descriptor.primaryKey());
                }
            }
        }
        List<String> written = names.stream().filter(n -> descriptor.autoIncrementColumn().filter(n::equals).isEmpty()).toList();
        RowReader.InputColumns input;
        if (delete) {
            // a delete reads only the key; any column may be named, so that whole rows can be fed back
            input = new RowReader.InputColumns(targets == null ? names : targets, "--columns", descriptor.primaryKey(), descriptor.primaryKey());
        }
        else {
            List<String> allowed = targets == null ? written : targets;
            List<String> required = descriptor.columns().stream()
                    .filter(c -> !c.nullable() && allowed.contains(c.name()))
                    .map(Column::name)
                    .toList();
            input = new RowReader.InputColumns(allowed, targets == null ? "the columns written" : "--columns", allowed, required);
        }
        List<Object[]> rows = readInput(handle, inputFormat, input);

        // a delete goes through a writer of whole rows: a writer of the key alone is a partial update,
        // which a table with NOT NULL columns outside its key refuses
        List<CompletableFuture<AppendResult>> results = new ArrayList<>(rows.size());
        try (UpsertWriter writer = client.newUpsertWriter(table, delete ? null : targets, WriterOptions.defaults())) {
            int[] positions = writer.targetColumns().stream().mapToInt(names::indexOf).toArray();
            for (Object[] row : rows) {
                Object[] values = new Object[positions.length];
                for (int i = 0; i < positions.length; i++) {
                    values[i] = row[positions[i]];
                }
                results.add(delete ? writer.delete(values) : writer.upsert(values));
            }
        }
        Map<String, Long> ends = new TreeMap<>();
        for (CompletableFuture<AppendResult> f : results) {
            AppendResult r = join(f);
            ends.merge(bucketName(r), r.offset(), Math::max);
        }
        String what = delete ? (rows.size() == 1 ? " delete" : " deletes") : (rows.size() == 1 ? " upsert" : " upserts");
        var out = spec.commandLine().getOut();
        out.println("Wrote " + rows.size() + what + " to " + handle.path());
        ends.forEach((key, end) -> out.println("  " + key + ": log end offset " + end));
        return ExitCodes.OK;
    }

    private List<Object[]> readInput(TableHandle handle, RowReader.Format inputFormat, RowReader.InputColumns input)
            throws java.io.IOException
    {
        try (BufferedReader in = file == null
                ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                : Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return RowReader.readAll(handle.path(), handle.descriptor(), in, inputFormat, input);
        }
    }

    private static AppendResult join(CompletableFuture<AppendResult> future)
    {
        try {
            return future.join();
        }
        catch (CompletionException e) {
            throw e.getCause() instanceof InletException inlet ? inlet : e;
        }
    }

    private static String bucketName(AppendResult r)
    {
        return (r.partition().isEmpty() ? "" : r.partition() + " ") + "bucket " + r.bucket();
    }
}
