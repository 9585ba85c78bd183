/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.cli;

import dev.inlet.catalog.cli.ConfigMixin;
import dev.inlet.catalog.cli.ExitCodes;
import dev.inlet.catalog.error.InletException;
import dev.inlet.logstore.client.AppendResult;
import dev.inlet.logstore.client.AppendWriter;
import dev.inlet.logstore.client.ClientOptions;
import dev.inlet.logstore.client.InletClient;
import dev.inlet.logstore.client.TableHandle;
import dev.inlet.logstore.client.WriterOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
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

/** {@code inlet write}: appends rows from CSV or JSON lines to a table in the hot store. */
@Command(name = "write",
        description = "Append rows from CSV (with a header line) or JSON lines, read from a file or stdin, to a table in the hot store. "
                + "The whole input is checked first: a bad line stops the command before anything is written.",
        mixinStandardHelpOptions = true,
        footer = {"", "Examples:", "  printf 'order_id,amount\\n1,12.50\\n' | inlet write shop.orders", "  inlet write shop.orders --file orders.jsonl --format json"})
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

    @Override
    public Integer call()
            throws Exception
    {
        RowReader.Format inputFormat = switch (format.toLowerCase(java.util.Locale.ROOT)) {
            case "csv" -> RowReader.Format.CSV;
            case "json", "jsonl" -> RowReader.Format.JSON;
            default -> throw new IllegalArgumentException("--format must be csv or json, got '" + format + "'");
        };
        try (InletClient client = InletClient.connect(ClientOptions.clientConfig(config.config()))) {
            TableHandle handle = client.describeTable(table);
            List<Object[]> rows;
            try (BufferedReader in = file == null
                    ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                    : Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                rows = RowReader.readAll(handle.path(), handle.descriptor(), in, inputFormat);
            }
            List<CompletableFuture<AppendResult>> results = new ArrayList<>(rows.size());
            try (AppendWriter writer = client.newWriter(table, WriterOptions.defaults())) {
                for (Object[] row : rows) {
                    results.add(writer.append(row));
                }
            }
            Map<String, long[]> ranges = new TreeMap<>();
            for (CompletableFuture<AppendResult> f : results) {
                AppendResult r;
                try {
                    r = f.join();
                }
                catch (CompletionException e) {
                    throw e.getCause() instanceof InletException inlet ? inlet : e;
                }
                String key = (r.partition().isEmpty() ? "" : r.partition() + " ") + "bucket " + r.bucket();
                ranges.merge(key, new long[] {r.offset(), r.offset()}, (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
            }
            var out = spec.commandLine().getOut();
            out.println("Wrote " + rows.size() + (rows.size() == 1 ? " row" : " rows") + " to " + handle.path());
            ranges.forEach((key, range) -> out.println("  " + key + ": offsets " + range[0] + ".." + range[1]));
        }
        return ExitCodes.OK;
    }
}
