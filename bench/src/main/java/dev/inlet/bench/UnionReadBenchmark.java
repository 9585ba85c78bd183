/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.bench;

import dev.inlet.catalog.CatalogSettings;
import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.config.InletConfig;
import dev.inlet.catalog.model.LakeFormat;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.logstore.client.InletClient;
import dev.inlet.logstore.client.UpsertWriter;
import dev.inlet.logstore.client.WriterOptions;
import dev.inlet.tiering.LakeWriters;
import dev.inlet.tiering.RoundHooks;
import dev.inlet.tiering.TieringRound;
import dev.inlet.union.ScanRequest;
import dev.inlet.union.UnionReader;
import dev.inlet.union.UnionReaderOptions;
import dev.inlet.union.UnionScan;
import dev.inlet.union.read.ReadStats;
import org.apache.arrow.vector.VectorSchemaRoot;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The union-read benchmark, in one invocation and one reader: a union read of a log table whose
 * newest 1% is still in the hot store, against a read of a table holding the same rows all in the
 * lake (target: at most 1.3 times its time); then the primary-key merge as the hot tail grows,
 * against the same table read with no tail.
 */
@Command(name = "union-read-benchmark", mixinStandardHelpOptions = true,
        description = "Union read with a hot tail against a lake-only read of the same rows, and the primary-key merge cost as the tail grows.")
