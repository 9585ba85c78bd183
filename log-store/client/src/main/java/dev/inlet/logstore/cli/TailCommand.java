/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlet.catalog.cli.ConfigMixin;
import dev.inlet.catalog.cli.ExitCodes;
import dev.inlet.catalog.cli.ShutdownSignal;
import dev.inlet.logstore.client.ClientOptions;
import dev.inlet.logstore.client.InletClient;
import dev.inlet.logstore.client.LogScanner;
import dev.inlet.logstore.client.ScanBatch;
import dev.inlet.logstore.client.ScanOptions;
import dev.inlet.logstore.client.StartPosition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code inlet tail}: prints a table's rows as they arrive. */
@Command(name = "tail",
        description = "Print a table's rows as they arrive in the hot store, one JSON object per line with its bucket and offset, until Ctrl-C or --limit rows.",
        mixinStandardHelpOptions = true,
        footer = {"", "Examples:", "  inlet tail shop.orders --from earliest --columns order_id,amount", "  inlet tail shop.orders --from 2026-11-26T10:00:00Z"})
public final class TailCommand
        implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigMixin config;

    @Parameters(index = "0", paramLabel = "DATABASE.TABLE")
    String table;

    @Option(names = "--from", paramLabel = "POSITION", description = "earliest, latest (default), an offset, or an ISO-8601 instant (rows committed at or after it).")
    String from = "latest";

    @Option(names = "--columns", split = ",", paramLabel = "COLUMN", description = "Only these columns (the server sends only their data).")
    List<String> columns;

    @Option(names = "--partition", paramLabel = "NAME", description = "The partition, e.g. dt=2026-11-26 (partitioned tables).")
    String partition = "";

    @Option(names = "--limit", paramLabel = "N", description = "Stop after N rows.")
    long limit = Long.MAX_VALUE;

    @Option(names = "--idle-exit", paramLabel = "DURATION", description = "Stop once no row arrived for this long, e.g. 5s (default: never).")
    String idleExit;

    @Override
    public Integer call()
            throws Exception
    {
        StartPosition start = switch (from.toLowerCase(java.util.Locale.ROOT)) {
            case "earliest" -> StartPosition.earliest();
            case "latest" -> StartPosition.latest();
            default -> from.chars().allMatch(Character::isDigit) ? StartPosition.offset(Long.parseLong(from)) : StartPosition.timestamp(parseInstant(from));
        };
        Duration idle = idleExit == null ? null : dev.inlet.catalog.config.Durations.parse(idleExit);
        ShutdownSignal signal = ShutdownSignal.install();
        PrintWriter out = spec.commandLine().getOut();
        JsonRows json = new JsonRows();
        try (InletClient client = InletClient.connect(ClientOptions.clientConfig(config.config()))) {
            ScanOptions options = columns == null ? ScanOptions.defaults() : ScanOptions.defaults().withColumns(columns);
            try (LogScanner scanner = client.newScanner(table, options)) {
                scanner.subscribeAll(partition, start);
                long printed = 0;
                Instant lastRow = Instant.now();
                while (printed < limit && !signal.received()) {
                    List<ScanBatch> batches = scanner.poll(Duration.ofMillis(500));
                    if (batches.isEmpty() && idle != null && Duration.between(lastRow, Instant.now()).compareTo(idle) >= 0) {
                        break;
                    }
                    for (ScanBatch batch : batches) {
                        try (batch) {
                            List<String> names = batch.root().getSchema().getFields().stream().map(f -> f.getName()).toList();
                            List<Object[]> rows = batch.rows();
                            for (int r = 0; r < rows.size() && printed < limit; r++) {
                                ObjectNode node = json.object();
                                node.put("_bucket", batch.bucket());
                                node.put("_offset", batch.baseOffset() + r);
                                json.put(node, names, rows.get(r));
                                out.println(json.write(node));
                                printed++;
                            }
                        }
                        lastRow = Instant.now();
                    }
                    out.flush();
                }
            }
        }
        return ExitCodes.OK;
    }

    private static long parseInstant(String text)
    {
        try {
            return Instant.parse(text).toEpochMilli();
        }
        catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("--from must be earliest, latest, an offset or an ISO-8601 instant such as 2026-11-26T10:00:00Z, got '" + text + "'");
        }
    }
}
