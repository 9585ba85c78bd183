/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering.backfill;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.lake.BackfilledFile;
import dev.inlet.catalog.model.MergeEngine;
import dev.inlet.catalog.model.TableInfo;
import dev.inlet.catalog.store.MetadataStore;
import dev.inlet.logstore.client.AppendResult;
import dev.inlet.logstore.client.InletClient;
import dev.inlet.logstore.client.UpsertWriter;
import dev.inlet.logstore.client.WriterOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * A primary-key table's backfill: each file's rows written through the hot store, as
 * insert-if-absent writes (a key the table has keeps its row), or as upserts with
 * {@code --overwrite-keys} or under the {@code versioned} merge engine (which keeps the higher
 * version itself). A file is checked whole before its first row is written, since a written row
 * cannot be taken back; once all its rows are acknowledged it is recorded as loaded.
 */
final class HotLoad
{
    private static final int IN_FLIGHT = 8192;

    private final TableInfo table;
    private final Supplier<InletClient> client;
    private final FileLoader loader;
    private final boolean upsert;
    private final boolean checkFirst;
    private final MetadataStore store;

    HotLoad(TableInfo table, Supplier<InletClient> client, FileLoader loader, boolean overwriteKeys, boolean skipping, MetadataStore store)
    {
        this.table = table;
        this.client = client;
        this.loader = loader;
        this.upsert = overwriteKeys || table.descriptor().mergeEngine().kind() == MergeEngine.Kind.VERSIONED;
        // with --skip-bad-rows a bad row is skipped, not fatal: nothing to check first
        this.checkFirst = !skipping;
        this.store = store;
    }

    void load(List<SourceFile> files, int parallelism)
    {
        if (parallelism == 1 || files.size() == 1) {
            files.forEach(this::load);
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(parallelism, r -> Thread.ofPlatform().name("inlet-backfill-", 0).daemon().unstarted(r));
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (SourceFile file : files) {
                futures.add(pool.submit(() -> load(file)));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InletException(InletErrorCode.SERVER_UNAVAILABLE, "Backfill of " + table.path() + " interrupted", e);
        }
        finally {
            pool.shutdownNow();
        }
    }

    private void load(SourceFile file)
    {
        if (checkFirst) {
            try {
                loader.check(file);
            }
            catch (InletException e) {
                throw new InletException(e.errorCode(), e.getMessage() + " (nothing of this file was written)", e);
            }
        }
        List<String> names = table.descriptor().columnNames();
        List<CompletableFuture<AppendResult>> inFlight = new ArrayList<>();
        long rows;
        try (UpsertWriter writer = client.get().newUpsertWriter(table.path().toString(), null, WriterOptions.defaults())) {
            int[] positions = writer.targetColumns().stream().mapToInt(names::indexOf).toArray();
            rows = loader.load(file, row -> {
                Object[] values = new Object[positions.length];
                for (int i = 0; i < positions.length; i++) {
                    values[i] = row[positions[i]];
                }
                inFlight.add(upsert ? writer.upsert(values) : writer.insertIfAbsent(values));
                if (inFlight.size() >= IN_FLIGHT) {
                    awaitAll(inFlight);
                }
            });
            writer.flush();
            awaitAll(inFlight);
        }
        store.recordBackfilledFiles(table.tableId(), -1, List.of(new BackfilledFile(file.location(), file.size(), rows)));
    }

    private static void awaitAll(List<CompletableFuture<AppendResult>> futures)
    {
        try {
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        }
        catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        futures.clear();
    }
}
