/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering;

import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.cli.ConfigMixin;
import dev.inlet.catalog.cli.ExitCodes;
import dev.inlet.catalog.cli.TextTable;
import dev.inlet.catalog.model.LakeFormat;
import dev.inlet.catalog.model.TableInfo;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.catalog.model.TieredOffset;
import dev.inlet.logstore.client.ClientOptions;
import dev.inlet.logstore.client.InletClient;
import dev.inlet.logstore.protocol.Actions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import dev.inlet.catalog.config.Durations;
import dev.inlet.tiering.status.LagHistory;
import dev.inlet.tiering.status.LagPlot;
import picocli.CommandLine.ParameterException;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code inlet tiering status}: per lake table, its newest tiered snapshot, its age and the lag per bucket. */
@Command(name = "status",
        description = "Show, per lake table, the lake snapshot the catalog records, how old it is, and per bucket how many hot offsets are not in the lake yet.",
        mixinStandardHelpOptions = true)
public final class TieringStatusCommand
        implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigMixin config;

    @Option(names = "--watch", description = "Print it again every --interval until Ctrl-C (or --samples refreshes).")
    boolean watch;

    @Option(names = "--interval", paramLabel = "DURATION", description = "Time between refreshes with --watch, e.g. 2s (default: ${DEFAULT-VALUE}).")
    String interval = "2s";

    @Option(names = "--samples", paramLabel = "N", description = "With --watch, stop after N refreshes (default: ${DEFAULT-VALUE}: until Ctrl-C).")
    int samples;

    @Option(names = "--plot", paramLabel = "FILE.svg", description = "Also draw ingest rate and lake lag over time per table into this SVG image, redrawn at every refresh "
            + "(open it in a browser; keeps the newest 1,000 refreshes).")
    Path plot;

    @Override
    public Integer call()
            throws Exception
    {
        PrintWriter out = spec.commandLine().getOut();
        Duration every = Durations.parse(interval);
        if (samples < 0) {
            throw new ParameterException(spec.commandLine(), "--samples must be 0 (no limit) or more, got " + samples);
        }
        LagHistory history = new LagHistory(1_000);
        try (InletCatalog catalog = config.openCatalog(); InletClient client = InletClient.connect(ClientOptions.clientConfig(config.config()))) {
            int refreshes = 0;
            while (true) {
                print(catalog, client, out, history);
                refreshes++;
                if (plot != null) {
                    LagPlot.write(history, plot);
                    out.println("Plot: " + plot.toAbsolutePath());
                }
                out.flush();
                if (!watch || (samples > 0 && refreshes >= samples)) {
                    break;
                }
                Thread.sleep(every.toMillis()); // a refresh period, not synchronisation
                out.println();
            }
        }
        return ExitCodes.OK;
    }

    private static void print(InletCatalog catalog, InletClient client, PrintWriter out, LagHistory history)
    {
        TextTable table = new TextTable("TABLE", "FORMAT", "LAKE SNAPSHOT", "AGE", "BUCKET", "TIERED", "HOT END", "LAG");
        Instant now = Instant.now();
        for (String database : catalog.listDatabases()) {
            for (TablePath path : catalog.listTables(database)) {
                Optional<TableInfo> info = catalog.findTable(path);
                if (info.isEmpty() || info.get().descriptor().lakeFormat() == LakeFormat.NONE) {
                    continue;
                }
                Map<String, TieredOffset> tiered = new HashMap<>();
                for (TieredOffset o : catalog.store().tieredOffsets(info.get().tableId())) {
                    tiered.put(o.partition() + "/" + o.bucket(), o);
                }
                String format = info.get().descriptor().lakeFormat().name().toLowerCase(java.util.Locale.ROOT);
                long hotEnd = 0;
                long tieredRows = 0;
                for (Actions.PartitionInfo partition : client.partitions(path.toString())) {
                    for (Actions.BucketOffset end : client.offsets(path.toString(), partition.name(), Actions.OffsetSpec.LATEST, 0)) {
                        TieredOffset o = tiered.get(partition.name() + "/" + end.bucket());
                        long offset = o == null ? 0 : o.offset();
                        hotEnd += end.offset();
                        tieredRows += Math.min(offset, end.offset());
                        table.row(path.toString(), format,
                                o == null ? "-" : Long.toString(o.lakeSnapshotId()),
                                o == null ? "-" : age(Duration.between(o.updatedAt(), now)),
                                (partition.name().isEmpty() ? "" : partition.name() + "/") + end.bucket(),
                                Long.toString(offset), Long.toString(end.offset()), Long.toString(Math.max(0, end.offset() - offset)));
                    }
                }
                history.add(path.toString(), new LagHistory.Sample(now, hotEnd, tieredRows));
            }
        }
        if (table.isEmpty()) {
            out.println("No lake tables (create one with inlet table create ... --lake paimon).");
            return;
        }
        table.print(out);
    }

    private static String age(Duration d)
    {
        long s = Math.max(0, d.toSeconds());
        return s < 120 ? s + "s" : s < 7200 ? (s / 60) + "m" : (s / 3600) + "h";
    }
}
