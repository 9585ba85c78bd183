/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.bench;

import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.DataType;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.logstore.client.AppendResult;
import dev.inlet.logstore.client.InletClient;
import dev.inlet.logstore.client.UpsertWriter;
import dev.inlet.logstore.client.WriterOptions;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.rocksdb.RocksDB;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * The primary-key benchmark, in one invocation: upserts into an Inlet primary-key table (server in
 * a child JVM) against raw RocksDB writes of the same rows in this JVM under comparable
 * durability, then point lookups against the loaded Inlet table at a fixed rate, open loop. Prints
 * rows/s, MB/s, the ratios Inlet/RocksDB and the lookup latency percentiles; exits with 1 when a
 * run fails. See {@code bench/README.md}.
 */
@Command(
        name = "kv-benchmark",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Primary-key tables: Inlet upserts against raw RocksDB writes of the same rows, then point-lookup latency at a fixed rate.")
public final class KvBenchmark
        implements Callable<Integer>
{
    @Option(names = "--keys", description = "Keys of the table: the insert pass writes each once (default: ${DEFAULT-VALUE}).")
    int keys = 500_000;

    @Option(names = "--updates", description = "Rows of the update pass, keys drawn uniformly from the inserted ones (default: ${DEFAULT-VALUE}).")
    int updates = 500_000;

    @Option(names = "--warmup", description = "Keys of a warm-up on other keys before the measured passes, each inserted, then as many updates of them (default: ${DEFAULT-VALUE}).")
    int warmup = 50_000;

    @Option(names = "--mode", description = "Durability: fsync, none or both (default: ${DEFAULT-VALUE}).")
    HotStoreBenchmark.ModeSelection mode = HotStoreBenchmark.ModeSelection.BOTH;

    @Option(names = "--baseline", split = ",", description = "RocksDB baselines: put, get-put (default: put,get-put).")
    List<String> baselines = List.of("put", "get-put");

    @Option(names = "--buckets", description = "Buckets of the table (and RocksDB instances of the baseline) (default: ${DEFAULT-VALUE}).")
    int buckets = 4;

    @Option(names = "--batch-rows", description = "Writer batch rows per bucket (default: ${DEFAULT-VALUE}).")
    int batchRows = 10_000;

    @Option(names = "--batch-bytes", description = "Writer batch bytes per bucket (default: ${DEFAULT-VALUE}).")
    long batchBytes = 1L << 20;

    @Option(names = "--linger-ms", description = "Writer linger (default: ${DEFAULT-VALUE}).")
    long lingerMillis = 20;

    @Option(names = "--max-in-flight-bytes", description = "Writer memory for unacknowledged batches (default: ${DEFAULT-VALUE}).")
    long maxInFlightBytes = 64L << 20;

    @Option(names = "--lookup-rate", description = "Point lookups per second (default: ${DEFAULT-VALUE}).")
    int lookupRate = 20_000;

    @Option(names = "--lookup-seconds", description = "Measured seconds of lookups (default: ${DEFAULT-VALUE}).")
    double lookupSeconds = 15;

    @Option(names = "--lookup-warmup-seconds", description = "Seconds of lookups at the same rate before the measured ones (default: ${DEFAULT-VALUE}).")
    double lookupWarmupSeconds = 5;

    @Option(names = "--lookup-batch", split = ",", description = "Keys per lookup request, as an async lookup operator batches them; several values: one lookup run each (default: 8).")
    List<Integer> lookupBatches = List.of(8);

    @Option(names = "--lookup-threads", description = "Client threads sending lookup requests, the most requests in flight (default: ${DEFAULT-VALUE}).")
    int lookupThreads = 8;

    @Option(names = "--skip-lookups", description = "Measure upserts only.")
    boolean skipLookups;

    @Option(names = "--inlet-write", description = "How the harness hands rows to Inlet: columnar (fills Arrow vectors of " + COLUMNAR_CHUNK_ROWS
            + " rows inside the timed pass, UpsertWriter.upsertBatch) or row (UpsertWriter.upsert(Object[]) per row) (default: ${DEFAULT-VALUE}).")
    String inletWrite = "columnar";

    @Option(names = "--seed", description = "Seed of the rows and the lookup keys (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--dir", description = "Where the stores keep their data, in a new subdirectory: a disk, not tmpfs (default: java.io.tmpdir).")
    Path directory;

    @Option(names = "--keep-data", description = "Keep the data and the server logs after the run.")
    boolean keepData;

    private static final int COLUMNAR_CHUNK_ROWS = 10_000;

    private KvRows.Workload workload;

    private final PrintStream out;
    private final List<String> serverJvmOptions;

    public KvBenchmark()
    {
        this(System.out, List.of());
    }

    /** @param serverJvmOptions extra flags of the server JVM (the smoke test's quicker start) */
    KvBenchmark(PrintStream out, List<String> serverJvmOptions)
    {
        this.out = requireNonNull(out, "out is null");
        this.serverJvmOptions = List.copyOf(serverJvmOptions);
    }

    public static void main(String[] args)
    {
        System.exit(new CommandLine(new KvBenchmark()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    @Override
    public Integer call()
            throws Exception
    {
        if (keys < 1 || updates < 0 || warmup < 0 || buckets < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--keys and --buckets must be positive, --updates and --warmup not negative");
        }
        for (String baseline : baselines) {
            if (!baseline.equals("put") && !baseline.equals("get-put")) {
                throw new CommandLine.ParameterException(new CommandLine(this), "unknown --baseline " + baseline + ": use put, get-put or both");
            }
        }
        Path root = directory != null
                ? Files.createTempDirectory(Files.createDirectories(directory), "inlet-kvbench-")
                : Files.createTempDirectory("inlet-kvbench-");
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

    /** One measured pass of one store. */
    /** One measured pass; {@code cpuNanos} is the CPU time of this JVM plus, for Inlet, the server's. */
    private record Pass(String store, String durability, String pass, long rows, long payloadBytes, long nanos, long cpuNanos)
    {
        double rowsPerCpuSecond()
        {
            return rows / (cpuNanos / 1e9);
        }

        double rowsPerSecond()
        {
            return rows / (nanos / 1e9);
        }

        double megabytesPerSecond()
        {
            return payloadBytes / 1e6 / (nanos / 1e9);
        }
    }

    private int run(Path root)
            throws Exception
    {
        RocksDB.loadLibrary();
        printMachine(root);
        long started = System.nanoTime();
        workload = KvRows.generate(keys, updates, warmup, seed);
        KvRows.Workload rows = workload;
        long insertPayload = KvRows.payloadBytes(rows.inserts());
        long updatePayload = KvRows.payloadBytes(rows.updates());
        out.printf(Locale.ROOT, "Rows: %,d keys inserted once (shuffled), then %,d updates of uniformly drawn keys (each finds a stored row), after a warm-up of %,d inserts and as many updates on other keys; seed %d; made in %.1f s%n",
                keys, updates, warmup, seed, (System.nanoTime() - started) / 1e9);
        out.printf(Locale.ROOT, "  10 columns: id BIGINT (primary key, bucket key), ts TIMESTAMP(3), account_id BIGINT, 2 INT, 2 DOUBLE, 3 STRING (8-24, 4-16, 80-160 chars); %.1f B of payload a row%n",
                (double) (insertPayload + updatePayload) / (keys + updates));
        out.println("  (MB = 10^6 bytes of values: 8 per BIGINT/DOUBLE/TIMESTAMP, 4 per INT, UTF-8 length per STRING)");
        out.printf(Locale.ROOT, "  writer batching per bucket: %,d rows or %,d bytes, linger %d ms, %,d bytes in flight; %d buckets; one writer thread per store%n",
                batchRows, batchBytes, lingerMillis, maxInFlightBytes, buckets);
        out.println("  Inlet: " + (columnar() ? "UpsertWriter.upsertBatch of Arrow vectors the harness fills from its rows, " + COLUMNAR_CHUNK_ROWS + " at a time, inside the timed pass,"
                : "UpsertWriter.upsert(Object[]) per row") + " against the server in a child JVM (heap " + InletServer.HEAP
                + ", G1, heap pretouched), default merge engine last_row, full changelog (-U/+U per update); a pass ends when every upsert's future completed");
        out.println("  RocksDB: the same rows written from this JVM, one RocksDB " + RocksDB.rocksdbVersion() + " per bucket with Inlet KvTablet's options (16 MiB write buffer, 2 background jobs, Bloom filters, a shared 256 MiB block cache, flushed files uncompressed and LZ4 below);");
        out.println("           key = 0x01 + 8-byte big-endian id (9 B), value = 4-byte schema id, 2-byte null bitmap, fixed-width big-endian numbers,");
        out.println("           4-byte length + UTF-8 per string (Inlet's stored-row layout), encoded inside the timed pass; a WriteBatch per bucket of the writer's batch rows/bytes");
        out.println();

        List<Pass> passes = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        List<String> durabilities = new ArrayList<>();
        List<LookupRun> lookupRuns = new ArrayList<>();
        boolean lookupsDone = skipLookups;
        for (Durability durability : modes()) {
            rows = workload();
            RocksDbBaseline.Sync sync = durability == Durability.FSYNC ? RocksDbBaseline.Sync.SYNC : RocksDbBaseline.Sync.NO_SYNC;
            for (String baseline : baselines) {
                RocksDbBaseline.Operation operation = baseline.equals("put") ? RocksDbBaseline.Operation.PUT : RocksDbBaseline.Operation.GET_PUT;
                String store = "rocksdb " + operation.label();
                Path dir = root.resolve("rocksdb-" + baseline + "-" + sync.label());
                try (RocksDbBaseline db = new RocksDbBaseline(dir, buckets, sync, operation, batchRows, batchBytes)) {
                    timed(store, sync.label(), rows, insertPayload, updatePayload, passes, db::write, KvBenchmark::harnessCpu, null);
                    if (db.get(0) == null) {
                        throw new IllegalStateException("the baseline lost key 0");
                    }
                }
                catch (Exception e) {
                    fail(failures, store + "/" + sync.label(), e);
                }
                deleteRecursively(dir);
            }
            durabilities.add("rocksdb " + sync.label() + ": " + sync.description());

            String label = "inlet/" + durability.label();
            Path dir = root.resolve("inlet-" + durability.label());
            String flush = durability == Durability.FSYNC ? "fsync" : "none";
            durabilities.add("inlet " + durability.label() + ": log.flush.policy=" + flush + (durability == Durability.FSYNC
                    ? " (the changelog is fsynced before the ack, group commit; RocksDB WAL off, the log is the WAL)"
                    : " (acked once the changelog is in the page cache; RocksDB WAL off)") + "; idempotent writer");
            try (InletServer server = InletServer.start(dir, Map.of("log.flush.policy", flush), catalog -> {
                catalog.createDatabase("bench", true);
                catalog.createTable(TablePath.parse(KvRows.TABLE), tableDescriptor(buckets), true);
            }, serverJvmOptions);
                    InletClient client = server.connect()) {
                WriterOptions options = new WriterOptions(batchRows, batchBytes, Duration.ofMillis(lingerMillis), maxInFlightBytes, true, 5, Duration.ofMinutes(2));
                timed("inlet", durability.label(), rows, insertPayload, updatePayload, passes, batch -> upsert(client, options, batch), () -> harnessCpu() + server.cpuNanos(), server::cpuNanos);
                Object[] stored = client.lookup(KvRows.TABLE, List.<Object[]>of(new Object[] {0L})).getFirst();
                if (stored == null) {
                    throw new IllegalStateException("key 0 has no row after the upserts");
                }
                if (!lookupsDone) {
                    lookupsDone = true;
                    // the rows (about 600 B each on the heap) are not needed for lookups: dropped
                    // so that the harness's collector has not them to copy in its pauses, which
                    // the lookups' latency would include; made again for the next pass
                    rows = null;
                    workload = null;
                    System.gc();
                    for (int batch : lookupBatches) {
                        String load = "%,d lookups/s of uniform keys in %d, %d keys per request, %d client threads (InletClient.lookup, one shared client), %.0f s warm-up + %.0f s measured, against the %s table"
                                .formatted(lookupRate, keys, batch, lookupThreads, lookupWarmupSeconds, lookupSeconds, durability.label());
                        out.printf(Locale.ROOT, "  [%s] lookups: %s%n", label, load);
                        long harnessCpu = harnessCpu();
                        long serverCpu = server.cpuNanos();
                        long lookupStarted = System.nanoTime();
                        LookupLoad.Result result = new LookupLoad(client, KvRows.TABLE, keys, lookupRate, batch, lookupThreads, seed).run(lookupWarmupSeconds, lookupSeconds);
                        double wall = (System.nanoTime() - lookupStarted) / 1e9;
                        String cpu = "CPU over the whole lookup run (%.1f s incl. warm-up): server %.2f cores, client %.2f cores, of %d"
                                .formatted(wall, (server.cpuNanos() - serverCpu) / 1e9 / wall, (harnessCpu() - harnessCpu) / 1e9 / wall, Runtime.getRuntime().availableProcessors());
                        out.printf(Locale.ROOT, "  [%s] lookups done: %,d measured, %.0f/s achieved, p99 %.3f ms; %s; load average now %s%n",
                                label, result.lookups().length, result.achievedRate(), result.percentile(0.99) / 1e6, cpu, BenchLake.loadAverage());
                        lookupRuns.add(new LookupRun(batch, load, cpu, result));
                    }
                }
            }
            catch (Exception e) {
                fail(failures, label, e);
            }
            if (!keepData) {
                deleteRecursively(dir);
            }
        }

        printResults(passes, durabilities, lookupRuns, failures);
        out.println();
        printLoad("end");
        return failures.isEmpty() ? 0 : 1;
    }

    /** The rows of the run, made again (the same: seeded) after the lookups dropped them. */
    private KvRows.Workload workload()
    {
        if (workload == null) {
            workload = KvRows.generate(keys, updates, warmup, seed);
        }
        return workload;
    }

    private List<Durability> modes()
    {
        return switch (mode) {
            case FSYNC -> List.of(Durability.FSYNC);
            case NONE -> List.of(Durability.NONE);
            case BOTH -> List.of(Durability.FSYNC, Durability.NONE);
        };
    }

    static TableDescriptor tableDescriptor(int buckets)
    {
        TableDescriptor.Builder table = TableDescriptor.builder().bucketCount(buckets).primaryKey(KvRows.KEY);
        int id = 1;
        for (String[] column : KvRows.COLUMNS) {
            table.column(new Column(id++, column[0], DataType.parse(column[1]), !column[0].equals(KvRows.KEY)));
        }
        return table.build();
    }

    @FunctionalInterface
    private interface Writer
    {
        void write(List<Object[]> rows)
                throws Exception;
    }

    /** Warm-up, then the timed insert and update passes. */
    private void timed(String store, String durability, KvRows.Workload rows, long insertPayload, long updatePayload, List<Pass> passes, Writer writer, LongSupplier cpu, LongSupplier serverCpu)
            throws Exception
    {
        String label = store + "/" + durability;
        if (!rows.warmup().isEmpty()) {
            long started = System.nanoTime();
            writer.write(rows.warmup());
            writer.write(rows.warmupUpdates());
            out.printf(Locale.ROOT, "  [%s] warm-up of %,d inserts and %,d updates in %.2f s%n", label, rows.warmup().size(), rows.warmupUpdates().size(), (System.nanoTime() - started) / 1e9);
        }
        long serverStarted = serverCpu == null ? 0 : serverCpu.getAsLong();
        long cpuStarted = cpu.getAsLong();
        long started = System.nanoTime();
        writer.write(rows.inserts());
        long insert = System.nanoTime() - started;
        long insertCpu = cpu.getAsLong() - cpuStarted;
        passes.add(new Pass(store, durability, "insert", rows.inserts().size(), insertPayload, insert, insertCpu));
        long update = 0;
        long updateCpu = 0;
        if (!rows.updates().isEmpty()) {
            cpuStarted = cpu.getAsLong();
            started = System.nanoTime();
            writer.write(rows.updates());
            update = System.nanoTime() - started;
            updateCpu = cpu.getAsLong() - cpuStarted;
            passes.add(new Pass(store, durability, "update", rows.updates().size(), updatePayload, update, updateCpu));
        }
        passes.add(new Pass(store, durability, "both", rows.inserts().size() + (long) rows.updates().size(), insertPayload + updatePayload, insert + update, insertCpu + updateCpu));
        String server = serverCpu == null ? "" : String.format(Locale.ROOT, " (of their CPU %.2f s, the server's %.2f s)", (insertCpu + updateCpu) / 1e9,
                (serverCpu.getAsLong() - serverStarted) / 1e9);
        out.printf(Locale.ROOT, "  [%s] insert pass %.2f s, update pass %.2f s%s; load average %s%n", label, insert / 1e9, update / 1e9, server, BenchLake.loadAverage());
    }

    private boolean columnar()
    {
        return switch (inletWrite) {
            case "columnar" -> true;
            case "row" -> false;
            default -> throw new CommandLine.ParameterException(new CommandLine(this), "--inlet-write must be columnar or row, not " + inletWrite);
        };
    }

    private void upsert(InletClient client, WriterOptions options, List<Object[]> rows)
    {
        if (columnar()) {
            upsertColumnar(client, options, rows);
            return;
        }
        List<CompletableFuture<AppendResult>> results = new ArrayList<>(rows.size());
        try (UpsertWriter writer = client.newUpsertWriter(KvRows.TABLE, null, options)) {
            for (Object[] row : rows) {
                results.add(writer.upsert(row));
            }
            writer.flush();
        }
        for (CompletableFuture<AppendResult> result : results) {
            result.join();
        }
    }

    /**
     * What an application holding its data in columns does: fills Arrow vectors of the table,
     * {@value #COLUMNAR_CHUNK_ROWS} rows at a time, with each column's typed setter, and hands each
     * chunk to the writer; the conversion from the harness's {@code Object[]} rows (unboxing, UTF-8
     * encoding) is inside the timed pass, as the RocksDB baseline's value encoding is.
     */
    private void upsertColumnar(InletClient client, WriterOptions options, List<Object[]> rows)
    {
        List<CompletableFuture<Void>> results = new ArrayList<>();
        try (BufferAllocator allocator = new RootAllocator();
                UpsertWriter writer = client.newUpsertWriter(KvRows.TABLE, null, options);
                VectorSchemaRoot chunk = VectorSchemaRoot.create(writer.table().arrowSchema(), allocator)) {
            for (int start = 0; start < rows.size(); start += COLUMNAR_CHUNK_ROWS) {
                ColumnarChunks.fill(chunk, rows, start, Math.min(COLUMNAR_CHUNK_ROWS, rows.size() - start));
                results.add(writer.upsertBatch(chunk));
            }
        }
        for (CompletableFuture<Void> r : results) {
            r.join();
        }
    }

    private void fail(List<String> failures, String label, Exception e)
    {
        failures.add(label + ": " + e);
        System.err.printf("%s failed%n", label);
        e.printStackTrace();
    }

    private record LookupRun(int batch, String load, String cpu, LookupLoad.Result result) {}

    private void printResults(List<Pass> passes, List<String> durabilities, List<LookupRun> lookupRuns, List<String> failures)
    {
        out.println();
        out.println("== Upserts (one writer thread; rows written and durable under the durability) ==");
        out.printf(Locale.ROOT, "%-16s %-10s %-7s %10s %9s %12s %8s %8s %12s%n", "store", "durability", "pass", "rows", "seconds", "rows/s", "MB/s", "cpu s", "rows/cpu-s");
        for (Pass pass : passes) {
            out.printf(Locale.ROOT, "%-16s %-10s %-7s %10d %9.2f %,12.0f %8.1f %8.2f %12s%n",
                    pass.store(), pass.durability(), pass.pass(), pass.rows(), pass.nanos() / 1e9, pass.rowsPerSecond(), pass.megabytesPerSecond(),
                    pass.cpuNanos() / 1e9, pass.cpuNanos() < 50_000_000 ? "-" : String.format(Locale.ROOT, "%,.0f", pass.rowsPerCpuSecond()));
        }
        out.println("  (cpu s: CPU time of this JVM during the pass, RocksDB's background threads included, plus for Inlet the server JVM's)");
        out.println();
        out.println("Durability settings:");
        durabilities.forEach(line -> out.println("  " + line));
        out.println("  compared: inlet fsync with rocksdb wal+sync (durable on disk before the ack / return); inlet none with rocksdb wal (page cache)");

        out.println();
        out.println("== Ratios inlet/rocksdb (rows/s; target >= 0.5) ==");
        for (Durability durability : modes()) {
            String rocksDurability = durability == Durability.FSYNC ? RocksDbBaseline.Sync.SYNC.label() : RocksDbBaseline.Sync.NO_SYNC.label();
            for (String baseline : baselines) {
                String store = "rocksdb " + (baseline.equals("put") ? "put" : "get+put");
                List<String> ratios = new ArrayList<>();
                for (String pass : List.of("insert", "update", "both")) {
                    Optional<Pass> inlet = find(passes, "inlet", durability.label(), pass);
                    Optional<Pass> rocks = find(passes, store, rocksDurability, pass);
                    if (inlet.isPresent() && rocks.isPresent()) {
                        ratios.add(String.format(Locale.ROOT, "%s %.2f", pass, inlet.get().rowsPerSecond() / rocks.get().rowsPerSecond()));
                    }
                }
                if (!ratios.isEmpty()) {
                    out.printf(Locale.ROOT, "  inlet %-5s / %-15s %-8s: %s%n", durability.label(), store, rocksDurability, String.join(", ", ratios));
                }
            }
        }

        for (LookupRun run : lookupRuns) {
            LookupLoad.Result lookups = run.result();
            out.println();
            out.println("== Point lookups (open loop; latency from each lookup's scheduled arrival to its answer) ==");
            out.println("  load: " + run.load());
            out.println("  " + run.cpu());
            out.printf(Locale.ROOT, "  %-9s %10s %9s %9s %9s %9s %9s %9s%n", "", "lookups", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "rate/s");
            long[] l = lookups.lookups();
            out.printf(Locale.ROOT, "  %-9s %10d %9.3f %9.3f %9.3f %9.3f %9.3f %,9.0f%n", "lookup", l.length,
                    ms(lookups.percentile(0.5)), ms(lookups.percentile(0.9)), ms(lookups.percentile(0.99)), ms(lookups.percentile(0.999)), ms(l.length == 0 ? 0 : l[l.length - 1]), lookups.achievedRate());
            long[] s = lookups.serviceTimes();
            out.printf(Locale.ROOT, "  %-9s %10d %9.3f %9.3f %9.3f %9.3f %9.3f %,9.0f%n", "request", s.length,
                    ms(LookupLoad.Result.percentile(s, 0.5)), ms(LookupLoad.Result.percentile(s, 0.9)), ms(LookupLoad.Result.percentile(s, 0.99)), ms(LookupLoad.Result.percentile(s, 0.999)),
                    ms(s.length == 0 ? 0 : s[s.length - 1]), lookups.achievedRate() / run.batch());
            long[] d = lookups.sendDelays();
            out.printf(Locale.ROOT, "  %-9s %10d %9.3f %9.3f %9.3f %9.3f %9.3f%n", "send wait", d.length,
                    ms(LookupLoad.Result.percentile(d, 0.5)), ms(LookupLoad.Result.percentile(d, 0.9)), ms(LookupLoad.Result.percentile(d, 0.99)), ms(LookupLoad.Result.percentile(d, 0.999)),
                    ms(d.length == 0 ? 0 : d[d.length - 1]));
            out.println("  (request: one lookup call's service time, send to answer, without the wait for its batch to fill or for a free thread;");
            out.println("   send wait: from the request's last key's arrival to its send, the wait for a free thread and that thread's wake-up)");
            out.printf(Locale.ROOT, "  target p99 <= 2 ms at %,d lookups/s: %s%n", lookupRate,
                    lookups.percentile(0.99) <= 2_000_000 && !lookups.lagged() && lookups.achievedRate() >= lookupRate * 0.98 ? "met" : "missed");
            if (lookups.missing() > 0) {
                out.printf(Locale.ROOT, "  WRONG: %,d lookups found no row or another key's%n", lookups.missing());
            }
            if (lookups.lagged()) {
                out.printf(Locale.ROOT, "  STOPPED EARLY: requests fell more than %d s behind the schedule: the store does not sustain %,d lookups/s here%n",
                        LookupLoad.MAX_LAG_NANOS / 1_000_000_000L, lookupRate);
            }
            if (lookups.warmupIncluded()) {
                out.println("  (the run stopped before the measured window: the figures are of every answered lookup, warm-up included, and the rate is answered lookups per second since the start)");
            }
        }
        if (!failures.isEmpty()) {
            out.println();
            out.println("== FAILED (stack traces on standard error) ==");
            failures.forEach(line -> out.println("  " + line));
        }
    }

    /** CPU time of this JVM, every thread (RocksDB's native background threads included). */
    private static long harnessCpu()
    {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double ms(long nanos)
    {
        return nanos / 1e6;
    }

    private static Optional<Pass> find(List<Pass> passes, String store, String durability, String pass)
    {
        return passes.stream().filter(p -> p.store().equals(store) && p.durability().equals(durability) && p.pass().equals(pass)).findFirst();
    }

    private void printMachine(Path root)
            throws IOException
    {
        FileStore store = Files.getFileStore(root);
        out.println("== Inlet primary-key benchmark ==");
        out.printf(Locale.ROOT, "Machine: %d cores (%s), %s memory; %s %s%n",
                Runtime.getRuntime().availableProcessors(), firstLine("/proc/cpuinfo", "model name"), memory(),
                System.getProperty("os.name"), System.getProperty("os.version"));
        out.printf(Locale.ROOT, "JDK: %s %s; harness heap max %,d MiB%n", System.getProperty("java.vm.vendor"), System.getProperty("java.runtime.version"), Runtime.getRuntime().maxMemory() >> 20);
        out.printf(Locale.ROOT, "Data: %s (%s on %s)%n", root, store.type(), store.name());
        printLoad("start");
        if (store.type().equals("tmpfs") || store.type().equals("ramfs")) {
            out.println("  WARNING: the data directory is in memory: fsync costs nothing there. Use --dir on a disk.");
        }
    }

    private void printLoad(String when)
    {
        try {
            String[] load = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            out.printf(Locale.ROOT, "Load average at %s: %s %s %s (1, 5, 15 min)%n", when, load[0], load[1], load[2]);
        }
        catch (IOException | RuntimeException _) {
            // not Linux
        }
    }

    private static String memory()
    {
        try {
            return "%.1f GiB".formatted(Long.parseLong(firstLine("/proc/meminfo", "MemTotal").replaceAll("\\D", "")) / 1024.0 / 1024.0);
        }
        catch (RuntimeException _) {
            return "unknown";
        }
    }

    private static String firstLine(String file, String prefix)
    {
        try (Stream<String> lines = Files.lines(Path.of(file))) {
            return lines.filter(line -> line.startsWith(prefix)).map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
        }
        catch (IOException | RuntimeException _) {
            return "unknown";
        }
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
