/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering.backfill;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.cli.ConfigMixin;
import dev.inlet.catalog.cli.ExitCodes;
import dev.inlet.catalog.config.InletConfig;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.logstore.client.ClientOptions;
import dev.inlet.logstore.client.InletClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/** {@code inlet backfill}: loads historical files into a table (see docs/backfill.md). */
@Command(name = "backfill",
        description = {
                "Load historical Parquet, CSV or JSON-lines files from S3 (or a local folder) into a table. A log table's rows go straight into its lake table, "
                        + "committed in bounded batches under the table's tiering lease; a primary-key table's rows go through the hot store, never replacing a newer row of a key.",
                "Idempotent: the files loaded are recorded, so running the same command again (after a crash, or after it finished) loads only what is missing."},
        mixinStandardHelpOptions = true,
        footer = {"", "Examples:", "  inlet backfill --table shop.orders --from s3://history/orders/",
                "  inlet backfill --table shop.orders --from /data/orders-2025 --format csv --parallelism 2",
                "  inlet backfill --table shop.orders --from s3://history/orders/dt=2026-11-01/ --partition dt=2026-11-01 --mode overwrite-partition",
                "", "Exit codes: 0 done (see the summary for rows skipped with --skip-bad-rows), 1 bad input or request (nothing of the failed commit is visible), "
                        + "3 conflict (lease not handed over in time, partition not tiered), 4 S3 or the catalog unreachable."})
