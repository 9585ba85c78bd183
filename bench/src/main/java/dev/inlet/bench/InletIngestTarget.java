/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.bench;

import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.DataType;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.logstore.client.AppendResult;
import dev.inlet.logstore.client.AppendWriter;
import dev.inlet.logstore.client.InletClient;
import dev.inlet.logstore.client.LogScanner;
import dev.inlet.logstore.client.ScanBatch;
import dev.inlet.logstore.client.ScanOptions;
import dev.inlet.logstore.client.StartPosition;
import dev.inlet.logstore.client.WriterOptions;
import dev.inlet.logstore.protocol.Actions;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Inlet's side of the hot-store benchmark: a hot-store server in its own JVM (same heap and the
 * same machine as the Kafka broker), a log table of the benchmark's 20 columns bucketed by
 * {@code id}, Inlet's {@link AppendWriter} with the harness's batching, and {@link LogScanner}
 * for the full and the pruned fetch (the server sends only the requested columns).
 */
public final class InletIngestTarget
        implements IngestTarget, FetchTarget
{
    private static final String TABLE = "bench.events";
    static final int COLUMNAR_CHUNK_ROWS = 10_000;

    private InletServer server;
    private InletClient client;
    private TargetConfig config;
    private long lastAcknowledgedRows;

    @Override
    public String name()
    {
        return "inlet";
    }

    @Override
    public String durability(Durability mode, TargetConfig config)
    {
        String api = switch (config.inletAppend()) {
            case ROW -> "rows appended one at a time (AppendWriter.append(Object[]))";
            case COLUMNAR -> "columnar append (the application builds Arrow vectors of " + COLUMNAR_CHUNK_ROWS
                    + " rows from its rows inside the timed pass; AppendWriter.appendBatch routes and copies them unboxed)";
        };
        return switch (mode) {
            case FSYNC -> "log.flush.policy=fsync: acked after fsync, group commit; idempotent writer; batches of " + config.batchRows() + " rows / "
                    + config.batchBytes() + " B, linger " + config.linger().toMillis() + " ms; " + api;
            case NONE -> "log.flush.policy=none: acked once in the page cache; idempotent writer; same batching; " + api;
        };
    }

    @Override
    public void start(TargetConfig config)
            throws Exception
    {
        this.config = config;
        Path dir = config.directory();
        Files.createDirectories(dir);
        // the same child JVM the key-value benchmark starts: InletServer owns how
        server = InletServer.start(dir, java.util.Map.of("log.flush.policy", config.durability() == Durability.FSYNC ? "fsync" : "none"), catalog -> {
            catalog.createDatabase("bench", true);
            TableDescriptor.Builder table = TableDescriptor.builder().bucketCount(config.buckets()).bucketKey(BenchSchema.BUCKET_KEY);
            int id = 1;
            for (BenchSchema.Column c : BenchSchema.COLUMNS) {
                table.column(new Column(id++, c.name(), DataType.parse(c.type().sqlType()), !c.name().equals(BenchSchema.BUCKET_KEY)));
            }
            catalog.createTable(TablePath.parse(TABLE), table.build(), true);
        });
        client = server.connect();
    }

    @Override
    public void ingest(List<Object[]> rows)
            throws Exception
    {
        WriterOptions options = new WriterOptions(config.batchRows(), config.batchBytes(), config.linger(), config.maxInFlightBytes(), true, 5, Duration.ofMinutes(2));
        if (config.inletAppend() == TargetConfig.InletAppend.COLUMNAR) {
            ingestColumnar(rows, options);
            return;
        }
        List<CompletableFuture<AppendResult>> results = new ArrayList<>(rows.size());
        try (AppendWriter writer = client.newWriter(TABLE, options)) {
            for (Object[] row : rows) {
                results.add(writer.append(row));
            }
        }
        for (CompletableFuture<AppendResult> r : results) {
            r.join();
        }
        lastAcknowledgedRows = results.size();
    }

    /**
     * What an application holding its data in columns does: fills Arrow vectors of the table's
     * schema, {@value #COLUMNAR_CHUNK_ROWS} rows at a time, with each column's typed setter, and
     * hands each chunk to the writer. The rows arrive here as {@code Object[]}, so the conversion
     * (unboxing, UTF-8 encoding of the strings) is part of the timed pass, as Kafka's value
     * serializer is on the other side.
     */
    private void ingestColumnar(List<Object[]> rows, WriterOptions options)
    {
        List<CompletableFuture<Void>> results = new ArrayList<>();
        try (BufferAllocator allocator = new RootAllocator();
                AppendWriter writer = client.newWriter(TABLE, options);
                VectorSchemaRoot chunk = VectorSchemaRoot.create(writer.table().arrowSchema(), allocator)) {
            for (int start = 0; start < rows.size(); start += COLUMNAR_CHUNK_ROWS) {
                ColumnarChunks.fill(chunk, rows, start, Math.min(COLUMNAR_CHUNK_ROWS, rows.size() - start));
                results.add(writer.appendBatch(chunk));
            }
        }
        for (CompletableFuture<Void> r : results) {
            r.join();
        }
        lastAcknowledgedRows = rows.size();
    }

    @Override
    public String describeLastIngest()
    {
        return lastAcknowledgedRows + " rows acknowledged";
    }

    @Override
    public long fullFetch()
            throws Exception
    {
        return fetch(ScanOptions.defaults());
    }

    @Override
    public boolean supportsColumnPruning()
    {
        return true;
    }

    @Override
    public long prunedFetch(List<String> columns)
            throws Exception
    {
        return fetch(ScanOptions.defaults().withColumns(columns));
    }

    private long fetch(ScanOptions options)
    {
        long total = client.offsets(TABLE, "", Actions.OffsetSpec.LATEST, 0).stream().mapToLong(Actions.BucketOffset::offset).sum();
        long read = 0;
        ScanOptions sized = new ScanOptions(options.columns(), config.fetchBytesPerBucket());
        try (LogScanner scanner = client.newScanner(TABLE, sized)) {
            scanner.subscribeAll("", StartPosition.earliest());
            while (read < total) {
                for (ScanBatch batch : scanner.poll(Duration.ofSeconds(5))) {
                    try (batch) {
                        read += batch.rowCount();
                    }
                }
            }
        }
        return read;
    }

    @Override
    public void close()
            throws Exception
    {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }
}
