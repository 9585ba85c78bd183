/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering.backfill;

import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.config.InletConfig;
import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.lake.BackfilledFile;
import dev.inlet.catalog.lake.LakeCheckpoint;
import dev.inlet.catalog.model.LakeFormat;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TableInfo;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.logstore.cli.TextValues;
import dev.inlet.logstore.client.InletClient;
import dev.inlet.tiering.LakeTierWriter;
import dev.inlet.tiering.LakeWriters;
import dev.inlet.tiering.TieringOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Loads historical files into a table: see {@code docs/backfill.md}.
 *
 * <p>A log table's rows go straight into its lake table with the lake writer tiering uses, in
 * commits of bounded size ({@link BackfillOptions#COMMIT_BYTES}); each commit is made under the
 * table's tiering lease, handed over by the daemon between two rounds ({@link LeaseHandover}),
 * as one more round that keeps the tiered offsets as they were and records its source files
 * ({@link LakeCheckpoint#BACKFILL_FILES_PROPERTY}). The files committed are also recorded in the
 * catalog, so a run again, after a crash or a success, loads only the files not committed yet.
 *
 * <p>A primary-key table's rows go through the hot store as insert-if-absent writes (upserts
 * with {@code --overwrite-keys}, or under the {@code versioned} merge engine, which keeps the
 * newer version itself): an old row never replaces a newer one, the hot store's state (lookups,
 * partial updates) knows every backfilled key, and tiering carries them to the lake exactly once.
 */
public final class Backfill
{
    private static final Logger LOG = LoggerFactory.getLogger(Backfill.class);

    public enum Mode
    {
        APPEND,
        OVERWRITE_PARTITION
    }

    /**
     * @param partition the values {@code --partition} gives, by column name, as text
     * @param rejects where skipped rows go (with {@code skipBadRows})
     */
    public record Request(TablePath table, String from, Optional<SourceFormat> format, Map<String, String> partition, Mode mode, int parallelism, boolean dryRun,
            boolean skipBadRows, Path rejects, boolean overwriteKeys)
    {
        public Request
        {
            requireNonNull(table, "table is null");
            requireNonNull(from, "from is null");
            requireNonNull(format, "format is null");
            partition = Map.copyOf(partition);
            requireNonNull(mode, "mode is null");
            requireNonNull(rejects, "rejects is null");
            if (parallelism < 1) {
                throw new IllegalArgumentException("--parallelism must be at least 1, not " + parallelism);
            }
        }
    }

    /**
     * What a run did.
     *
     * @param loaded the files read by this run (for a dry run: the files it would read)
     * @param skipped the files an earlier run loaded already
     * @param snapshots the lake snapshots committed
     * @param columnarFiles how many of the files loaded were Parquet decoded column by column (the others row by row)
     */
    public record Result(TablePath table, String from, List<SourceFile> loaded, List<SourceFile> skipped, long rows, long rejected, long bytes, List<Long> snapshots,
            Optional<Path> rejectsFile, Duration elapsed, boolean dryRun, boolean throughHotStore, long columnarFiles) {}

    /** Points where tests make a run fail, as a crash would. */
    public interface Hooks
    {
        Hooks NONE = new Hooks() {};

        /** Every file of a commit is written to the lake; nothing is committed yet. */
        default void beforeCommit(List<SourceFile> files) {}

        /** The lake holds the commit; the catalog does not know it yet. */
        default void lakeCommitted(List<SourceFile> files, long snapshot) {}
    }

    private final InletCatalog catalog;
    private final Supplier<InletClient> client;
    private final LakeWriters writers;
    private final Hooks hooks;
    private final long commitBytes;
    private final Duration leaseTtl;
    private final Duration leaseTimeout;
    private final String owner;

    /** @param client opens a hot store client (a primary-key table's rows, an overwrite's check), closed by the caller of {@link #run} */
    public Backfill(InletCatalog catalog, InletConfig config, Supplier<InletClient> client, Hooks hooks)
    {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.client = requireNonNull(client, "client is null");
        this.writers = new LakeWriters(catalog, config.get(TieringOptions.COMMIT_USER));
        this.hooks = requireNonNull(hooks, "hooks is null");
        this.commitBytes = config.get(BackfillOptions.COMMIT_BYTES);
        this.leaseTtl = config.get(TieringOptions.LEASE_TTL);
        this.leaseTimeout = config.get(BackfillOptions.LEASE_TIMEOUT);
        this.owner = "backfill/" + ProcessHandle.current().pid() + "/" + Long.toHexString(new java.security.SecureRandom().nextLong() & 0xffffffL);
    }

    /**
     * Runs a backfill.
     *
     * @param started receives the progress counters once the files are listed (to show them)
     */
    public Result run(Request request, Consumer<BackfillProgress> started)
    {
        TableInfo table = catalog.getTable(request.table());
        TableDescriptor descriptor = table.descriptor();
        boolean hot = descriptor.hasPrimaryKey();
        if (!hot && descriptor.lakeFormat() == LakeFormat.NONE) {
            throw new IllegalArgumentException("Table " + table.path() + " has no lake table (lake_format none): a backfill loads history into a lake table");
        }
        if (request.mode() == Mode.OVERWRITE_PARTITION && hot) {
            throw new IllegalArgumentException("Table " + table.path() + " has a primary key: --mode overwrite-partition replaces the rows of a log table's partition; "
                    + "backfill a primary-key table with --mode append (and --overwrite-keys to replace rows by key)");
        }
        if (request.overwriteKeys() && !hot) {
            throw new IllegalArgumentException("--overwrite-keys is for primary-key tables; " + table.path() + " is a log table");
        }
        Map<Integer, Object> supplied = partitionValues(table, request);

        try (SourceFiles sources = SourceFiles.at(request.from(), catalog.settings().s3())) {
            List<SourceFile> listed = sources.list(request.format());
            Map<String, BackfilledFile> committed = request.mode() == Mode.OVERWRITE_PARTITION ? Map.of() : committedFiles(table);
            List<SourceFile> todo = new ArrayList<>();
            List<SourceFile> skipped = new ArrayList<>();
            for (SourceFile f : listed) {
                BackfilledFile before = committed.get(f.location());
                if (before == null) {
                    todo.add(f);
                }
                else if (before.size() != f.size()) {
                    throw new InletException(InletErrorCode.BACKFILL_SOURCE_CHANGED, "File " + f.location() + " was loaded into " + table.path() + " by an earlier backfill with "
                            + before.size() + " bytes (" + before.rows() + " rows), but has " + f.size() + " bytes now; loading it again would double its old rows. "
                            + "Give the changed data a new file name");
                }
                else {
                    skipped.add(f);
                }
            }
            long bytes = todo.stream().mapToLong(SourceFile::size).sum();
            if (request.dryRun()) {
                return new Result(table.path(), sources.from(), todo, skipped, 0, 0, bytes, List.of(), Optional.empty(), Duration.ZERO, true, hot, 0);
            }
            BackfillProgress progress = new BackfillProgress(todo.size(), bytes);
            started.accept(progress);
            List<Long> snapshots = new ArrayList<>();
            boolean skipping = request.skipBadRows();
            try (FileLoader.Rejects rejects = new FileLoader.Rejects(request.rejects())) {
                FileLoader loader = new FileLoader(table, sources, supplied, skipping ? Optional.of(rejects) : Optional.empty(), progress);
                if (hot) {
                    new HotLoad(table, client, loader, request.overwriteKeys(), skipping, catalog.store()).load(todo, request.parallelism());
                }
                else {
                    snapshots.addAll(loadLake(table, todo, loader, request, supplied, progress));
                }
            }
            catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            LOG.info("Backfill of {} from {}: {} files, {} rows, {} rejected, lake snapshots {}", table.path(), sources.from(), todo.size(), progress.rows.get(),
                    progress.rejected.get(), snapshots);
            return new Result(table.path(), sources.from(), todo, skipped, progress.rows.get(), progress.rejected.get(), bytes, snapshots,
                    progress.rejected.get() > 0 ? Optional.of(request.rejects()) : Optional.empty(), progress.elapsed(), false, hot, progress.columnarFiles.get());
        }
    }

    /** The files earlier backfills committed: the catalog's record plus the newest lake snapshot's (a backfill that died before recording). */
    private Map<String, BackfilledFile> committedFiles(TableInfo table)
    {
        Map<String, BackfilledFile> files = new HashMap<>(catalog.store().backfilledFiles(table.tableId()));
        if (table.descriptor().lakeFormat() != LakeFormat.NONE) {
            try (LakeTierWriter lake = writers.open(table)) {
                lake.newestCheckpoint().ifPresent(c -> c.backfilled().forEach(f -> files.putIfAbsent(f.location(), f)));
            }
        }
        return files;
    }

    /** The values of the partition columns {@code --partition} names, by column index. */
    private static Map<Integer, Object> partitionValues(TableInfo table, Request request)
    {
        TableDescriptor d = table.descriptor();
        Map<Integer, Object> values = new LinkedHashMap<>();
        request.partition().forEach((name, text) -> {
            String column = name.strip().toLowerCase(java.util.Locale.ROOT);
            if (!d.partitionKeys().contains(column)) {
                throw new IllegalArgumentException("--partition names '" + name + "', which is not a partition column of " + table.path() + " (its partition columns are "
                        + d.partitionKeys() + ")");
            }
            int index = d.columnNames().indexOf(column);
            try {
                values.put(index, TextValues.parse(d.columns().get(index).type(), text));
            }
            catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--partition " + name + "=" + text + ": " + e.getMessage());
            }
        });
        if (request.mode() == Mode.OVERWRITE_PARTITION && values.size() != d.partitionKeys().size()) {
            throw new IllegalArgumentException("--mode overwrite-partition replaces one partition: give --partition with every partition column of " + table.path() + " "
                    + d.partitionKeys());
        }
        return values;
    }

    /** Loads a log table's files into its lake table, in commits of at most backfill.commit-bytes (an overwrite: in one). */
    private List<Long> loadLake(TableInfo table, List<SourceFile> todo, FileLoader loader, Request request, Map<Integer, Object> supplied, BackfillProgress progress)
    {
        List<List<SourceFile>> commits = new ArrayList<>();
        List<SourceFile> current = new ArrayList<>();
        long currentBytes = 0;
        for (SourceFile f : todo) {
            if (!current.isEmpty() && currentBytes + f.size() > commitBytes && request.mode() == Mode.APPEND) {
                commits.add(current);
                current = new ArrayList<>();
                currentBytes = 0;
            }
            current.add(f);
            currentBytes += f.size();
        }
        if (!current.isEmpty() || request.mode() == Mode.OVERWRITE_PARTITION) {
            // an overwrite with no file empties the partition
            commits.add(current);
        }
        LakeCommits lake = new LakeCommits(catalog, table, writers, new LeaseHandover(catalog.store(), table, owner, leaseTtl, leaseTimeout), client, hooks, progress);
        Map<String, Object> replaced = null;
        if (request.mode() == Mode.OVERWRITE_PARTITION) {
            replaced = new LinkedHashMap<>();
            for (Map.Entry<Integer, Object> e : supplied.entrySet()) {
                replaced.put(table.descriptor().columnNames().get(e.getKey()), e.getValue());
            }
        }
        Map<String, Object> partition = replaced;
        if (request.parallelism() == 1 || commits.size() == 1) {
            List<Long> snapshots = new ArrayList<>();
            for (List<SourceFile> files : commits) {
                snapshots.add(lake.load(files, loader, partition));
            }
            return snapshots;
        }
        // commits are independent: several load at once; their commits take turns under the lease
        ExecutorService pool = Executors.newFixedThreadPool(request.parallelism(), r -> Thread.ofPlatform().name("inlet-backfill-", 0).daemon().unstarted(r));
        try {
            List<Future<Long>> futures = new ArrayList<>();
            for (List<SourceFile> files : commits) {
                futures.add(pool.submit(() -> lake.load(files, loader, partition)));
            }
            List<Long> snapshots = new ArrayList<>();
            for (Future<Long> f : futures) {
                snapshots.add(f.get());
            }
            return snapshots;
        }
        catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InletException(InletErrorCode.BACKFILL_LEASE_UNAVAILABLE, "Backfill of " + table.path() + " interrupted", e);
        }
        finally {
            pool.shutdownNow();
        }
    }
}
