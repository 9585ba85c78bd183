/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering;

import dev.inlet.catalog.config.ConfigOption;
import dev.inlet.catalog.config.ConfigOptionProvider;
import dev.inlet.catalog.config.Durations;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The configuration keys of the tiering service (see {@code conf/inlet.properties}). It reaches
 * the hot store through {@code server.endpoint} and the lake through the catalog's keys.
 */
public final class TieringOptions
        implements ConfigOptionProvider
{
    public static final ConfigOption<Integer> THREADS = ConfigOption.integer("tiering.threads", 2,
            "Tables tiered at the same time by one tiering process; a slow table holds one thread, never the others.");
    public static final ConfigOption<String> COMMIT_USER = ConfigOption.string("tiering.commit-user", "inlet-tiering",
            "The commit user of tiering's lake snapshots: the newest snapshot of this user says which hot offsets a lake table holds. Every tiering process of one deployment must use the same value.");
    public static final ConfigOption<Duration> READ_TIMEOUT = duration("tiering.read-timeout", Duration.ofMinutes(1),
            "A round gives up (and is retried) when a bucket delivers no rows for this long while rows below the round's end are missing.");
    public static final ConfigOption<Duration> RETRY_INITIAL_BACKOFF = duration("tiering.retry.initial-backoff", Duration.ofSeconds(1),
            "Wait before retrying a table whose round failed; doubled after each further failure in a row.");
    public static final ConfigOption<Duration> RETRY_MAX_BACKOFF = duration("tiering.retry.max-backoff", Duration.ofMinutes(2),
            "Longest wait between retries of a failing table.");
    public static final ConfigOption<Duration> DISCOVERY_INTERVAL = duration("tiering.discovery-interval", Duration.ofSeconds(10),
            "How often the catalog is read for lake tables created, altered or dropped.");
    public static final ConfigOption<Duration> SHUTDOWN_GRACE = duration("tiering.shutdown-grace", Duration.ofSeconds(30),
            "On SIGTERM or Ctrl-C, how long running rounds may take to finish before they are abandoned (an abandoned round commits nothing; the next one redoes it).");
    public static final ConfigOption<Duration> LEASE_TTL = duration("tiering.lease.ttl", Duration.ofMinutes(1),
            "How long a tiering process holds a table without renewing its lease (renewed at each round's start, between buckets and before each commit). When a process dies, another takes its tables over after this long.");
    public static final ConfigOption<Duration> MAINTENANCE_INTERVAL = duration("tiering.maintenance.interval", Duration.ofMinutes(5),
            "How often, per lake table, the tiering process that holds it runs maintenance right after a round: Iceberg tables are compacted and their snapshots expired (Paimon tables do both inside their own commits); both formats lose their orphan files.");
    public static final ConfigOption<Integer> COMPACT_DELETE_FILES = ConfigOption.integer("tiering.iceberg.compact-delete-files", 8,
            "An Iceberg partition with at least this many equality-delete files is rewritten without them at the next maintenance (its live rows into new data files).");
    public static final ConfigOption<Integer> RETAIN_SNAPSHOTS = ConfigOption.integer("tiering.iceberg.retain-snapshots", 10,
            "Snapshots an Iceberg table keeps at least (at least 2); older ones beyond tiering.iceberg.snapshot-max-age are expired with the files only they referenced.");
    public static final ConfigOption<Duration> SNAPSHOT_MAX_AGE = duration("tiering.iceberg.snapshot-max-age", Duration.ofHours(1),
            "Iceberg snapshots older than this are expired, beyond the newest tiering.iceberg.retain-snapshots.");
    public static final ConfigOption<Duration> ORPHAN_FILES_OLDER_THAN = duration("tiering.orphan-files.older-than", Duration.ofDays(1),
            "At each maintenance, files under a lake table's data folders that no snapshot references and that are older than this are deleted (files of rounds that crashed before their commit). Younger ones may belong to a round still running.");
    public static final ConfigOption<Integer> METRICS_PORT = ConfigOption.integer("tiering.metrics.port", 9125,
            "Port of the tiering service's Prometheus metrics endpoint (http://<tiering.metrics.host>:<port>/metrics); 0 turns it off, -1 picks a free port.");
    public static final ConfigOption<String> METRICS_HOST = ConfigOption.string("tiering.metrics.host", "127.0.0.1",
            "Address the tiering service's metrics endpoint binds to.");

    @Override
    public List<ConfigOption<?>> options()
    {
        return all();
    }

    public static List<ConfigOption<?>> all()
    {
        return List.of(THREADS, COMMIT_USER, READ_TIMEOUT, RETRY_INITIAL_BACKOFF, RETRY_MAX_BACKOFF, DISCOVERY_INTERVAL, SHUTDOWN_GRACE, LEASE_TTL, MAINTENANCE_INTERVAL, COMPACT_DELETE_FILES, RETAIN_SNAPSHOTS,
                SNAPSHOT_MAX_AGE, ORPHAN_FILES_OLDER_THAN, METRICS_PORT, METRICS_HOST);
    }

    private static ConfigOption<Duration> duration(String key, Duration defaultValue, String description)
    {
        return new ConfigOption<>(key, Durations::parse, Optional.of(defaultValue), description);
    }
}
