/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.cli;

import dev.inlet.catalog.cli.ConfigMixin;
import dev.inlet.catalog.cli.ExitCodes;
import dev.inlet.catalog.cli.TextTable;
import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.logstore.client.ClientOptions;
import dev.inlet.logstore.client.InletClient;
import dev.inlet.logstore.client.TableHandle;
import dev.inlet.logstore.protocol.LookupMessages;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code inlet lookup}: the stored rows of primary-key table keys, read from RocksDB by the hot
 * store, so they reflect exactly the acknowledged writes.
 */
@Command(name = "lookup",
        description = {
                "Print the stored rows of keys of a primary-key table, as a text table or one JSON object per row.",
                "A key is the values of the table's partition-key and primary-key columns (with --prefix: partition-key and bucket-key columns), in table order, "
                        + "separated by commas, with CSV quoting (\"a,b\") for a value that holds a comma. Keys come from --key, from --file, or else from stdin, one per line. "
                        + "All keys are checked before any is looked up."},
        mixinStandardHelpOptions = true,
        footer = {"", "Examples:", "  inlet lookup shop.users --key 7 --key 8", "  inlet lookup shop.orders --prefix --key u1 --json",
                "  printf 'alice\\nbob\\n' | inlet lookup shop.user_ids --insert-if-absent"})
public final class LookupCommand
        implements Callable<Integer>
{
    /** Keys per lookup request. */
    static final int KEYS_PER_REQUEST = 1000;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigMixin config;

    @Parameters(index = "0", paramLabel = "DATABASE.TABLE")
    String table;

    @Option(names = "--key", paramLabel = "VALUES", description = "A key to look up, e.g. --key u1,42 (repeatable).")
    List<String> keys;

    @Option(names = "--file", paramLabel = "FILE", description = "Read keys from this file, one per line (as well as any --key). Without --key or --file, keys are read from stdin.")
    Path file;

    @Option(names = "--prefix", description = "Prefix lookup: each key is the values of the partition-key and bucket-key columns; prints every stored row with them, in key order.")
    boolean prefix;

    @Option(names = "--insert-if-absent", description = "Insert a key that has no row (its other columns null, its auto-increment column assigned) and print the new row: every key gets a row.")
    boolean insertIfAbsent;

    @Option(names = "--json", description = "One JSON object per row instead of a text table. A key without a row prints nothing (the text table notes it as '(no row: ...)').")
    boolean json;

    @Override
    public Integer call()
            throws Exception
    {
        if (prefix && insertIfAbsent) {
            throw new ParameterException(spec.commandLine(), "--prefix and --insert-if-absent cannot be used together: insert-if-absent takes whole primary keys");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (InletClient client = InletClient.connect(ClientOptions.clientConfig(config.config()))) {
            TableHandle handle = client.describeTable(table);
            TableDescriptor descriptor = handle.descriptor();
            if (!descriptor.hasPrimaryKey()) {
                throw new InletException(InletErrorCode.INVALID_WRITE, "Table " + handle.path() + " is a log table; lookups need a primary key");
            }
            List<Column> keyColumns = LookupMessages.keyColumns(descriptor, prefix);
            List<Object[]> parsed = readKeys(handle, keyColumns);

            List<String> names = descriptor.columnNames();
            JsonRows jsonRows = new JsonRows();
            TextTable text = new TextTable(names.toArray(String[]::new));
            List<String> missing = new ArrayList<>();
            for (int from = 0; from < parsed.size(); from += KEYS_PER_REQUEST) {
                List<Object[]> chunk = parsed.subList(from, Math.min(parsed.size(), from + KEYS_PER_REQUEST));
                List<List<Object[]>> answers = new ArrayList<>(chunk.size());
                if (prefix) {
                    answers.addAll(client.prefixLookup(table, chunk));
                }
                else {
                    List<Object[]> rows = insertIfAbsent ? client.lookupOrInsert(table, chunk) : client.lookup(table, chunk);
                    rows.forEach(row -> answers.add(row == null ? List.of() : List.<Object[]>of(row)));
                }
                for (int k = 0; k < chunk.size(); k++) {
                    if (answers.get(k).isEmpty()) {
                        missing.add(describe(keyColumns, chunk.get(k)));
                    }
                    for (Object[] row : answers.get(k)) {
                        if (json) {
                            out.println(jsonRows.write(jsonRows.put(jsonRows.object(), names, row)));
                        }
                        else {
                            String[] cells = new String[row.length];
                            for (int c = 0; c < row.length; c++) {
                                cells[c] = row[c] == null ? "NULL" : TextValues.format(row[c]);
                            }
                            text.row(cells);
                        }
                    }
                }
                out.flush();
            }
            if (!json) {
                if (!text.isEmpty()) {
                    text.print(out);
                }
                missing.forEach(key -> out.println((prefix ? "(no rows: " : "(no row: ") + key + ")"));
            }
            out.flush();
        }
        return ExitCodes.OK;
    }

    /** Every key, from --key, then --file, or else stdin; a bad key stops the command before any lookup. */
    private List<Object[]> readKeys(TableHandle handle, List<Column> keyColumns)
            throws IOException
    {
        List<Object[]> parsed = new ArrayList<>();
        if (keys != null) {
            for (String key : keys) {
                CsvReader csv = new CsvReader(new BufferedReader(new StringReader(key)));
                List<String> fields = next(handle, csv, "--key '" + key + "'");
                parsed.add(parse(handle, keyColumns, fields == null ? List.of() : fields, "--key '" + key + "'"));
            }
        }
        if (file != null || keys == null) {
            try (BufferedReader in = file == null
                    ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                    : Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                CsvReader csv = new CsvReader(in);
                for (List<String> fields = next(handle, csv, "the input"); fields != null; fields = next(handle, csv, "the input")) {
                    if (fields.size() == 1 && fields.getFirst() == null) {
                        continue; // blank line
                    }
                    parsed.add(parse(handle, keyColumns, fields, "line " + csv.recordLine()));
                }
            }
        }
        return parsed;
    }

    private static List<String> next(TableHandle handle, CsvReader csv, String where)
    {
        try {
            return csv.next();
        }
        catch (IOException e) {
            throw invalid(handle, where + ": " + e.getMessage());
        }
    }

    private Object[] parse(TableHandle handle, List<Column> keyColumns, List<String> fields, String where)
    {
        List<String> keyNames = keyColumns.stream().map(Column::name).toList();
        if (fields.size() != keyColumns.size()) {
            throw invalid(handle, where + ": " + fields.size() + (fields.size() == 1 ? " value" : " values") + ", but a " + (prefix ? "prefix" : "key") + " of "
                    + handle.path() + " is the values of " + keyNames);
        }
        Object[] key = new Object[fields.size()];
        for (int i = 0; i < fields.size(); i++) {
            Column column = keyColumns.get(i);
            if (fields.get(i) == null) {
                throw invalid(handle, where + ", column '" + column.name() + "': no value; key columns cannot be null");
            }
            try {
                key[i] = TextValues.parse(column.type(), fields.get(i));
            }
            catch (IllegalArgumentException e) {
                throw invalid(handle, where + ", column '" + column.name() + "': " + e.getMessage());
            }
        }
        return key;
    }

    private static String describe(List<Column> keyColumns, Object[] key)
    {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < key.length; i++) {
            parts.add(keyColumns.get(i).name() + "=" + TextValues.format(key[i]));
        }
        return String.join(", ", parts);
    }

    private static InletException invalid(TableHandle handle, String problem)
    {
        return new InletException(InletErrorCode.INVALID_ROW, "Invalid lookup key for table " + handle.path() + ": " + problem);
    }
}
