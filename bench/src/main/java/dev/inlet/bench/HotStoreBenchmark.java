/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * The hot-store ingest benchmark: Inlet against an Apache Kafka 4.4 broker started in the same run
 * on this machine, with the same rows, bucket count, client batching and a stated durability mode;
 * then a full fetch against a pruned fetch (2 of 20 columns). Prints rows/s, MB/s (10^6 bytes of
 * row payload, {@link BenchSchema#payloadBytes(Object[])}) and the ratios; exits with 1 when a run
 * fails. See {@code bench/README.md}.
 */
@Command(
        name = "hot-store-benchmark",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Hot-store ingest and fetch: Inlet against Apache Kafka 4.4, both started on this machine in this run.")
public final class HotStoreBenchmark
        implements Callable<Integer>
{
    /** Which durability modes a run measures. */
    public enum ModeSelection
    {
        FSYNC(List.of(Durability.FSYNC)),
        NONE(List.of(Durability.NONE)),
        BOTH(List.of(Durability.FSYNC, Durability.NONE));

        private final List<Durability> modes;

        ModeSelection(List<Durability> modes)
        {
            this.modes = modes;
        }
    }

    @Option(names = "--rows", description = "Rows of the measured ingest pass (default: ${DEFAULT-VALUE}).")
    int rows = 500_000;

    @Option(names = "--warmup", description = "Rows of the warm-up ingest pass before it, into the same table (default: ${DEFAULT-VALUE}).")
    int warmupRows = 50_000;

    @Option(names = "--mode",
            description = "Durability: fsync (fsync before ack), none (page cache), both (default: ${DEFAULT-VALUE}).")
    ModeSelection mode = ModeSelection.BOTH;

    @Option(names = "--buckets", description = "Inlet buckets = Kafka partitions (default: ${DEFAULT-VALUE}).")
    int buckets = 4;

    @Option(names = "--batch-bytes", description = "Client batch size per bucket in bytes (default: ${DEFAULT-VALUE}).")
    int batchBytes = 1 << 20;

    @Option(names = "--batch-rows", description = "Client batch size per bucket in rows, Inlet only (default: ${DEFAULT-VALUE}).")
    int batchRows = 10_000;

    @Option(names = "--linger-ms", description = "Client linger (default: ${DEFAULT-VALUE}).")
    long lingerMillis = 20;

    @Option(names = "--max-in-flight-bytes", description = "Client memory for unacknowledged batches (default: ${DEFAULT-VALUE}).")
    long maxInFlightBytes = 64L << 20;

    @Option(names = "--fetch-bytes-per-bucket", description = "Bytes one fetch of one bucket may return (default: ${DEFAULT-VALUE}).")
    int fetchBytesPerBucket = 8 << 20;

    @Option(names = "--skip-fetch", description = "Measure ingest only.")
    boolean skipFetch;

    @Option(names = "--fetch-repeats", description = "Timed passes of each fetch; the fastest is reported, every pass is printed (default: ${DEFAULT-VALUE}).")
    int fetchRepeats = 3;

    @Option(names = "--inlet-append", description = "How the Inlet target hands rows to its writer: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    TargetConfig.InletAppend inletAppend = TargetConfig.InletAppend.COLUMNAR;

    @Option(names = "--target", split = ",", description = "Targets to run, of kafka and inlet (default: every target that is built).")
    List<String> targetNames = List.of();

    @Option(names = "--seed", description = "Seed of the row generator (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--dir", description = "Where the servers keep their data, in a new subdirectory: a disk, not tmpfs (default: java.io.tmpdir).")
    Path directory;

    @Option(names = "--keep-data", description = "Keep the servers' data and logs after the run.")
    boolean keepData;

    @Option(names = "--kafka-heap", description = "Heap of the Kafka broker JVM (default: ${DEFAULT-VALUE}, as kafka-server-start.sh).")
    String kafkaHeap = "1g";

    private final PrintStream out;

    public HotStoreBenchmark()
    {
        this(System.out);
    }

    HotStoreBenchmark(PrintStream out)
    {
        this.out = requireNonNull(out, "out is null");
    }

    public static void main(String[] args)
    {
        System.exit(new CommandLine(new HotStoreBenchmark()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    @Override
    public Integer call()
            throws Exception
    {
        if (rows < 1 || warmupRows < 0) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--rows must be positive and --warmup not negative");
        }
        for (String name : targetNames) {
            if (!name.equals("kafka") && !name.equals("inlet")) {
                throw new CommandLine.ParameterException(new CommandLine(this), "unknown --target " + name + ": use kafka, inlet or both");
            }
        }
        // always a new directory of our own, even under --dir, so that deleting it deletes nothing else
        Path root = directory != null
                ? Files.createTempDirectory(Files.createDirectories(directory), "inlet-bench-")
                : Files.createTempDirectory("inlet-bench-");
        try {
            return run(root);
        }
        finally {
            if (keepData) {
                out.println("Data kept in " + root);
            }
            else {
                deleteRecursively(root);
            }
        }
    }

    private int run(Path root)
            throws IOException
    {
        printMachine(root);

        long started = System.nanoTime();
        List<Object[]> all = RowGenerator.generate(warmupRows + rows, seed);
        List<Object[]> warmup = all.subList(0, warmupRows);
        List<Object[]> measured = all.subList(warmupRows, all.size());
        long measuredPayload = BenchSchema.payloadBytes(measured);
        long tablePayload = BenchSchema.payloadBytes(all);
        long prunedPayload = BenchSchema.payloadBytes(all, BenchSchema.PRUNED_COLUMNS);
        long recordBytes = 0;
        for (Object[] row : measured) {
            recordBytes += RowCodec.encode(row).length;
        }
        out.printf(Locale.ROOT, "Rows: %,d measured + %,d warm-up, 20 columns (4 BIGINT/TIMESTAMP(3), 4 INT, 4 DOUBLE, 8 STRING), seed %d, made in %.1f s%n",
                rows, warmupRows, seed, seconds(System.nanoTime() - started));
        out.printf(Locale.ROOT, "  payload: %,.1f B/row on average, %,.1f MB measured (MB = 10^6 bytes of values: 8 per BIGINT/DOUBLE/TIMESTAMP, 4 per INT, UTF-8 length per STRING)%n",
                (double) measuredPayload / rows, measuredPayload / 1e6);
        out.printf(Locale.ROOT, "  Kafka record: key = id (8 bytes), value = length-prefixed binary (RowCodec: null bitmap, fixed-width numbers, 4-byte length + UTF-8 per string), %,.1f B on average; no compression%n",
                (double) recordBytes / rows);
        if (fetchRepeats < 1) {
            throw new IllegalArgumentException("--fetch-repeats must be at least 1");
        }
        TargetConfig base = new TargetConfig(root, buckets, Durability.FSYNC, batchBytes, batchRows, Duration.ofMillis(lingerMillis), maxInFlightBytes, fetchBytesPerBucket, inletAppend);
        out.printf(Locale.ROOT, "  table: %d buckets routed by %s; client batch %,d bytes or %,d rows per bucket, linger %d ms, %,d bytes in flight; fetch %,d bytes per bucket%n",
                buckets, BenchSchema.BUCKET_KEY, batchBytes, batchRows, lingerMillis, maxInFlightBytes, fetchBytesPerBucket);
        out.printf(Locale.ROOT, "  Inlet append API: %s; fetches: fastest of %d timed passes each (after a warm-up pass)%n",
                inletAppend == TargetConfig.InletAppend.COLUMNAR ? "columnar (application builds Arrow vectors in the timed pass, AppendWriter.appendBatch)" : "row (AppendWriter.append(Object[]))",
                fetchRepeats);
        out.println();

        List<NamedTarget> targets = new ArrayList<>();
        if (selected("kafka")) {
            targets.add(new NamedTarget("kafka", Targets.kafka(kafkaHeap)));
        }
        Optional<Supplier<IngestTarget>> inlet = Targets.inlet();
        boolean inletMissing = inlet.isEmpty() && selected("inlet");
        if (inletMissing) {
            out.println("Inlet: the Inlet side is not built yet (no " + Targets.INLET_TARGET_CLASS + " on the class path): running Kafka only.");
            out.println();
        }
        else if (inlet.isPresent() && selected("inlet")) {
            targets.add(new NamedTarget("inlet", inlet.get()));
        }

        List<IngestResult> ingests = new ArrayList<>();
        List<FetchResult> fetches = new ArrayList<>();
        List<String> durabilities = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        boolean failed = false;
        for (NamedTarget target : targets) {
            boolean fetchDone = skipFetch;
            for (Durability durability : mode.modes) {
                TargetConfig config = base.withDurability(durability).withDirectory(root.resolve(target.name() + "-" + durability.label()));
                Session session = new Session(target, config, warmup, measured, measuredPayload, tablePayload, prunedPayload, !fetchDone);
                failed |= !session.run(ingests, fetches, durabilities, failures);
                fetchDone = true;
                if (!keepData) {
                    deleteRecursively(config.directory());
                }
            }
        }

        printResults(ingests, fetches, durabilities, failures, inletMissing);
        out.println();
        printLoad("end");
        return failed ? 1 : 0;
    }

    private boolean selected(String name)
    {
        return targetNames.isEmpty() || targetNames.contains(name);
    }

    /** One target in one durability mode: start, warm-up ingest, measured ingest, fetches, close. */
    private final class Session
    {
        private final NamedTarget target;
        private final TargetConfig config;
        private final List<Object[]> warmup;
        private final List<Object[]> measured;
        private final long measuredPayload;
        private final long tablePayload;
        private final long prunedPayload;
        private final boolean fetch;

        Session(NamedTarget target, TargetConfig config, List<Object[]> warmup, List<Object[]> measured, long measuredPayload, long tablePayload, long prunedPayload, boolean fetch)
        {
            this.target = target;
            this.config = config;
            this.warmup = warmup;
            this.measured = measured;
            this.measuredPayload = measuredPayload;
            this.tablePayload = tablePayload;
            this.prunedPayload = prunedPayload;
            this.fetch = fetch;
        }

        /** Runs the session, adds its results; false if it failed (the failure is printed and recorded). */
        boolean run(List<IngestResult> ingests, List<FetchResult> fetches, List<String> durabilities, List<String> failures)
        {
            String label = target.name() + "/" + config.durability().label();
            String stage = "start";
            boolean ingested = false;
            try (IngestTarget store = target.maker().get()) {
                durabilities.add(label + ": " + store.durability(config.durability(), config));
                progress(label, "starting");
                long started = System.nanoTime();
                store.start(config);
                progress(label, "started in %.1f s".formatted(seconds(System.nanoTime() - started)));

                if (!warmup.isEmpty()) {
                    stage = "warm-up ingest";
                    started = System.nanoTime();
                    store.ingest(warmup);
                    progress(label, "warm-up ingest of %,d rows in %.2f s".formatted(warmup.size(), seconds(System.nanoTime() - started)));
                }

                stage = "ingest";
                started = System.nanoTime();
                store.ingest(measured);
                long elapsed = System.nanoTime() - started;
                IngestResult result = new IngestResult(target.name(), config.durability(), measured.size(), measuredPayload, elapsed, null);
                ingests.add(result);
                ingested = true;
                progress(label, "measured ingest of %,d rows in %.2f s".formatted(measured.size(), seconds(elapsed)));
                String notes = store.describeLastIngest();
                if (!notes.isEmpty()) {
                    progress(label, notes);
                }

                if (fetch && store instanceof FetchTarget fetchTarget) {
                    long tableRows = warmup.size() + (long) measured.size();
                    stage = "warm-up full fetch";
                    checkRows(stage, fetchTarget.fullFetch(), tableRows);
                    stage = "full fetch";
                    fetches.add(timeFetch(label, stage, () -> fetchTarget.fullFetch(), tableRows, tablePayload, 20, config.durability()));
                    if (fetchTarget.supportsColumnPruning()) {
                        stage = "warm-up pruned fetch";
                        checkRows(stage, fetchTarget.prunedFetch(BenchSchema.PRUNED_COLUMNS), tableRows);
                        stage = "pruned fetch";
                        fetches.add(timeFetch(label, stage, () -> fetchTarget.prunedFetch(BenchSchema.PRUNED_COLUMNS), tableRows, prunedPayload, BenchSchema.PRUNED_COLUMNS.size(), config.durability()));
                    }
                }
                stage = "close";
            }
            catch (Exception | Error e) {
                if (!ingested) {
                    ingests.add(new IngestResult(target.name(), config.durability(), measured.size(), measuredPayload, 0, stage + " failed"));
                }
                failures.add("%s: %s failed: %s".formatted(label, stage, e));
                System.err.printf("%s: %s failed%n", label, stage);
                e.printStackTrace();
                return false;
            }
            return true;
        }

        /** The fastest of {@code fetchRepeats} passes: the one least slowed by other work on the machine. */
        private FetchResult timeFetch(String label, String stage, FetchCall call, long tableRows, long payload, int columns, Durability durability)
                throws Exception
        {
            long fastest = Long.MAX_VALUE;
            List<String> passes = new ArrayList<>();
            long read = 0;
            for (int pass = 0; pass < fetchRepeats; pass++) {
                long started = System.nanoTime();
                read = call.fetch();
                long elapsed = System.nanoTime() - started;
                checkRows(stage, read, tableRows);
                fastest = Math.min(fastest, elapsed);
                passes.add(String.format(Locale.ROOT, "%.2f", seconds(elapsed)));
            }
            progress(label, "%s of %,d rows in %s s (fastest counts)".formatted(stage, read, String.join(" / ", passes)));
            return new FetchResult(target.name(), stage, columns, read, payload, fastest, durability);
        }

        private void checkRows(String stage, long read, long expected)
                throws IOException
        {
            if (read != expected) {
                throw new IOException(stage + " read " + read + " rows, the table has " + expected);
            }
        }
    }

    @FunctionalInterface
    private interface FetchCall
    {
        long fetch()
                throws Exception;
    }

    private record NamedTarget(String name, Supplier<IngestTarget> maker) {}

    private record IngestResult(String target, Durability durability, long rows, long payloadBytes, long nanos, String failure)
    {
        double rowsPerSecond()
        {
            return rows / seconds(nanos);
        }

        double megabytesPerSecond()
        {
            return payloadBytes / 1e6 / seconds(nanos);
        }
    }

    private record FetchResult(String target, String fetch, int columns, long rows, long payloadBytes, long nanos, Durability tableDurability)
    {
        double rowsPerSecond()
        {
            return rows / seconds(nanos);
        }

        double megabytesPerSecond()
        {
            return payloadBytes / 1e6 / seconds(nanos);
        }
    }

    private void printResults(List<IngestResult> ingests, List<FetchResult> fetches, List<String> durabilities, List<String> failures, boolean inletMissing)
    {
        out.println();
        out.println("== Ingest (measured pass; rows acknowledged under the durability mode) ==");
        out.printf(Locale.ROOT, "%-7s %-10s %10s %9s %12s %9s%n", "target", "durability", "rows", "seconds", "rows/s", "MB/s");
        for (IngestResult result : ingests) {
            if (result.failure() != null) {
                out.printf(Locale.ROOT, "%-7s %-10s FAILED: %s%n", result.target(), result.durability().label(), result.failure());
            }
            else {
                out.printf(Locale.ROOT, "%-7s %-10s %10d %9.2f %,12.0f %9.1f%n",
                        result.target(), result.durability().label(), result.rows(), seconds(result.nanos()), result.rowsPerSecond(), result.megabytesPerSecond());
            }
        }
        if (inletMissing) {
            out.printf(Locale.ROOT, "%-7s %-10s not built yet%n", "inlet", "-");
        }
        out.println();
        out.println("Durability settings:");
        durabilities.forEach(line -> out.println("  " + line));

        if (!fetches.isEmpty()) {
            out.println();
            out.printf(Locale.ROOT, "== Fetch (every row of the table written in the %s session, read from the start of every bucket) ==%n",
                    fetches.getFirst().tableDurability().label());
            out.printf(Locale.ROOT, "%-7s %-13s %8s %10s %9s %12s %9s%n", "target", "fetch", "columns", "rows", "seconds", "rows/s", "MB/s");
            for (FetchResult result : fetches) {
                out.printf(Locale.ROOT, "%-7s %-13s %8s %10d %9.2f %,12.0f %9.1f%n",
                        result.target(), result.fetch(), result.columns() + "/20", result.rows(), seconds(result.nanos()), result.rowsPerSecond(), result.megabytesPerSecond());
            }
            out.println("  (MB = payload of the columns returned; Kafka cannot prune columns: its full fetch is the reference)");
        }

        out.println();
        out.println("== Ratios ==");
        boolean printed = false;
        for (Durability durability : mode.modes) {
            Optional<IngestResult> inlet = find(ingests, "inlet", durability);
            Optional<IngestResult> kafka = find(ingests, "kafka", durability);
            if (inlet.isPresent() && kafka.isPresent()) {
                out.printf(Locale.ROOT, "  ingest inlet/kafka, %s: %.2f (rows/s)%n", durability.label(), inlet.get().rowsPerSecond() / kafka.get().rowsPerSecond());
                printed = true;
            }
        }
        Optional<FetchResult> inletFull = find(fetches, "inlet", "full fetch");
        Optional<FetchResult> inletPruned = find(fetches, "inlet", "pruned fetch");
        Optional<FetchResult> kafkaFull = find(fetches, "kafka", "full fetch");
        if (inletFull.isPresent() && inletPruned.isPresent()) {
            out.printf(Locale.ROOT, "  fetch inlet pruned/full (2 of 20 columns): %.2f (rows/s)%n", inletPruned.get().rowsPerSecond() / inletFull.get().rowsPerSecond());
            printed = true;
        }
        if (inletFull.isPresent() && kafkaFull.isPresent()) {
            out.printf(Locale.ROOT, "  fetch inlet full/kafka full: %.2f (rows/s)%n", inletFull.get().rowsPerSecond() / kafkaFull.get().rowsPerSecond());
            printed = true;
        }
        if (inletPruned.isPresent() && kafkaFull.isPresent()) {
            out.printf(Locale.ROOT, "  fetch inlet pruned/kafka full: %.2f (rows/s)%n", inletPruned.get().rowsPerSecond() / kafkaFull.get().rowsPerSecond());
            printed = true;
        }
        if (!printed) {
            out.println(inletMissing ? "  none: the Inlet side is not built yet (Kafka figures above are the baseline)" : "  none: a ratio needs both targets' results");
        }
        if (!failures.isEmpty()) {
            out.println();
            out.println("== FAILED (stack traces on standard error) ==");
            failures.forEach(line -> out.println("  " + line));
        }
    }

    private static Optional<IngestResult> find(List<IngestResult> results, String target, Durability durability)
    {
        return results.stream()
                .filter(result -> result.failure() == null && result.target().equals(target) && result.durability() == durability)
                .findFirst();
    }

    private static Optional<FetchResult> find(List<FetchResult> results, String target, String fetch)
    {
        return results.stream()
                .filter(result -> result.target().equals(target) && result.fetch().equals(fetch))
                .findFirst();
    }

    private void printMachine(Path root)
            throws IOException
    {
        FileStore store = Files.getFileStore(root);
        out.println("== Inlet hot-store benchmark ==");
        out.printf(Locale.ROOT, "Machine: %d cores (%s), %s memory; %s %s%n",
                Runtime.getRuntime().availableProcessors(), cpuModel(), memoryTotal(), System.getProperty("os.name"), System.getProperty("os.version"));
        out.printf(Locale.ROOT, "JDK: %s %s (%s); harness heap max %,d MiB%n",
                System.getProperty("java.vm.vendor"), System.getProperty("java.runtime.version"), System.getProperty("java.vm.name"), Runtime.getRuntime().maxMemory() >> 20);
        out.printf(Locale.ROOT, "Data: %s (%s on %s)%n", root, store.type(), store.name());
        printLoad("start");
        if (store.type().equals("tmpfs") || store.type().equals("ramfs")) {
            out.println("  WARNING: the data directory is in memory: fsync costs nothing there, so the fsync mode measures nothing. Use --dir on a disk.");
        }
    }

    /**
     * The load average, because the figures mean little when other processes share the cores: on
     * a 2-core machine a load of 4 leaves the benchmark about half the CPU it would have alone.
     */
    private void printLoad(String when)
    {
        try {
            String[] load = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            double oneMinute = Double.parseDouble(load[0]);
            out.printf(Locale.ROOT, "Load average at %s: %s %s %s (1, 5, 15 min)%n", when, load[0], load[1], load[2]);
            if (when.equals("start") && oneMinute > Runtime.getRuntime().availableProcessors() * 0.5) {
                out.println("  WARNING: other processes are using the CPU; the figures will be lower and noisier than on an idle machine.");
            }
        }
        catch (IOException | RuntimeException _) {
            // not Linux: nothing to print
        }
    }

    private static String cpuModel()
    {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse("unknown CPU");
        }
        catch (IOException | RuntimeException _) {
            return "unknown CPU";
        }
    }

    private static String memoryTotal()
    {
        try (Stream<String> lines = Files.lines(Path.of("/proc/meminfo"))) {
            return lines.filter(line -> line.startsWith("MemTotal:"))
                    .map(line -> Long.parseLong(line.replaceAll("\\D", "")))
                    .map(kib -> "%.1f GiB".formatted(kib / 1024.0 / 1024.0))
                    .findFirst()
                    .orElse("unknown");
        }
        catch (IOException | RuntimeException _) {
            return "unknown";
        }
    }

    private void progress(String label, String message)
    {
        out.printf(Locale.ROOT, "  [%s] %s%n", label, message);
    }

    private static double seconds(long nanos)
    {
        return nanos / 1e9;
    }

    private static void deleteRecursively(Path root)
            throws IOException
    {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