public final class BackfillCommand
        implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigMixin config;

    @Option(names = "--table", required = true, paramLabel = "DATABASE.TABLE", description = "The table to load.")
    String table;

    @Option(names = "--from", required = true, paramLabel = "LOCATION", description = "An s3:// folder or file (read with the configured S3 settings), or a local folder or file.")
    String from;

    @Option(names = "--format", paramLabel = "FORMAT", description = "parquet, csv (with a header line) or json (one object per line). Default: each file's extension.")
    String format;

    @Option(names = "--partition", split = "/", paramLabel = "COLUMN=VALUE",
            description = "Values of partition columns for every row (files laid out by partition often lack the column); a row with another value is a bad row. "
                    + "Several: dt=2026-11-01/region=eu.")
    List<String> partition;

    @Option(names = "--mode", paramLabel = "MODE", description = "append (default) or overwrite-partition: replace the rows of the --partition named, in one commit.")
    String mode = "append";

    @Option(names = "--parallelism", paramLabel = "N", description = "Commits (log tables) or files (primary-key tables) loaded at once. Default: 1.")
    int parallelism = 1;

    @Option(names = "--dry-run", description = "List the files that would be loaded and those loaded already; load nothing.")
    boolean dryRun;

    @Option(names = "--json", description = "Print the summary as one JSON object (progress goes to stderr).")
    boolean json;

    @Option(names = "--skip-bad-rows", description = "Skip rows that cannot be loaded (they are written to the rejects file and counted) instead of stopping.")
    boolean skipBadRows;

    @Option(names = "--rejects", paramLabel = "FILE", description = "With --skip-bad-rows: where skipped rows are written as JSON lines. "
            + "Default: <data-dir>/backfill/<table>-rejects-<time>.jsonl.")
    Path rejects;

    @Option(names = "--overwrite-keys", description = "Primary-key tables: a backfilled row replaces the stored row of its key (by default a key the table has keeps its row).")
    boolean overwriteKeys;

    @Override
    public Integer call()
            throws Exception
    {
        Backfill.Mode backfillMode = switch (mode.toLowerCase(Locale.ROOT)) {
            case "append" -> Backfill.Mode.APPEND;
            case "overwrite-partition" -> Backfill.Mode.OVERWRITE_PARTITION;
            default -> throw new ParameterException(spec.commandLine(), "--mode must be append or overwrite-partition, got '" + mode + "'");
        };
        if (rejects != null && !skipBadRows) {
            throw new ParameterException(spec.commandLine(), "--rejects needs --skip-bad-rows");
        }
        Map<String, String> partitionValues = new LinkedHashMap<>();
        for (String p : partition == null ? List.<String>of() : partition) {
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new ParameterException(spec.commandLine(), "--partition takes COLUMN=VALUE, got '" + p + "'");
            }
            partitionValues.put(p.substring(0, eq), p.substring(eq + 1));
        }
        if (backfillMode == Backfill.Mode.OVERWRITE_PARTITION && partitionValues.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--mode overwrite-partition needs --partition naming the partition it replaces");
        }
        InletConfig settings = config.config();
        TablePath path = TablePath.parse(table);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter progressOut = json ? spec.commandLine().getErr() : out;
        boolean terminal = System.console() != null && !json;
        Duration interval = terminal ? Duration.ofSeconds(1) : settings.get(BackfillOptions.PROGRESS_INTERVAL);
        AtomicReference<InletClient> client = new AtomicReference<>();
        Thread[] reporter = new Thread[1];
        try (InletCatalog catalog = config.openCatalog()) {
            Path rejectsFile = rejects != null ? rejects : catalog.settings().dataDir().resolve("backfill")
                    .resolve(path + "-rejects-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".jsonl");
            Backfill backfill = new Backfill(catalog, settings, () -> client.updateAndGet(c -> c != null ? c : InletClient.connect(ClientOptions.clientConfig(settings))),
                    Backfill.Hooks.NONE);
            Backfill.Request request = new Backfill.Request(path, from, Optional.ofNullable(format).map(SourceFormat::named), partitionValues, backfillMode, parallelism, dryRun,
                    skipBadRows, rejectsFile, overwriteKeys);
            Backfill.Result result = backfill.run(request, progress -> {
                if (!json) {
                    out.println("Backfilling " + path + " from " + from + ": " + files(progress.totalFiles()) + " (" + BackfillProgress.size(progress.totalBytes()) + ") to load");
                    out.flush();
                }
                if (progress.totalFiles() == 0) {
                    return; // nothing to show progress of
                }
                reporter[0] = Thread.ofPlatform().daemon().name("inlet-backfill-progress").start(() -> report(progress, progressOut, terminal, interval));
            });
            if (reporter[0] != null) {
                reporter[0].interrupt();
                reporter[0].join();
            }
            print(result, out);
            return ExitCodes.OK;
        }
        finally {
            if (reporter[0] != null) {
                reporter[0].interrupt();
            }
            InletClient c = client.get();
            if (c != null) {
                c.close();
            }
        }
    }

    private static String files(long count)
    {
        return count + (count == 1 ? " file" : " files");
    }

    private static void report(BackfillProgress progress, PrintWriter out, boolean terminal, Duration interval)
    {
        try {
            while (true) {
                Thread.sleep(interval);
                progress.render(out, terminal);
            }
        }
        catch (InterruptedException e) {
            // done: one last state, so that the bar ends full
            progress.render(out, terminal);
            if (terminal) {
                out.println();
                out.flush();
            }
        }
    }

    private void print(Backfill.Result r, PrintWriter out)
    {
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode node = mapper.createObjectNode();
            node.put("table", r.table().toString());
            node.put("from", r.from());
            node.put("dry_run", r.dryRun());
            node.put("through_hot_store", r.throughHotStore());
            ArrayNode loaded = node.putArray("files_loaded");
            r.loaded().forEach(f -> loaded.add(f.location()));
            ArrayNode skipped = node.putArray("files_skipped");
            r.skipped().forEach(f -> skipped.add(f.location()));
            node.put("rows", r.rows());
            node.put("rejected_rows", r.rejected());
            r.rejectsFile().ifPresent(p -> node.put("rejects_file", p.toString()));
            node.put("bytes", r.bytes());
            ArrayNode snapshots = node.putArray("lake_snapshots");
            r.snapshots().forEach(snapshots::add);
            node.put("seconds", r.elapsed().toMillis() / 1000.0);
            out.println(node.toString());
            out.flush();
            return;
        }
        if (r.dryRun()) {
            out.println("Dry run for " + r.table() + " from " + r.from() + ": " + files(r.loaded().size()) + " (" + BackfillProgress.size(r.bytes()) + ") would be loaded, "
                    + r.skipped().size() + (r.skipped().size() == 1 ? " was" : " were") + " loaded already");
            r.loaded().forEach(f -> out.println("  load  " + f.location() + " (" + f.format().name().toLowerCase(Locale.ROOT) + ", " + BackfillProgress.size(f.size()) + ")"));
            r.skipped().forEach(f -> out.println("  skip  " + f.location() + " (loaded already)"));
            out.flush();
            return;
        }
        out.println(String.format(Locale.ROOT, "Loaded %s, %,d rows (%s) into %s in %s%s%s", files(r.loaded().size()), r.rows(), BackfillProgress.size(r.bytes()), r.table(),
                BackfillProgress.format(r.elapsed()), r.skipped().isEmpty() ? "" : "; " + files(r.skipped().size()) + (r.skipped().size() == 1 ? " was" : " were") + " loaded already",
                r.throughHotStore() ? "; through the hot store (primary-key table)" : "; lake snapshots " + r.snapshots()));
        if (r.rejected() > 0) {
            out.println(String.format(Locale.ROOT, "Skipped %,d bad rows; they are in %s", r.rejected(), r.rejectsFile().map(Path::toString).orElse("-")));
        }
        out.flush();
    }
}
