/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering;

import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.config.InletConfig;
import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.lake.iceberg.IcebergLakeBridge;
import dev.inlet.catalog.lake.paimon.PaimonLakeBridge;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.model.LakeFormat;
import dev.inlet.catalog.model.TableInfo;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.catalog.model.TieredOffset;
import dev.inlet.catalog.model.TieringLease;
import dev.inlet.logstore.client.InletClient;
import dev.inlet.logstore.protocol.Actions;
import dev.inlet.tiering.iceberg.IcebergMaintenance;
import dev.inlet.tiering.paimon.PaimonMaintenance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import static java.util.Objects.requireNonNull;

/**
 * The tiering daemon: finds the catalog's lake tables and runs a {@link TieringRound} for each
 * every {@code freshness} (the table's setting), on a pool of {@code tiering.threads} threads.
 *
 * <p>Scheduling is fair: a round is started for the table whose turn is oldest, one round per
 * table at a time, so a slow or huge table holds one thread and never delays the others' turns
 * beyond the pool's size. A failed round is retried with exponential backoff; the failure is
 * logged once per streak (then again when the table recovers), not once per attempt.
 */
public final class TieringService
        implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(TieringService.class);

    private final InletCatalog catalog;
    private final InletClient client;
    private final TieringRound round;
    private final TieringMetrics metrics;
    private final Clock clock;
    private final int threads;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration discoveryInterval;
    private final Duration shutdownGrace;
    private final Duration leaseTtl;
    private final String owner;
    private final String commitUser;
    private final Duration maintenanceInterval;
    private final int compactDeleteFiles;
    private final int retainSnapshots;
    private final Duration snapshotMaxAge;
    private final Duration orphanFilesOlderThan;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // guarded by lock
    private final Map<TablePath, TableTurn> tables = new HashMap<>();
    private int running;
    private boolean stopped;
    private Instant nextDiscovery = Instant.MIN;

    private final ExecutorService workers;
    private final Thread scheduler;

    /** When a table's next round is due and how its last ones went. */
    private static final class TableTurn
    {
        final TablePath path;
        Duration freshness;
        Instant due;
        boolean running;
        int failures;
        // the lease this process holds on the table, if any; touched by the round's worker only
        volatile TieringLease lease;
        Instant nextMaintenance = Instant.MIN;

        TableTurn(TablePath path, Duration freshness, Instant due)
        {
            this.path = path;
            this.freshness = freshness;
            this.due = due;
        }
    }

    public TieringService(InletCatalog catalog, InletClient client, InletConfig config, TieringMetrics metrics, RoundHooks hooks)
    {
        this(catalog, client, config, metrics, hooks, Clock.systemUTC());
    }

    TieringService(InletCatalog catalog, InletClient client, InletConfig config, TieringMetrics metrics, RoundHooks hooks, Clock clock)
    {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.client = requireNonNull(client, "client is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.clock = requireNonNull(clock, "clock is null");
        LakeWriters writers = new LakeWriters(catalog, config.get(TieringOptions.COMMIT_USER));
        this.round = new TieringRound(catalog, client, writers::open, hooks, config.get(TieringOptions.READ_TIMEOUT));
        this.threads = config.get(TieringOptions.THREADS);
        if (threads < 1) {
            throw new IllegalArgumentException(TieringOptions.THREADS.key() + " must be at least 1, not " + threads);
        }
        this.initialBackoff = config.get(TieringOptions.RETRY_INITIAL_BACKOFF);
        this.maxBackoff = config.get(TieringOptions.RETRY_MAX_BACKOFF);
        this.discoveryInterval = config.get(TieringOptions.DISCOVERY_INTERVAL);
        this.shutdownGrace = config.get(TieringOptions.SHUTDOWN_GRACE);
        this.leaseTtl = config.get(TieringOptions.LEASE_TTL);
        this.commitUser = config.get(TieringOptions.COMMIT_USER);
        this.maintenanceInterval = config.get(TieringOptions.MAINTENANCE_INTERVAL);
        this.compactDeleteFiles = config.get(TieringOptions.COMPACT_DELETE_FILES);
        this.retainSnapshots = config.get(TieringOptions.RETAIN_SNAPSHOTS);
        this.snapshotMaxAge = config.get(TieringOptions.SNAPSHOT_MAX_AGE);
        this.orphanFilesOlderThan = config.get(TieringOptions.ORPHAN_FILES_OLDER_THAN);
        this.owner = ownerId();
        this.workers = Executors.newFixedThreadPool(threads, r -> Thread.ofPlatform().name("inlet-tiering-", 0).daemon().unstarted(r));
        this.scheduler = Thread.ofPlatform().name("inlet-tiering-scheduler").daemon().unstarted(this::schedule);
    }

    public TieringService start()
    {
        scheduler.start();
        LOG.info("Tiering service started: {} threads, catalog {}", threads, catalog.settings().database());
        return this;
    }

    /** The lake tables this service tiers now. */
    public List<TablePath> tables()
    {
        lock.lock();
        try {
            return tables.keySet().stream().sorted(Comparator.comparing(TablePath::toString)).toList();
        }
        finally {
            lock.unlock();
        }
    }

    private void schedule()
    {
        lock.lock();
        try {
            while (!stopped) {
                Instant now = clock.instant();
                if (!now.isBefore(nextDiscovery)) {
                    lock.unlock();
                    try {
                        discover();
                    }
                    finally {
                        lock.lock();
                    }
                    nextDiscovery = clock.instant().plus(discoveryInterval);
                    continue;
                }
                // the table whose turn is oldest first: fair under a full pool
                Optional<TableTurn> next = tables.values().stream().filter(t -> !t.running && !t.due.isAfter(now)).min(Comparator.comparing(t -> t.due));
                if (next.isPresent() && running < threads) {
                    TableTurn turn = next.get();
                    turn.running = true;
                    running++;
                    workers.execute(() -> runRound(turn));
                    continue;
                }
                Instant wake = nextDiscovery;
                for (TableTurn t : tables.values()) {
                    if (!t.running && t.due.isBefore(wake)) {
                        wake = t.due;
                    }
                }
                long waitMillis = Math.max(1, Math.min(1000, Duration.between(now, wake).toMillis()));
                changed.await(waitMillis, TimeUnit.MILLISECONDS);
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        finally {
            lock.unlock();
        }
    }

    /** Reads the catalog's lake tables: new ones get a turn now, dropped ones are forgotten. */
    private void discover()
    {
        Map<TablePath, Duration> found = new HashMap<>();
        try {
            for (String database : catalog.listDatabases()) {
                for (TablePath path : catalog.listTables(database)) {
                    Optional<TableInfo> info = catalog.findTable(path);
                    if (info.isEmpty() || info.get().descriptor().lakeFormat() == LakeFormat.NONE) {
                        continue;
                    }
                    found.put(path, info.get().descriptor().freshness());
                }
            }
        }
        catch (RuntimeException e) {
            LOG.warn("Cannot read the lake tables from the catalog; retrying in {}: {}", discoveryInterval, e.toString());
            return;
        }
        lock.lock();
        try {
            tables.keySet().removeIf(path -> !found.containsKey(path) && !tables.get(path).running);
            Instant now = clock.instant();
            found.forEach((path, freshness) -> {
                TableTurn turn = tables.get(path);
                if (turn == null) {
                    tables.put(path, new TableTurn(path, freshness, now));
                    LOG.info("Tiering {} every {}", path, freshness);
                }
                else {
                    turn.freshness = freshness;
                }
            });
        }
        finally {
            lock.unlock();
        }
    }

    /** Who this process is in the lease table: host, process id and a random part (two services in one JVM differ). */
    private static String ownerId()
    {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        }
        catch (java.io.IOException e) {
            host = "unknown-host";
        }
        return host + "/" + ProcessHandle.current().pid() + "/" + Long.toHexString(new java.security.SecureRandom().nextLong() & 0xffffffL);
    }

    public String owner()
    {
        return owner;
    }

    private void runRound(TableTurn turn)
    {
        Instant started = clock.instant();
        String table = turn.path.toString();
        Instant due;
        try {
            Optional<TableInfo> info = catalog.findTable(turn.path);
            Optional<TieringLease> lease = info.isEmpty() ? Optional.empty()
                    : catalog.store().acquireTieringLease(info.get().tableId(), owner, leaseTtl, clock.instant());
            if (lease.isEmpty()) {
                // another process tiers it (or it was just dropped): look again before its lease could lapse
                turn.lease = null;
                metrics.rounds.labelValues(table, "not-leased").inc();
                finish(turn, started.plus(min(turn.freshness, leaseTtl.dividedBy(2))));
                return;
            }
            if (turn.lease == null || turn.lease.epoch() != lease.get().epoch()) {
                LOG.info("Tiering {} under lease epoch {}", turn.path, lease.get().epoch());
            }
            turn.lease = lease.get();
            LeaseFence fence = new LeaseFence(lease.get());
            Optional<TieringRound.Result> result = round.run(turn.path, fence);
            maintain(turn, info.get(), fence);
            metrics.rounds.labelValues(table, result.isPresent() ? "committed" : "empty").inc();
            result.ifPresent(r -> {
                metrics.rows.labelValues(table).inc(r.rows());
                metrics.roundSeconds.labelValues(table).observe(Duration.between(started, clock.instant()).toMillis() / 1000.0);
            });
            if (turn.failures > 0) {
                LOG.info("Tiering {} works again after {} failed rounds", turn.path, turn.failures);
            }
            turn.failures = 0;
            // freshness bounds the lake's age: the next round starts early by this round's
            // duration, so that it commits about `freshness` after this one started
            Instant now = clock.instant();
            Instant early = started.plus(turn.freshness).minus(Duration.between(started, now));
            due = early.isAfter(now) ? early : now;
            updateLag(turn.path);
        }
        catch (RuntimeException e) {
            metrics.rounds.labelValues(table, "failed").inc();
            turn.failures++;
            Duration backoff = backoff(turn.failures);
            if (turn.failures == 1) {
                LOG.warn("Tiering round of {} failed; retrying with backoff up to {} (further failures in a row are logged at debug level)", turn.path, maxBackoff, e);
            }
            else {
                LOG.debug("Tiering round of {} failed again ({} in a row); next try in {}", turn.path, turn.failures, backoff, e);
            }
            due = clock.instant().plus(backoff);
        }
        finish(turn, due);
    }

    /**
     * Maintains a lake table when its turn has come, in the round's thread and under its lease, so
     * never at the same time as tiering's own commits to it: Iceberg tables are compacted and
     * their snapshots expired; both formats lose their orphan files. A failure is logged and
     * counted; the next maintenance tries again.
     */
    private void maintain(TableTurn turn, TableInfo table, Fence fence)
    {
        Instant now = clock.instant();
        if (now.isBefore(turn.nextMaintenance)) {
            return;
        }
        turn.nextMaintenance = now.plus(maintenanceInterval);
        String name = turn.path.toString();
        try {
            fence.renew();
            Instant orphansBefore = now.minus(orphanFilesOlderThan);
            if (table.descriptor().lakeFormat() == LakeFormat.ICEBERG) {
                IcebergMaintenance maintenance = new IcebergMaintenance(((IcebergLakeBridge) catalog.bridge(LakeFormat.ICEBERG)).loadTable(turn.path), compactDeleteFiles,
                        retainSnapshots, snapshotMaxAge);
                metrics.maintenance.labelValues(name, "compaction").inc(maintenance.compact());
                maintenance.expireSnapshots(clock.instant(), commitUser);
                metrics.maintenance.labelValues(name, "expiry").inc();
                metrics.maintenance.labelValues(name, "orphans").inc(maintenance.removeOrphanFiles(orphansBefore));
            }
            else {
                PaimonMaintenance maintenance = new PaimonMaintenance(((PaimonLakeBridge) catalog.bridge(LakeFormat.PAIMON)).loadTable(turn.path));
                metrics.maintenance.labelValues(name, "orphans").inc(maintenance.removeOrphanFiles(orphansBefore));
            }
        }
        catch (RuntimeException e) {
            metrics.maintenance.labelValues(name, "failed").inc();
            LOG.warn("Maintenance of {} failed; trying again in {}", turn.path, maintenanceInterval, e);
        }
    }

    private void finish(TableTurn turn, Instant due)
    {
        lock.lock();
        try {
            turn.running = false;
            turn.due = due;
            running--;
            changed.signalAll();
        }
        finally {
            lock.unlock();
        }
    }

    private static Duration min(Duration a, Duration b)
    {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** The fence of a round: this process's lease on the table, renewed in the catalog database. */
    private final class LeaseFence
            implements Fence
    {
        private final TieringLease lease;

        LeaseFence(TieringLease lease)
        {
            this.lease = lease;
        }

        @Override
        public long epoch()
        {
            return lease.epoch();
        }

        @Override
        public void renew()
        {
            if (!catalog.store().renewTieringLease(lease.tableId(), owner, lease.epoch(), leaseTtl, clock.instant())) {
                throw new InletException(InletErrorCode.TIERING_FENCED, "The tiering lease of table id " + lease.tableId() + " (epoch " + lease.epoch() + ", owner " + owner
                        + ") lapsed or was taken over; this round commits nothing");
            }
        }
    }

    Duration backoff(int failures)
    {
        long factor = 1L << Math.min(failures - 1, 20);
        Duration backoff = initialBackoff.multipliedBy(factor);
        return backoff.compareTo(maxBackoff) > 0 ? maxBackoff : backoff;
    }

    private void updateLag(TablePath path)
    {
        try {
            TableInfo info = catalog.getTable(path);
            Map<String, Long> tiered = new HashMap<>();
            Instant newest = Instant.MIN;
            for (TieredOffset o : catalog.store().tieredOffsets(info.tableId())) {
                tiered.put(o.partition() + "/" + o.bucket(), o.offset());
                newest = o.updatedAt().isAfter(newest) ? o.updatedAt() : newest;
            }
            long lag = 0;
            for (Actions.PartitionInfo partition : client.partitions(path.toString())) {
                for (Actions.BucketOffset o : client.offsets(path.toString(), partition.name(), Actions.OffsetSpec.LATEST, 0)) {
                    long behind = Math.max(0, o.offset() - tiered.getOrDefault(partition.name() + "/" + o.bucket(), 0L));
                    metrics.lagOffsets.labelValues(path.toString(), partition.name(), Integer.toString(o.bucket())).set(behind);
                    lag += behind;
                }
            }
            metrics.lakeAgeSeconds.labelValues(path.toString()).set(lag == 0 || newest.equals(Instant.MIN) ? 0 : Duration.between(newest, clock.instant()).toMillis() / 1000.0);
        }
        catch (RuntimeException e) {
            LOG.debug("Cannot update the lag of {}", path, e);
        }
    }

    /**
     * Stops starting rounds and waits up to {@code tiering.shutdown-grace} for the running ones;
     * a round still running then is abandoned (it commits nothing, or its commit is adopted by the
     * next round of whichever process tiers the table next).
     */
    @Override
    public void close()
    {
        lock.lock();
        try {
            stopped = true;
            changed.signalAll();
        }
        finally {
            lock.unlock();
        }
        try {
            scheduler.join(shutdownGrace.toMillis());
            workers.shutdown();
            if (!workers.awaitTermination(shutdownGrace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Tiering rounds still running after {}; abandoning them", shutdownGrace);
                workers.shutdownNow();
            }
        }
        catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        // let other processes take these tables over at once instead of after the lease lapses
        List<TableTurn> turns;
        lock.lock();
        try {
            turns = List.copyOf(tables.values());
        }
        finally {
            lock.unlock();
        }
        for (TableTurn turn : turns) {
            TieringLease lease = turn.lease;
            if (lease != null && !turn.running) {
                try {
                    catalog.store().releaseTieringLease(lease.tableId(), owner, lease.epoch());
                }
                catch (RuntimeException e) {
                    LOG.debug("Cannot release the tiering lease of {}", turn.path, e);
                }
            }
        }
        LOG.info("Tiering service stopped");
    }
}
