/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union.cli;

import dev.inlet.catalog.CatalogSettings;
import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.cli.ConfigMixin;
import dev.inlet.catalog.cli.ExitCodes;
import dev.inlet.catalog.cli.TextTable;
import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.logstore.cli.JsonRows;
import dev.inlet.logstore.cli.TextValues;
import dev.inlet.logstore.client.ClientOptions;
import dev.inlet.logstore.client.InletClient;
import dev.inlet.union.ScanRequest;
import dev.inlet.union.UnionReader;
import dev.inlet.union.UnionReaderOptions;
import dev.inlet.union.UnionScan;
import dev.inlet.union.filter.Filter;
import dev.inlet.union.plan.ScanPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code inlet scan}: a table's rows now, by a union read of its lake snapshot and its hot tail
 * (see {@code docs/union-read.md}).
 */
@Command(name = "scan",
        description = {
                "Print a table's current rows: its lake snapshot plus the hot rows not tiered yet, as one consistent table.",
                "A primary-key table shows each key's current row. Filters, columns and the limit are pushed down: hot partitions and lake files they exclude are not read."},
        mixinStandardHelpOptions = true,
        footer = {"", "Examples:", "  inlet scan shop.orders --limit 20", "  inlet scan shop.orders --columns order_id,amount --where \"amount >= 100\" --where \"region = eu\"",
                "  inlet scan shop.users --where \"id in (7, 8)\" --json"})
public final class ScanCommand
        implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigMixin config;

    @Parameters(index = "0", paramLabel = "DATABASE.TABLE")
    String table;

    @Option(names = "--columns", split = ",", paramLabel = "COLUMN", description = "Columns to print, in this order (default: all).")
    List<String> columns;

    @Option(names = "--where", paramLabel = "CONDITION",
            description = "Keep rows that meet it: COLUMN =|<|<=|>|>= VALUE, COLUMN in (V1, V2), COLUMN is [not] null (repeatable: all must hold).")
    List<String> where;

    @Option(names = "--limit", paramLabel = "N", description = "Print at most N rows.", defaultValue = "-1")
    long limit;

    @Option(names = "--json", description = "One JSON object per row instead of a text table.")
    boolean json;

    @Option(names = "--explain", description = "Print the plan (lake snapshot, tiered offsets, high-water marks, splits) and what was read, after the rows.")
    boolean explain;

    @Override
    public Integer call()
    {
        PrintWriter out = spec.commandLine().getOut();
        try (InletCatalog catalog = new InletCatalog(CatalogSettings.fromConfig(config.config()));
                InletClient client = InletClient.connect(ClientOptions.clientConfig(config.config()));
                UnionReader reader = new UnionReader(catalog, client, UnionReaderOptions.Settings.from(config.config()))) {
            TablePath path = TablePath.parse(table);
            TableDescriptor descriptor = catalog.getTable(path).descriptor();
            Filter filter = Filter.all();
            for (String condition : where == null ? List.<String>of() : where) {
                try {
                    filter = filter.and(WhereClause.parse(path, descriptor, condition));
                }
                catch (IllegalArgumentException e) {
                    throw new InletException(InletErrorCode.INVALID_SCAN, "Scan of " + path + ": " + e.getMessage(), e);
                }
            }
            ScanRequest request = new ScanRequest(path, Optional.ofNullable(columns), filter, limit);
            try (UnionScan scan = reader.scan(request)) {
                List<String> names = scan.plan().scan().columns();
                List<List<Object>> rows = scan.rows();
                if (json) {
                    JsonRows jsonRows = new JsonRows();
                    rows.forEach(row -> out.println(jsonRows.write(jsonRows.put(jsonRows.object(), names, row.toArray()))));
                }
                else {
                    TextTable text = new TextTable(names.toArray(String[]::new));
                    rows.forEach(row -> text.row(row.stream().map(v -> v == null ? "NULL" : TextValues.format(v)).toArray(String[]::new)));
                    text.print(out);
                    out.println("(" + rows.size() + (rows.size() == 1 ? " row)" : " rows)"));
                }
                if (explain) {
                    explain(out, scan);
                }
            }
            out.flush();
        }
        return ExitCodes.OK;
    }

    private static void explain(PrintWriter out, UnionScan scan)
    {
        ScanPlan plan = scan.plan();
        out.println("plan: " + (plan.readsLake() ? "lake snapshot " + plan.scan().lakeSnapshotId() : "no lake snapshot (hot store only)")
                + ", filter " + plan.scan().filter() + (plan.scan().limit() >= 0 ? ", limit " + plan.scan().limit() : ""));
        plan.highWaterMarks().forEach((bucket, mark) -> out.println("  " + bucket + ": lake holds offsets below " + plan.tiered().getOrDefault(bucket, 0L) + ", hot store ends at " + mark));
        out.println("  " + plan.splits().size() + " splits, " + plan.prunedPartitions() + " hot partitions pruned");
        out.println("read: " + scan.stats());
    }
}
