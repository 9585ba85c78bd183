/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.bench;

import dev.inlet.catalog.CatalogSettings;
import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.config.InletConfig;
import dev.inlet.catalog.lake.iceberg.IcebergLakeBridge;
import dev.inlet.catalog.lake.paimon.PaimonLakeBridge;
import dev.inlet.catalog.model.LakeFormat;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.catalog.model.TieredOffset;
import dev.inlet.logstore.client.AppendWriter;
import dev.inlet.logstore.client.InletClient;
import dev.inlet.logstore.client.WriterOptions;
import dev.inlet.tiering.LakeWriters;
import dev.inlet.tiering.RoundHooks;
import dev.inlet.tiering.TieringMetrics;
import dev.inlet.tiering.TieringOptions;
import dev.inlet.tiering.TieringRound;
import dev.inlet.tiering.TieringService;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The tiering benchmark, in one invocation: a tiering round of N hot rows into a Paimon and an
 * Iceberg table, against each library's own writer writing the same rows into a table of the
 * same definition (target: tiering at least 0.8 of the raw writer's rows/s); then, with
 * {@code --lag-seconds}, the lake lag under a steady ingest with the tiering service at the
 * default freshness (target: at most freshness plus one round).
 */
@Command(name = "tiering-benchmark", mixinStandardHelpOptions = true,
        description = "Tiering throughput against the raw Paimon and Iceberg writers on the same rows, and lake lag under sustained ingest.")
public final class TieringBenchmark
        implements Callable<Integer>
{
    @Option(names = "--rows", description = "Rows of the measured round (default: ${DEFAULT-VALUE}).")
    int rows = 300_000;

    @Option(names = "--warmup", description = "Rows of an untimed round and raw write before the measured ones (default: ${DEFAULT-VALUE}).")
    int warmup = 100_000;

    @Option(names = "--repeats", description = "Measured rounds and raw writes per format, alternating; the fastest of each counts (default: ${DEFAULT-VALUE}).")
    int repeats = 3;

    @Option(names = "--formats", split = ",", description = "Lake formats (default: paimon,iceberg).")
    List<String> formats = List.of("paimon", "iceberg");

    @Option(names = "--buckets", description = "Buckets of the tables (default: ${DEFAULT-VALUE}).")
    int buckets = 4;

    @Option(names = "--lag-seconds", description = "Seconds of steady ingest with the tiering service running, to measure lake lag; 0 skips it (default: ${DEFAULT-VALUE}).")
    int lagSeconds;

    @Option(names = "--lag-rate", description = "Rows per second of the steady ingest (default: ${DEFAULT-VALUE}).")
    int lagRate = 5_000;

    @Option(names = "--dir", description = "Where the S3 store, catalog and hot store keep their data, in a new subdirectory (default: java.io.tmpdir).")
    Path directory;

    @Option(names = "--seed", description = "Seed of the rows (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    private final PrintStream out;

    public TieringBenchmark()
    {
        this(System.out);
    }

    TieringBenchmark(PrintStream out)
    {
        this.out = out;
    }

    public static void main(String[] args)
    {
        System.exit(new CommandLine(new TieringBenchmark()).execute(args));
    }

    private record Pass(String format, String what, long rows, long nanos, long cpuNanos) {}

    @Override
    public Integer call()
            throws Exception
    {
        Path root = Files.createTempDirectory(directory == null ? Path.of(System.getProperty("java.io.tmpdir")) : directory, "inlet-tierbench-");
        out.printf(Locale.ROOT, "== Inlet tiering benchmark ==%nMachine: %d cores; JDK %s; data %s%nLoad average at start: %s%n", Runtime.getRuntime().availableProcessors(),
                Runtime.version(), root, BenchLake.loadAverage());
        List<Object[]> all = RowGenerator.generate(warmup + rows, seed);
        List<Object[]> warm = all.subList(0, warmup);
        List<Object[]> measured = all.subList(warmup, all.size());
        out.printf(Locale.ROOT, "Rows: %,d measured after %,d warm-up, %d columns (BenchSchema), %.0f B of payload a row; %d buckets, bucket key %s%n", rows, warmup,
                BenchSchema.COLUMNS.size(), (double) BenchSchema.payloadBytes(measured) / rows, buckets, BenchSchema.BUCKET_KEY);
        out.println("  tiering: TieringRound.run of a log table whose hot store holds the rows (server in a child JVM): reads each bucket over Flight and writes with the format's writer, one commit");
        out.println("  raw:     the same rows as Java objects written with the library's own writer into a table of the same definition, one commit (Paimon BatchTableWrite; Iceberg FanoutDataWriter + append)");
        out.println();

        List<Pass> passes = new ArrayList<>();
        try (BenchLake lake = BenchLake.start(root.resolve("s3"))) {
            Map<String, String> settings = lake.settings();
            try (InletServer server = InletServer.start(root.resolve("inlet"), settings, catalog -> {
                catalog.createDatabase("bench", true);
                for (String format : formats) {
                    for (String kind : List.of("tier", "raw", "lag")) {
                        catalog.createTable(TablePath.parse("bench." + kind + "_" + format), BenchLake.table(LakeFormat.parse(format), buckets, false), true);
                    }
                }
            });
                    InletClient client = server.connect();
                    InletCatalog catalog = new InletCatalog(CatalogSettings.fromConfig(InletConfig.load(server.directory().resolve("inlet.properties"))))) {
                for (String format : formats) {
                    String tier = "bench.tier_" + format;
                    String raw = "bench.raw_" + format;
                    TieringRound round = new TieringRound(catalog, client, new LakeWriters(catalog, "inlet-tiering")::open, RoundHooks.NONE, Duration.ofMinutes(5));
                    // warm-up: the same code paths, untimed
                    BenchLake.append(client, tier, warm);
                    round.run(TablePath.parse(tier)).orElseThrow();
                    writeRaw(catalog, format, raw, warm);
                    out.printf(Locale.ROOT, "  [%s] warm-up done; load average %s%n", format, BenchLake.loadAverage());
                    for (int repeat = 0; repeat < repeats; repeat++) {
                        BenchLake.append(client, tier, measured);
                        long cpu = cpuNanos(server);
                        long started = System.nanoTime();
                        TieringRound.Result result = round.run(TablePath.parse(tier)).orElseThrow();
                        Pass tiered = new Pass(format, "tiering", result.rows(), System.nanoTime() - started, cpuNanos(server) - cpu);
                        if (result.rows() != rows) {
                            throw new IllegalStateException("the round tiered " + result.rows() + " rows, expected " + rows);
                        }
                        cpu = cpuNanos(server);
                        started = System.nanoTime();
                        writeRaw(catalog, format, raw, measured);
                        Pass written = new Pass(format, "raw", rows, System.nanoTime() - started, cpuNanos(server) - cpu);
                        out.printf(Locale.ROOT, "  [%s] pass %d: tiering %.2f s, raw %.2f s; load average %s%n", format, repeat + 1, tiered.nanos() / 1e9, written.nanos() / 1e9, BenchLake.loadAverage());
                        passes.add(tiered);
                        passes.add(written);
                    }
                }
                print(passes);
                if (lagSeconds > 0) {
                    measureLag(client, catalog);
                }
            }
        }
        out.printf(Locale.ROOT, "%nLoad average at end: %s%n", BenchLake.loadAverage());
        return 0;
    }

    private static void writeRaw(InletCatalog catalog, String format, String table, List<Object[]> rows)
            throws Exception
    {
        TablePath path = TablePath.parse(table);
        switch (LakeFormat.parse(format)) {
            case PAIMON -> RawLakeWriters.paimon(((PaimonLakeBridge) catalog.bridge(LakeFormat.PAIMON)).loadTable(path), rows);
            case ICEBERG -> RawLakeWriters.iceberg(((IcebergLakeBridge) catalog.bridge(LakeFormat.ICEBERG)).loadTable(path), rows);
            case NONE -> throw new IllegalArgumentException(format);
        }
    }

    private void print(List<Pass> passes)
    {
        out.println();
        out.println("== Tiering against the raw writer (one thread; rows/s of one round or one write + commit; fastest of " + repeats + ") ==");
        out.printf(Locale.ROOT, "%-8s %-8s %10s %9s %12s %8s%n", "format", "writer", "rows", "seconds", "rows/s", "cpu s");
        List<Pass> fastest = new ArrayList<>();
        for (String format : formats) {
            for (String what : List.of("tiering", "raw")) {
                passes.stream().filter(p -> p.format().equals(format) && p.what().equals(what)).min(java.util.Comparator.comparingLong(Pass::nanos)).ifPresent(fastest::add);
            }
        }
        for (Pass p : fastest) {
            out.printf(Locale.ROOT, "%-8s %-8s %,10d %9.2f %,12.0f %8.2f%n", p.format(), p.what(), p.rows(), p.nanos() / 1e9, p.rows() / (p.nanos() / 1e9), p.cpuNanos() / 1e9);
        }
        out.println("  (cpu s: this JVM's CPU time, S3 store included, plus the hot-store server's)");
        out.println();
        out.println("== Ratio tiering/raw (rows/s; target >= 0.8) ==");
        for (String format : formats) {
            Pass tier = fastest.stream().filter(p -> p.format().equals(format) && p.what().equals("tiering")).findFirst().orElseThrow();
            Pass raw = fastest.stream().filter(p -> p.format().equals(format) && p.what().equals("raw")).findFirst().orElseThrow();
            double ratio = (double) raw.nanos() / tier.nanos();
            out.printf(Locale.ROOT, "  %-8s %.2f  %s%n", format, ratio, ratio >= 0.8 ? "met" : "missed");
        }
    }

    /**
     * Appends {@code --lag-rate} rows a second to each lag table for {@code --lag-seconds}, with the
     * tiering service running at the tables' default freshness, and samples twice a second how old
     * the oldest row not yet in the lake is.
     */
    private void measureLag(InletClient client, InletCatalog catalog)
            throws Exception
    {
        out.println();
        Duration freshness = TableDescriptor.DEFAULT_FRESHNESS;
        out.printf(Locale.ROOT, "== Lake lag: %,d rows/s into each of %s for %d s, tiering service at freshness %s ==%n", lagRate, formats, lagSeconds, freshness);
        List<Object[]> source = RowGenerator.generate(Math.min(lagRate, 50_000), seed + 1);
        InletConfig config = InletConfig.of(Map.of(TieringOptions.DISCOVERY_INTERVAL.key(), "1s"));
        Map<String, List<long[]>> appended = new java.util.concurrent.ConcurrentHashMap<>(); // table -> [rows so far, epoch ms]
        Map<String, Long> maxLagMillis = new java.util.HashMap<>();
        Map<String, double[]> rounds = new java.util.HashMap<>(); // table -> [count, sum, longest]
        try (TieringMetrics metrics = new TieringMetrics(); TieringService service = new TieringService(catalog, client, config, metrics, RoundHooks.NONE).start()) {
            List<AppendWriter> writers = new ArrayList<>();
            for (String format : formats) {
                writers.add(client.newWriter("bench.lag_" + format, WriterOptions.defaults()));
                appended.put("bench.lag_" + format, java.util.Collections.synchronizedList(new ArrayList<>()));
                maxLagMillis.put("bench.lag_" + format, 0L);
            }
            Instant start = Instant.now();
            Instant end = start.plusSeconds(lagSeconds);
            long sent = 0;
            long nextSample = 0;
            while (Instant.now().isBefore(end)) {
                long elapsedMillis = Duration.between(start, Instant.now()).toMillis();
                long due = lagRate * elapsedMillis / 1000;
                for (; sent < due; sent++) {
                    for (AppendWriter writer : writers) {
                        writer.append(withId(source.get((int) (sent % source.size())), sent));
                    }
                }
                for (int i = 0; i < writers.size(); i++) {
                    writers.get(i).flush();
                    appended.get("bench.lag_" + formats.get(i)).add(new long[] {sent, System.currentTimeMillis()});
                }
                if (elapsedMillis >= nextSample) {
                    nextSample = elapsedMillis + 500;
                    var roundSeconds = metrics.registry().scrape(name -> name.equals("inlet_tiering_round_seconds"));
                    for (String format : formats) {
                        String table = "bench.lag_" + format;
                        long lag = lagMillis(catalog, table, appended.get(table));
                        maxLagMillis.merge(table, lag, Math::max);
                        // each committed round shows as one more count in the histogram (samples are 0.5 s apart, rounds ~freshness)
                        double[] seen = rounds.computeIfAbsent(table, t -> new double[3]);
                        double[] now = countAndSum(roundSeconds, table);
                        if (now[0] > seen[0]) {
                            seen[2] = Math.max(seen[2], (now[1] - seen[1]) / (now[0] - seen[0]));
                            seen[0] = now[0];
                            seen[1] = now[1];
                        }
                    }
                }
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // the ingest's pace, not synchronisation
            }
            writers.forEach(AppendWriter::close);
            out.printf(Locale.ROOT, "  appended %,d rows per table; lag sampled every 0.5 s%n", sent);
            for (String format : formats) {
                String table = "bench.lag_" + format;
                double[] seen = rounds.getOrDefault(table, new double[3]);
                double bound = freshness.toMillis() / 1000.0 + seen[2];
                double max = maxLagMillis.get(table) / 1000.0;
                out.printf(Locale.ROOT, "  %-8s max lag %.1f s; %.0f rounds, mean %.2f s, longest %.2f s; target <= freshness + one round = %.1f s: %s%n", format, max, seen[0],
                        seen[0] == 0 ? 0 : seen[1] / seen[0], seen[2], bound, max <= bound ? "met" : "missed");
            }
        }
    }

    private static Object[] withId(Object[] row, long id)
    {
        Object[] copy = row.clone();
        copy[BenchSchema.columnIndex(BenchSchema.BUCKET_KEY)] = id;
        return copy;
    }

    /** How long ago the oldest row not yet in the lake was acknowledged (0 if the lake holds all). */
    private static long lagMillis(InletCatalog catalog, String table, List<long[]> appended)
    {
        long tiered = catalog.store().tieredOffsets(catalog.getTable(TablePath.parse(table)).tableId()).stream().mapToLong(TieredOffset::offset).sum();
        synchronized (appended) {
            for (long[] point : appended) {
                if (point[0] > tiered) {
                    return System.currentTimeMillis() - point[1];
                }
            }
        }
        return 0;
    }

    /** The round-duration histogram's count and sum for a table. */
    private static double[] countAndSum(io.prometheus.metrics.model.snapshots.MetricSnapshots snapshots, String table)
    {
        for (var snapshot : snapshots) {
            for (var point : ((io.prometheus.metrics.model.snapshots.HistogramSnapshot) snapshot).getDataPoints()) {
                if (point.getLabels().get("table").equals(table)) {
                    return new double[] {point.getCount(), point.getSum()};
                }
            }
        }
        return new double[2];
    }

    private static long cpuNanos(InletServer server)
    {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() + server.cpuNanos();
    }
}
