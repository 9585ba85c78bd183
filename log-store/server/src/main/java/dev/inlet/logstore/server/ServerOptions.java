/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.server;

import dev.inlet.catalog.config.ConfigOption;
import dev.inlet.catalog.config.Durations;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The configuration keys of the hot-store server (see {@code conf/inlet.properties}). The keys
 * clients read too ({@code server.endpoint}, {@code server.auth.token}) are in
 * {@link dev.inlet.logstore.client.ClientOptions}.
 */
public final class ServerOptions
{
    public static final ConfigOption<String> HOST = ConfigOption.string("server.host", "127.0.0.1",
            "Address the hot store's Arrow Flight endpoint binds to. 127.0.0.1 serves this machine only; 0.0.0.0 serves every interface.");
    public static final ConfigOption<Integer> PORT = ConfigOption.integer("server.port", 9123,
            "Port of the hot store's Arrow Flight endpoint; clients use grpc://<host>:<port>.");
    public static final ConfigOption<String> TLS_CERT_FILE = ConfigOption.string("server.tls.cert-file", null,
            "PEM certificate chain of the Flight endpoint and the lookup port; with server.tls.key-file it turns TLS on.");
    public static final ConfigOption<String> TLS_KEY_FILE = ConfigOption.string("server.tls.key-file", null,
            "PEM private key (unencrypted PKCS#8, BEGIN PRIVATE KEY) of the Flight endpoint and the lookup port.");
    public static final ConfigOption<Integer> METRICS_PORT = ConfigOption.integer("server.metrics.port", 9124,
            "Port of the Prometheus metrics endpoint (http://<host>:<port>/metrics); 0 turns it off, -1 picks a free port.");

    public static final ConfigOption<Integer> LOOKUP_PORT = ConfigOption.integer("server.lookup.port", 9126,
            "Port of the binary lookup protocol (point and prefix lookups with fewer thread hand-offs than the Flight lookup stream); clients find it through the Flight endpoint. 0 turns it off (clients use the Flight stream), -1 picks a free port. With TLS on, it speaks TLS with the Flight endpoint's certificate.");
    public static final ConfigOption<Integer> LOOKUP_MAX_CONNECTIONS = ConfigOption.integer("server.lookup.max-connections", 256,
            "Most open connections on the lookup port, each served by one thread; a client opens one per thread looking up at the same time.");
    public static final ConfigOption<Duration> LOOKUP_IDLE_TIMEOUT = duration("server.lookup.idle-timeout", Duration.ofMinutes(10),
            "A lookup connection that sends no request for this long is closed, and its thread ends; the client opens a new one when it next looks up.");
    public static final ConfigOption<Long> SEGMENT_BYTES = bytes("log.segment.bytes", 256L << 20,
            "A bucket's active segment file is closed and a new one started at this size.");
    public static final ConfigOption<Duration> SEGMENT_AGE = duration("log.segment.age", Duration.ofDays(7),
            "... or when its first batch is this old, so that retention can delete it.");
    public static final ConfigOption<Long> INDEX_INTERVAL_BYTES = bytes("log.index.interval.bytes", 4096,
            "Bytes of log between two entries of a segment's sparse offset and time indexes.");
    public static final ConfigOption<Long> MAX_BATCH_BYTES = bytes("log.max-batch.bytes", 16L << 20,
            "Largest batch payload (Arrow IPC bytes) an append may carry; larger ones are refused.");
    public static final ConfigOption<String> FLUSH_POLICY = ConfigOption.string("log.flush.policy", "fsync",
            "When an append is acknowledged: fsync (after the data is fsynced; concurrent appends share one fsync), interval (at once; fsync every log.flush.interval, so a machine crash loses up to that much), none (at once; the OS writes back; a machine crash can lose any unflushed data).");
    public static final ConfigOption<Duration> FLUSH_INTERVAL = duration("log.flush.interval", Duration.ofSeconds(1),
            "With log.flush.policy=interval: how often the logs are fsynced.");
    public static final ConfigOption<Long> RETENTION_BYTES = bytes("log.retention.bytes", -1,
            "Per bucket: older segments are deleted once the log is larger than this; -1 means no size limit. Untiered data of a lake table is never deleted.");
    public static final ConfigOption<Duration> RETENTION_CHECK_INTERVAL = duration("log.retention.check-interval", Duration.ofMinutes(1),
            "How often retention runs. The age limit is each table's hot retention (inlet table create --hot-retention).");

    public static final ConfigOption<Long> KV_ID_RANGE = new ConfigOption<>("kv.auto-increment.range", Long::valueOf, Optional.of(1000L),
            "Auto-increment ids the hot store reserves from the catalog at a time, per table. Ids of a range left unused when the server stops are skipped, never reused.");
    public static final ConfigOption<Duration> KV_SNAPSHOT_INTERVAL = duration("kv.snapshot.interval", Duration.ofMinutes(10),
            "How often each bucket of a primary-key table takes a snapshot of its key-value state (a RocksDB checkpoint tagged with its log offset). Recovery replays the log from the newest snapshot; retention keeps the log from it on.");

    public static final ConfigOption<Long> KV_BLOCK_CACHE_BYTES = bytes("kv.block-cache.bytes", 256L << 20,
            "Memory for the blocks of key-value state read from disk (RocksDB's block cache), shared by every bucket of every primary-key table of the server.");

    public static final ConfigOption<String> KV_SNAPSHOT_REMOTE_DIR = ConfigOption.string("kv.snapshot.remote-dir", null,
            "Where each new snapshot of a primary-key table's key-value state is also uploaded (s3://bucket/path, with the s3.* settings); unset keeps snapshots on local disk only.");

    private ServerOptions() {}

    private static ConfigOption<Long> bytes(String key, long defaultValue, String description)
    {
        return new ConfigOption<>(key, Long::valueOf, Optional.of(defaultValue), description);
    }

    private static ConfigOption<Duration> duration(String key, Duration defaultValue, String description)
    {
        return new ConfigOption<>(key, Durations::parse, Optional.of(defaultValue), description);
    }

    public static List<ConfigOption<?>> all()
    {
        return List.of(HOST, PORT, TLS_CERT_FILE, TLS_KEY_FILE, METRICS_PORT, LOOKUP_PORT, LOOKUP_MAX_CONNECTIONS, LOOKUP_IDLE_TIMEOUT, SEGMENT_BYTES, SEGMENT_AGE, INDEX_INTERVAL_BYTES,
                MAX_BATCH_BYTES, FLUSH_POLICY, FLUSH_INTERVAL, RETENTION_BYTES, RETENTION_CHECK_INTERVAL, KV_ID_RANGE, KV_BLOCK_CACHE_BYTES, KV_SNAPSHOT_INTERVAL, KV_SNAPSHOT_REMOTE_DIR);
    }
}