public final class UnionReadBenchmark
        implements Callable<Integer>
{
    @Option(names = "--rows", description = "Rows of the log tables (default: ${DEFAULT-VALUE}).")
    int rows = 400_000;

    @Option(names = "--tail-percent", description = "Share of the union table's rows still in the hot store (default: ${DEFAULT-VALUE}).")
    double tailPercent = 1.0;

    @Option(names = "--pk-rows", description = "Keys of the primary-key table (default: ${DEFAULT-VALUE}).")
    int pkRows = 100_000;

    @Option(names = "--merge-tails", split = ",", description = "Hot tails of the primary-key table, as percent of its keys updated since the lake snapshot, cumulative (default: 0.1,1,10).")
    List<Double> mergeTails = List.of(0.1, 1.0, 10.0);

    @Option(names = "--repeats", description = "Timed reads of each table, alternating; the fastest counts (default: ${DEFAULT-VALUE}).")
    int repeats = 3;

    @Option(names = "--formats", split = ",", description = "Lake formats (default: paimon,iceberg).")
    List<String> formats = List.of("paimon", "iceberg");

    @Option(names = "--buckets", description = "Buckets of the tables (default: ${DEFAULT-VALUE}).")
    int buckets = 4;

    @Option(names = "--dir", description = "Where the S3 store, catalog and hot store keep their data, in a new subdirectory (default: java.io.tmpdir).")
    Path directory;

    @Option(names = "--seed", description = "Seed of the rows (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    private final PrintStream out;

    public UnionReadBenchmark()
    {
        this(System.out);
    }

    UnionReadBenchmark(PrintStream out)
    {
        this.out = out;
    }

    public static void main(String[] args)
    {
        System.exit(new CommandLine(new UnionReadBenchmark()).execute(args));
    }

    /** One timed read: its time and what it read. */
    private record Timed(long rows, long nanos, ReadStats stats) {}

    @Override
    public Integer call()
            throws Exception
    {
        Path root = Files.createTempDirectory(directory == null ? Path.of(System.getProperty("java.io.tmpdir")) : directory, "inlet-unionbench-");
        out.printf(Locale.ROOT, "== Inlet union-read benchmark ==%nMachine: %d cores; JDK %s; data %s%nLoad average at start: %s%n", Runtime.getRuntime().availableProcessors(),
                Runtime.version(), root, BenchLake.loadAverage());
        int tail = (int) Math.round(rows * tailPercent / 100);
        out.printf(Locale.ROOT, "Log tables: %,d rows of %d columns (BenchSchema), %d buckets; union table: %,d rows in the lake + %,d (%.1f%%) in the hot store; lake table: all %,d in the lake%n",
                rows, BenchSchema.COLUMNS.size(), buckets, rows - tail, tail, tailPercent, rows);
        out.println("Each read: UnionReader.scan of every column, batches consumed and closed, in this JVM; the hot store runs in a child JVM; S3 is an embedded S3Proxy.");
        List<Object[]> generated = RowGenerator.generate(Math.max(rows, pkRows), seed);

        try (BenchLake lake = BenchLake.start(root.resolve("s3"))) {
            Map<String, String> settings = lake.settings();
            try (InletServer server = InletServer.start(root.resolve("inlet"), settings, catalog -> {
                catalog.createDatabase("bench", true);
                for (String name : formats) {
                    LakeFormat format = LakeFormat.parse(name);
                    catalog.createTable(TablePath.parse("bench.lake_" + name), BenchLake.table(format, buckets, false), true);
                    catalog.createTable(TablePath.parse("bench.union_" + name), BenchLake.table(format, buckets, false), true);
                    catalog.createTable(TablePath.parse("bench.pk_" + name), BenchLake.table(format, buckets, true), true);
                }
            });
                    InletClient client = server.connect();
                    InletCatalog catalog = new InletCatalog(CatalogSettings.fromConfig(InletConfig.load(server.directory().resolve("inlet.properties"))));
                    UnionReader reader = new UnionReader(catalog, client, UnionReaderOptions.Settings.defaults())) {
                TieringRound round = new TieringRound(catalog, client, new LakeWriters(catalog, "inlet-tiering")::open, RoundHooks.NONE, Duration.ofMinutes(5));
                out.println();
                out.println("== Union read with a hot tail against a lake-only read of the same rows (fastest of " + repeats + ") ==");
                out.printf(Locale.ROOT, "%-8s %-22s %10s %9s %12s %10s %10s%n", "format", "read", "rows", "seconds", "rows/s", "lake rows", "hot rows");
                StringBuilder ratios = new StringBuilder();
                for (String format : formats) {
                    String lakeTable = "bench.lake_" + format;
                    String unionTable = "bench.union_" + format;
                    List<Object[]> all = generated.subList(0, rows);
                    BenchLake.append(client, lakeTable, all);
                    round.run(TablePath.parse(lakeTable)).orElseThrow();
                    BenchLake.append(client, unionTable, all.subList(0, rows - tail));
                    round.run(TablePath.parse(unionTable)).orElseThrow();
                    BenchLake.append(client, unionTable, all.subList(rows - tail, rows));
                    // warm-up, and a check that both reads return every row
                    check(read(reader, lakeTable), rows, lakeTable);
                    check(read(reader, unionTable), rows, unionTable);
                    Timed lakeOnly = null;
                    Timed union = null;
                    for (int i = 0; i < repeats; i++) {
                        lakeOnly = fastest(lakeOnly, read(reader, lakeTable));
                        union = fastest(union, read(reader, unionTable));
                    }
                    print(format, "lake only", lakeOnly);
                    print(format, "union, " + tailPercent + "% hot", union);
                    double ratio = (double) union.nanos() / lakeOnly.nanos();
                    ratios.append(String.format(Locale.ROOT, "  %-8s %.2f  %s%n", format, ratio, ratio <= 1.3 ? "met" : "missed"));
                }
                out.println();
                out.println("== Ratio union/lake-only (time; target <= 1.3) ==");
                out.print(ratios);

                out.println();
                out.printf(Locale.ROOT, "== Primary-key merge as the hot tail grows (%,d keys, %d buckets; fastest of %d) ==%n", pkRows, buckets, repeats);
                out.printf(Locale.ROOT, "%-8s %9s %10s %9s %10s %10s %10s %8s%n", "format", "tail", "tail rows", "seconds", "rows", "hot rows", "spilled", "ratio");
                for (String format : formats) {
                    String pk = "bench.pk_" + format;
                    upsert(client, pk, generated.subList(0, pkRows), 0, pkRows, 0);
                    round.run(TablePath.parse(pk)).orElseThrow();
                    check(read(reader, pk), pkRows, pk);
                    Timed base = null;
                    for (int i = 0; i < repeats; i++) {
                        base = fastest(base, read(reader, pk));
                    }
                    printMerge(format, "0%", 0, base, base);
                    int updated = 0;
                    for (double percent : mergeTails) {
                        int target = (int) Math.round(pkRows * percent / 100);
                        upsert(client, pk, generated.subList(0, pkRows), updated, target, 1);
                        updated = Math.max(updated, target);
                        Timed merged = null;
                        for (int i = 0; i < repeats; i++) {
                            Timed t = read(reader, pk);
                            check(t, pkRows, pk);
                            merged = fastest(merged, t);
                        }
                        printMerge(format, percent + "%", updated, merged, base);
                    }
                }
                out.println("  (ratio: the read's time over the same table's read with no hot tail; tail rows: keys updated since the lake snapshot, each a -U/+U pair in the changelog)");
            }
        }
        out.printf(Locale.ROOT, "%nLoad average at end: %s%n", BenchLake.loadAverage());
        return 0;
    }

    /** Upserts rows {@code [from, to)}; a non-zero {@code version} changes their amount, so each is an update. */
    private static void upsert(InletClient client, String table, List<Object[]> rows, int from, int to, int version)
    {
        int amount = BenchSchema.columnIndex("amount");
        try (UpsertWriter writer = client.newUpsertWriter(table, BenchSchema.columnNames(), WriterOptions.defaults())) {
            for (int i = from; i < to; i++) {
                Object[] row = rows.get(i).clone();
                row[amount] = (Double) row[amount] + version;
                writer.upsert(row);
            }
        }
    }

    private static Timed read(UnionReader reader, String table)
    {
        long started = System.nanoTime();
        long count = 0;
        try (UnionScan scan = reader.scan(ScanRequest.of(table))) {
            for (VectorSchemaRoot batch = scan.next(); batch != null; batch = scan.next()) {
                count += batch.getRowCount();
                batch.close();
            }
            return new Timed(count, System.nanoTime() - started, scan.stats());
        }
    }

    private static Timed fastest(Timed best, Timed next)
    {
        return best == null || next.nanos() < best.nanos() ? next : best;
    }

    private static void check(Timed read, long expected, String table)
    {
        if (read.rows() != expected) {
            throw new IllegalStateException("reading " + table + " returned " + read.rows() + " rows, expected " + expected);
        }
    }

    private void print(String format, String what, Timed t)
    {
        out.printf(Locale.ROOT, "%-8s %-22s %,10d %9.2f %,12.0f %,10d %,10d%n", format, what, t.rows(), t.nanos() / 1e9, t.rows() / (t.nanos() / 1e9), t.stats().lakeRows.sum(),
                t.stats().hotRows.sum());
    }

    private void printMerge(String format, String tail, int tailKeys, Timed t, Timed base)
    {
        out.printf(Locale.ROOT, "%-8s %9s %,10d %9.2f %,10d %,10d %,10d %8.2f%n", format, tail, tailKeys, t.nanos() / 1e9, t.rows(), t.stats().hotRows.sum(), t.stats().spilledRows.sum(),
                (double) t.nanos() / base.nanos());
    }
}
