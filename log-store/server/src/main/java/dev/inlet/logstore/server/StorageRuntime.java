/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.server;

import dev.inlet.catalog.config.InletConfig;
import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.logstore.storage.BucketLog;
import dev.inlet.logstore.storage.FlushPolicy;
import dev.inlet.logstore.storage.GroupCommit;
import dev.inlet.logstore.storage.LogConfig;
import dev.inlet.logstore.storage.RecoveryReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * The storage side of the server: the bucket logs' configuration and the one group commit that
 * makes their appends durable. Opening a bucket recovers its log and reports what recovery cut.
 */
final class StorageRuntime
        implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(StorageRuntime.class);

    private final LogConfig logConfig;
    private final GroupCommit groupCommit;

    StorageRuntime(LogConfig logConfig, ServerMetrics metrics)
    {
        this.logConfig = requireNonNull(logConfig, "logConfig is null");
        this.groupCommit = new GroupCommit("hot", nanos -> metrics.fsyncSeconds.observe(nanos / 1e9));
        groupCommit.start();
    }

    static StorageRuntime fromConfig(InletConfig config, ServerMetrics metrics)
    {
        FlushPolicy policy = switch (config.get(ServerOptions.FLUSH_POLICY).strip().toLowerCase(Locale.ROOT)) {
            case "fsync" -> FlushPolicy.FSYNC;
            case "interval" -> FlushPolicy.INTERVAL;
            case "none" -> FlushPolicy.NONE;
            default -> throw new InletException(InletErrorCode.INVALID_CONFIGURATION, "log.flush.policy must be fsync, interval or none, got '"
                    + config.get(ServerOptions.FLUSH_POLICY) + "'");
        };
        long maxBatch = config.get(ServerOptions.MAX_BATCH_BYTES);
        LogConfig logConfig = new LogConfig(
                Math.toIntExact(config.get(ServerOptions.SEGMENT_BYTES)),
                config.get(ServerOptions.SEGMENT_AGE).toMillis(),
                Math.toIntExact(config.get(ServerOptions.INDEX_INTERVAL_BYTES)),
                // both limit the payload; the append handler checks first, with a message naming the key
                (int) Math.min(Integer.MAX_VALUE, maxBatch),
                policy,
                config.get(ServerOptions.FLUSH_INTERVAL).toMillis(),
                -1,
                -1);
        return new StorageRuntime(logConfig, metrics);
    }

    String flushPolicyName()
    {
        return logConfig.flushPolicy().name().toLowerCase(Locale.ROOT);
    }

    long fsyncCount()
    {
        return groupCommit.fsyncCount();
    }

    HotBucket openBucket(TablePath table, String partition, int bucket, Path dir)
    {
        try {
            BucketLog log = BucketLog.open(dir, logConfig);
            RecoveryReport report = log.recoveryReport();
            LOG.info("Opened {} bucket {}{}: offsets [{}, {}); recovery: {}", table, bucket, partition.isEmpty() ? "" : " partition " + partition,
                    log.earliestOffset(), log.endOffset(), report);
            return new HotBucket(table, partition, bucket, log, groupCommit);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot open " + table + " bucket " + bucket + " in " + dir, e);
        }
    }

    @Override
    public void close()
    {
        groupCommit.close();
    }
}
