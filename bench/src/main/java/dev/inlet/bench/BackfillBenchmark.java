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
import dev.inlet.catalog.model.TablePath;
import dev.inlet.tiering.backfill.Backfill;
import org.apache.iceberg.Schema;
import org.apache.iceberg.aws.s3.S3FileIO;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.FileAppender;
import org.apache.iceberg.parquet.Parquet;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The backfill benchmark, in one invocation: {@code inlet backfill}'s engine loading Parquet
 * files of N rows from S3 into a Paimon and an Iceberg table, against each library's own writer
 * writing the same rows, held as Java objects, into a table of the same definition (target: the
 * backfill at least 0.8 of the raw writer's rows/s). The backfill also lists, reads and decodes
 * its source files; the raw writer starts from rows in memory.
 */
@Command(name = "backfill-benchmark", mixinStandardHelpOptions = true,
        description = "Backfill throughput (Parquet files on S3 into a lake table) against the raw Paimon and Iceberg writers on the same rows.")
public final class BackfillBenchmark
        implements Callable<Integer>
{
    @Option(names = "--rows", description = "Rows of each measured backfill (default: ${DEFAULT-VALUE}).")
    int rows = 300_000;

    @Option(names = "--files", description = "Source files the rows are split into (default: ${DEFAULT-VALUE}).")
    int files = 4;

    @Option(names = "--warmup", description = "Rows of an untimed backfill and raw write before the measured ones (default: ${DEFAULT-VALUE}).")
    int warmup = 100_000;

    @Option(names = "--repeats", description = "Measured backfills and raw writes per format, alternating; the fastest of each counts (default: ${DEFAULT-VALUE}).")
    int repeats = 5;

    @Option(names = "--formats", split = ",", description = "Lake formats (default: paimon,iceberg).")
    List<String> formats = List.of("paimon", "iceberg");

    @Option(names = "--buckets", description = "Buckets of the tables (default: ${DEFAULT-VALUE}).")
    int buckets = 4;

    @Option(names = "--dir", description = "Where the S3 store and catalog keep their data, in a new subdirectory (default: java.io.tmpdir).")
    Path directory;

    @Option(names = "--seed", description = "Seed of the rows (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    private final PrintStream out = System.out;

    public static void main(String[] args)
    {
        System.exit(new CommandLine(new BackfillBenchmark()).execute(args));
    }

    private record Pass(String format, String what, long rows, long nanos) {}

    @Override
    public Integer call()
            throws Exception
    {
        Path root = Files.createTempDirectory(directory == null ? Path.of(System.getProperty("java.io.tmpdir")) : directory, "inlet-backfillbench-");
        out.printf(Locale.ROOT, "== Inlet backfill benchmark ==%nMachine: %d cores; JDK %s; data %s%nLoad average at start: %s%n", Runtime.getRuntime().availableProcessors(),
                Runtime.version(), root, BenchLake.loadAverage());
        List<Object[]> all = RowGenerator.generate(warmup + rows, seed);
        List<Object[]> warm = all.subList(0, warmup);
        List<Object[]> measured = all.subList(warmup, all.size());
        out.printf(Locale.ROOT, "Rows: %,d measured after %,d warm-up, %d columns (BenchSchema), %.0f B of payload a row, in %d Parquet files; %d buckets%n", rows, warmup,
                BenchSchema.COLUMNS.size(), (double) BenchSchema.payloadBytes(measured) / rows, files, buckets);
        out.println("  backfill: Backfill.run of a log table from s3://bench-src/<run>/ (lists, reads and decodes the Parquet files, writes with the lake writer tiering uses, one commit under the lease)");
        out.println("  raw:      the same rows as Java objects written with the library's own writer into a table of the same definition, one commit");
        out.println();
        List<Pass> passes = new ArrayList<>();
        try (BenchLake lake = BenchLake.start(root.resolve("s3"))) {
            Map<String, String> settings = new HashMap<>(lake.settings());
            settings.put("data-dir", root.resolve("inlet").toString());
            InletConfig config = InletConfig.of(settings);
            try (InletCatalog catalog = new InletCatalog(CatalogSettings.fromConfig(config)); S3FileIO io = new S3FileIO()) {
                io.initialize(catalog.settings().s3().icebergProperties());
                try (var s3 = catalog.settings().s3().newClient()) {
                    s3.createBucket(b -> b.bucket("bench-src"));
                }
                catalog.createDatabase("bench", true);
                for (String format : formats) {
                    for (String kind : List.of("backfill", "raw")) {
                        catalog.createTable(TablePath.parse("bench." + kind + "_" + format), BenchLake.table(LakeFormat.parse(format), buckets, false), true);
                    }
                }
                // the source files' schema: the benchmark table's, as Iceberg writes it
                catalog.createTable(TablePath.parse("bench.source_schema"), BenchLake.table(LakeFormat.ICEBERG, buckets, false), true);
                Schema schema = icebergSchema(catalog);
                Backfill backfill = new Backfill(catalog, config, () -> {
                    throw new IllegalStateException("a log table's backfill needs no hot store");
                }, Backfill.Hooks.NONE);
                int run = 0;
                for (String format : formats) {
                    String target = "bench.backfill_" + format;
                    String raw = "bench.raw_" + format;
                    // warm-up: the same code paths, untimed
                    String warmFolder = writeSources(io, schema, "run-" + run++, warm);
                    load(backfill, target, warmFolder, warmup);
                    writeRaw(catalog, format, raw, warm);
                    out.printf(Locale.ROOT, "  [%s] warm-up done; load average %s%n", format, BenchLake.loadAverage());
                    for (int repeat = 0; repeat < repeats; repeat++) {
                        // a new folder each time: a backfill of files loaded already loads nothing
                        String folder = writeSources(io, schema, "run-" + run++, measured);
                        long started = System.nanoTime();
                        load(backfill, target, folder, rows);
                        Pass loaded = new Pass(format, "backfill", rows, System.nanoTime() - started);
                        started = System.nanoTime();
                        writeRaw(catalog, format, raw, measured);
                        Pass written = new Pass(format, "raw", rows, System.nanoTime() - started);
                        out.printf(Locale.ROOT, "  [%s] pass %d: backfill %.2f s, raw %.2f s; load average %s%n", format, repeat + 1, loaded.nanos() / 1e9, written.nanos() / 1e9,
                                BenchLake.loadAverage());
                        passes.add(loaded);
                        passes.add(written);
                    }
                }
            }
        }
        print(passes);
        out.printf(Locale.ROOT, "%nLoad average at end: %s%n", BenchLake.loadAverage());
        return 0;
    }

    private static void load(Backfill backfill, String table, String from, long expectedRows)
    {
        Backfill.Result result = backfill.run(new Backfill.Request(TablePath.parse(table), from, Optional.empty(), Map.of(), Backfill.Mode.APPEND, 1, false, false,
                Path.of("rejects.jsonl"), false), progress -> {});
        if (result.rows() != expectedRows) {
            throw new IllegalStateException("the backfill loaded " + result.rows() + " rows, expected " + expectedRows);
        }
    }

    /** The benchmark table's Iceberg schema: the source files carry the same column names and types. */
    private static Schema icebergSchema(InletCatalog catalog)
    {
        return ((IcebergLakeBridge) catalog.bridge(LakeFormat.ICEBERG)).loadTable(TablePath.parse("bench.source_schema")).schema();
    }

    /** Writes the rows as {@code --files} Parquet files under {@code s3://bench-src/<folder>/}; returns the folder. */
    private String writeSources(S3FileIO io, Schema schema, String folder, List<Object[]> rows)
            throws Exception
    {
        int per = (rows.size() + files - 1) / files;
        for (int f = 0; f < files; f++) {
            try (FileAppender<Record> writer = Parquet.write(io.newOutputFile("s3://bench-src/" + folder + "/part-" + f + ".parquet")).schema(schema)
                    .createWriterFunc(GenericParquetWriter::create).overwrite().build()) {
                for (Object[] row : rows.subList(f * per, Math.min(rows.size(), (f + 1) * per))) {
                    GenericRecord record = GenericRecord.create(schema);
                    for (int i = 0; i < row.length; i++) {
                        record.set(i, row[i]);
                    }
                    writer.add(record);
                }
            }
        }
        return "s3://bench-src/" + folder + "/";
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
        out.println("== Backfill against the raw writer (one thread; rows/s of one load + commit; fastest of " + repeats + ") ==");
        out.printf(Locale.ROOT, "%-8s %-9s %10s %9s %12s%n", "format", "writer", "rows", "seconds", "rows/s");
        for (String format : formats) {
            for (String what : List.of("backfill", "raw")) {
                Pass p = fastest(passes, format, what);
                out.printf(Locale.ROOT, "%-8s %-9s %,10d %9.2f %,12.0f%n", p.format(), p.what(), p.rows(), p.nanos() / 1e9, p.rows() / (p.nanos() / 1e9));
            }
        }
        out.println();
        out.println("== Ratio backfill/raw (rows/s; target >= 0.8) ==");
        for (String format : formats) {
            double ratio = (double) fastest(passes, format, "raw").nanos() / fastest(passes, format, "backfill").nanos();
            out.printf(Locale.ROOT, "  %-8s %.2f  %s%n", format, ratio, ratio >= 0.8 ? "met" : "missed");
        }
    }

    private static Pass fastest(List<Pass> passes, String format, String what)
    {
        return passes.stream().filter(p -> p.format().equals(format) && p.what().equals(what)).min(java.util.Comparator.comparingLong(Pass::nanos)).orElseThrow();
    }
}
