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
import dev.inlet.tiering.LakeWriters;
import dev.inlet.tiering.RoundHooks;
import dev.inlet.tiering.TieringRound;
import dev.inlet.trinoserver.TrinoServerProcess;
import io.trino.jdbc.QueryStats;
import io.trino.jdbc.TrinoResultSet;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * Trino through the Inlet connector against Trino's own Iceberg connector, in one run and one
 * Trino 483 server process: the same aggregation over the same Iceberg table (an Inlet table's
 * lake part, {@code "t$lake"}, through {@code inlet}; the table itself through {@code iceberg},
 * which reads Inlet's Iceberg JDBC catalog), target at most 1.2 times the time; then the
 * write-to-visible latency of single-row inserts through Trino (target p99 at most 1 s).
 */
@Command(name = "trino-benchmark", mixinStandardHelpOptions = true,
        description = "Trino reading an Iceberg-backed Inlet table through the inlet connector against trino-iceberg, and write-to-visible latency through Trino.")
public final class TrinoBenchmark
        implements Callable<Integer>
{
    @Option(names = "--rows", description = "Rows of the table (default: ${DEFAULT-VALUE}).")
    int rows = 500_000;

    @Option(names = "--repeats", description = "Timed queries per connector, alternating; the fastest counts (default: ${DEFAULT-VALUE}).")
    int repeats = 10;

    @Option(names = "--writes", description = "Single-row inserts for the write-to-visible latency (default: ${DEFAULT-VALUE}).")
    int writes = 200;

    @Option(names = "--analyze", description = "Also print EXPLAIN ANALYZE VERBOSE of each connector's scan (one more run each), to see where a query's time goes.")
    boolean analyze;

    @Option(names = "--buckets", description = "Buckets of the table (default: ${DEFAULT-VALUE}).")
    int buckets = 4;

    @Option(names = "--trino-server", description = "The assembled Trino server (it/trino-server/target; default: ${DEFAULT-VALUE}).")
    Path trinoServer = Path.of("it/trino-server/target");

    @Option(names = "--trino-iceberg", description = "Trino's Iceberg plugin folder (it/trino-iceberg/target; default: ${DEFAULT-VALUE}).")
    Path trinoIceberg = Path.of("it/trino-iceberg/target");

    @Option(names = "--inlet-plugin", description = "Folder of the Inlet plugin zip (default: ${DEFAULT-VALUE}).")
    Path inletPlugin = Path.of("trino-plugin/target");

    @Option(names = "--dir", description = "Where the data goes, in a new subdirectory (default: java.io.tmpdir).")
    Path directory;

    @Option(names = "--seed", description = "Seed of the rows (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    private final PrintStream out;

    public TrinoBenchmark()
    {
        this(System.out);
    }

    TrinoBenchmark(PrintStream out)
    {
        this.out = out;
    }

    public static void main(String[] args)
    {
        System.exit(new CommandLine(new TrinoBenchmark()).execute(args));
    }

    @Override
    public Integer call()
            throws Exception
    {
        Path root = Files.createTempDirectory(directory == null ? Path.of(System.getProperty("java.io.tmpdir")) : directory, "inlet-trinobench-");
        out.printf(Locale.ROOT, "== Inlet Trino benchmark ==%nMachine: %d cores; JDK %s; data %s%nLoad average at start: %s%n", Runtime.getRuntime().availableProcessors(),
                Runtime.version(), root, BenchLake.loadAverage());
        out.printf(Locale.ROOT, "Table: %,d rows of %d columns (BenchSchema), %d buckets, tiered into Iceberg; one Trino 483 server process (-Xmx2G) with both catalogs%n",
                rows, BenchSchema.COLUMNS.size(), buckets);
        List<Object[]> generated = RowGenerator.generate(rows, seed);
        try (BenchLake lake = BenchLake.start(root.resolve("s3"))) {
            Map<String, String> settings = lake.settings();
            try (InletServer server = InletServer.start(root.resolve("inlet"), settings, catalog -> {
                catalog.createDatabase("bench", true);
                catalog.createTable(TablePath.parse("bench.scan"), BenchLake.table(LakeFormat.ICEBERG, buckets, false), true);
                catalog.createTable(TablePath.parse("bench.visible"), BenchLake.table(LakeFormat.NONE, 1, false), true);
            });
                    InletClient client = server.connect();
                    InletCatalog catalog = new InletCatalog(CatalogSettings.fromConfig(InletConfig.load(server.directory().resolve("inlet.properties"))))) {
                BenchLake.append(client, "bench.scan", generated);
                new TieringRound(catalog, client, new LakeWriters(catalog, "inlet-tiering")::open, RoundHooks.NONE, Duration.ofMinutes(5)).run(TablePath.parse("bench.scan")).orElseThrow();

                Map<String, String> inletCatalog = new LinkedHashMap<>(settings);
                inletCatalog.put("connector.name", "inlet");
                inletCatalog.put("server.endpoint", "grpc://127.0.0.1:" + server.port());
                inletCatalog.put("catalog.jdbc.url", catalog.settings().database().url());
                Map<String, String> icebergCatalog = Map.ofEntries(
                        Map.entry("connector.name", "iceberg"),
                        Map.entry("iceberg.catalog.type", "jdbc"),
                        Map.entry("iceberg.jdbc-catalog.catalog-name", "inlet"),
                        Map.entry("iceberg.jdbc-catalog.driver-class", "org.sqlite.JDBC"),
                        Map.entry("iceberg.jdbc-catalog.connection-url", catalog.settings().database().url()),
                        Map.entry("iceberg.jdbc-catalog.default-warehouse-dir", settings.get("lake.iceberg.warehouse")),
                        Map.entry("fs.native-s3.enabled", "true"),
                        Map.entry("s3.endpoint", settings.get("s3.endpoint")),
                        Map.entry("s3.region", "us-east-1"),
                        Map.entry("s3.path-style-access", "true"),
                        Map.entry("s3.aws-access-key", settings.get("s3.access-key")),
                        Map.entry("s3.aws-secret-key", settings.get("s3.secret-key")));
                try (TrinoServerProcess trino = TrinoServerProcess.builder(trinoServer, root.resolve("trino"))
                        .plugin("inlet", pluginZip())
                        .plugin("iceberg", trinoIceberg)
                        .catalog("inlet", inletCatalog)
                        .catalog("iceberg", icebergCatalog)
                        .jvmOptions(extraTrinoJvmOptions())
                        .start(Duration.ofMinutes(3));
                        Connection jdbc = DriverManager.getConnection(trino.jdbcUrl("inlet", "bench"), "bench", null);
                        Statement sql = jdbc.createStatement()) {
                    scan(sql);
                    visible(sql);
                }
            }
        }
        out.printf(Locale.ROOT, "%nLoad average at end: %s%n", BenchLake.loadAverage());
        return 0;
    }

    private Path pluginZip()
            throws Exception
    {
        try (Stream<Path> files = Files.list(inletPlugin)) {
            return files.filter(p -> p.getFileName().toString().matches("inlet-trino-plugin-.*\\.zip")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no plugin zip in " + inletPlugin.toAbsolutePath()));
        }
    }

    private void scan(Statement sql)
            throws Exception
    {
        String query = "SELECT count(*), round(sum(amount), 4), max(user_id), count(DISTINCT country), max(length(body)) FROM %s";
        String inlet = String.format(Locale.ROOT, query, "inlet.bench.\"scan$lake\"");
        String iceberg = String.format(Locale.ROOT, query, "iceberg.bench.scan");
        List<String> expected = first(sql, iceberg);
        if (!first(sql, inlet).equals(expected) || !expected.getFirst().equals(Integer.toString(rows))) {
            throw new IllegalStateException("the connectors disagree: inlet " + first(sql, inlet) + ", iceberg " + expected);
        }
        Run bestInlet = null;
        Run bestIceberg = null;
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            Run inletRun = time(sql, inlet);
            Run icebergRun = time(sql, iceberg);
            ratios.add((double) inletRun.nanos() / icebergRun.nanos());
            bestInlet = Run.faster(bestInlet, inletRun);
            bestIceberg = Run.faster(bestIceberg, icebergRun);
        }
        ratios.sort(Double::compare);
        out.println();
        out.println("== Scan of the lake part: inlet against trino-iceberg (fastest of " + repeats + "; " + query.formatted("<table>") + ") ==");
        out.printf(Locale.ROOT, "%-14s %10s %9s %12s %8s %11s %7s%n", "connector", "rows", "seconds", "rows/s", "cpu s", "planning s", "splits");
        bestIceberg.print(out, "trino-iceberg", rows);
        bestInlet.print(out, "inlet", rows);
        double ratio = (double) bestInlet.nanos() / bestIceberg.nanos();
        out.printf(Locale.ROOT, "%n== Ratio inlet/trino-iceberg (time of the fastest runs; target <= 1.2) ==%n  %.2f  %s%n", ratio, ratio <= 1.2 ? "met" : "missed");
        out.printf(Locale.ROOT, "  (median of the %d back-to-back pairs: %.2f; a shared machine's noise moves single pairs)%n", ratios.size(), ratios.get(ratios.size() / 2));
        if (analyze) {
            for (String q : List.of(iceberg, inlet)) {
                out.println();
                out.println("== EXPLAIN ANALYZE VERBOSE " + q + " ==");
                try (ResultSet result = sql.executeQuery("EXPLAIN ANALYZE VERBOSE " + q)) {
                    while (result.next()) {
                        out.println(result.getString(1));
                    }
                }
            }
        }
    }

    /** Single-row inserts, each followed by queries until the row shows: the time from the insert's start to the row's first sight. */
    private void visible(Statement sql)
            throws Exception
    {
        List<Long> latencies = new ArrayList<>();
        List<String> columns = BenchSchema.columnNames();
        for (int i = 0; i < writes; i++) {
            long id = 1_000_000_000L + i;
            String values = "(" + id + ", TIMESTAMP '2026-11-26 00:00:00.000', 1, 1, 1, 200, 5, 1, 1.0, 1.0, 0.0, 0.0, 'de', 'phone', 's', '/u', 'ua', 'r', 't', 'b')";
            long started = System.nanoTime();
            sql.executeUpdate("INSERT INTO inlet.bench.visible (" + String.join(", ", columns) + ") VALUES " + values);
            long deadline = started + Duration.ofSeconds(30).toNanos();
            while (!first(sql, "SELECT count(*) FROM inlet.bench.visible WHERE id = " + id).getFirst().equals("1")) {
                // the row is acknowledged when the insert returns, so a miss is a visibility bug: polled, with a deadline
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("row " + id + " inserted through Trino is not visible after 30 s");
                }
            }
            latencies.add(System.nanoTime() - started);
        }
        latencies.sort(Long::compare);
        double p50 = latencies.get(latencies.size() / 2) / 1e6;
        double p99 = latencies.get((int) Math.ceil(latencies.size() * 0.99) - 1) / 1e6;
        out.println();
        out.println("== Write-to-visible through Trino (" + writes + " single-row INSERTs, each until a SELECT sees it; target p99 <= 1000 ms) ==");
        out.printf(Locale.ROOT, "  p50 %.1f ms, p99 %.1f ms, max %.1f ms  %s%n", p50, p99, latencies.getLast() / 1e6, p99 <= 1000 ? "met" : "missed");
    }

    private static List<String> first(Statement sql, String query)
            throws Exception
    {
        try (ResultSet result = sql.executeQuery(query)) {
            result.next();
            List<String> values = new ArrayList<>();
            for (int c = 1; c <= result.getMetaData().getColumnCount(); c++) {
                values.add(result.getString(c));
            }
            return values;
        }
    }

    /** One query's time as the client saw it, with the server's account of it (CPU, planning, splits). */
    private record Run(long nanos, QueryStats stats)
    {
        static Run faster(Run best, Run run)
        {
            return best == null || run.nanos < best.nanos ? run : best;
        }

        void print(PrintStream out, String connector, long rows)
        {
            out.printf(Locale.ROOT, "%-14s %,10d %9.2f %,12.0f %8.2f %11.2f %7d%n", connector, rows, nanos / 1e9, rows / (nanos / 1e9), stats.getCpuTimeMillis() / 1e3,
                    stats.getPlanningTimeMillis() / 1e3, stats.getTotalSplits());
        }
    }

    private static Run time(Statement sql, String query)
            throws Exception
    {
        long started = System.nanoTime();
        try (ResultSet result = sql.executeQuery(query)) {
            while (result.next()) {
                // the whole result, so the statistics are the finished query's
            }
            return new Run(System.nanoTime() - started, result.unwrap(TrinoResultSet.class).getStats());
        }
    }

    /** {@code INLET_BENCH_TRINO_JVM_OPTS}: more flags for the Trino server, e.g. a flight recording to profile it. */
    private static List<String> extraTrinoJvmOptions()
    {
        String extra = System.getenv("INLET_BENCH_TRINO_JVM_OPTS");
        return extra == null || extra.isBlank() ? List.of() : List.of(extra.trim().split("\\s+"));
    }
}
