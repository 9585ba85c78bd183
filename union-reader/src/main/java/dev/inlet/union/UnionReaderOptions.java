/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union;

import dev.inlet.catalog.config.ConfigOption;
import dev.inlet.catalog.config.ConfigOptionProvider;
import dev.inlet.catalog.config.Durations;
import dev.inlet.catalog.config.InletConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The configuration keys of the union reader (see {@code conf/inlet.properties}). */
public final class UnionReaderOptions
        implements ConfigOptionProvider
{
    public static final ConfigOption<Long> MERGE_MEMORY_BYTES = new ConfigOption<>("union.merge.memory-bytes", Long::parseLong, Optional.of(64L << 20),
            "Memory one primary-key merge (one bucket's hot tail, held to drop the lake rows it replaces) may use; a larger tail is spilled to union.spill-dir, hash-partitioned by key.");
    public static final ConfigOption<String> SPILL_DIR = ConfigOption.string("union.spill-dir", "",
            "Local folder for the spill files of primary-key merges whose tail outgrows union.merge.memory-bytes; they are deleted when the merge ends. Empty: the JVM's temporary folder.");
    public static final ConfigOption<Duration> READ_TIMEOUT = new ConfigOption<>("union.read-timeout", Durations::parse, Optional.of(Duration.ofSeconds(30)),
            "How long a union read waits for hot rows below the high-water mark it planned at before it fails.");
    public static final ConfigOption<Integer> BATCH_ROWS = ConfigOption.integer("union.batch-rows", 4096,
            "Rows per Arrow batch a union read returns (lake rows are converted in batches of this size).");

    @Override
    public List<ConfigOption<?>> options()
    {
        return List.of(MERGE_MEMORY_BYTES, SPILL_DIR, READ_TIMEOUT, BATCH_ROWS);
    }

    /** The settings of a union reader, from a configuration. */
    public record Settings(long mergeMemoryBytes, Path spillDir, Duration readTimeout, int batchRows)
    {
        public static Settings from(InletConfig config)
        {
            String spill = config.get(SPILL_DIR);
            Path spillDir = spill == null || spill.isBlank() ? Path.of(System.getProperty("java.io.tmpdir")) : Path.of(spill);
            return new Settings(config.get(MERGE_MEMORY_BYTES), spillDir, config.get(READ_TIMEOUT), config.get(BATCH_ROWS));
        }

        public static Settings defaults()
        {
            return from(InletConfig.of(java.util.Map.of()));
        }

        public Settings withMergeMemoryBytes(long bytes)
        {
            return new Settings(bytes, spillDir, readTimeout, batchRows);
        }

        public Settings withBatchRows(int rows)
        {
            return new Settings(mergeMemoryBytes, spillDir, readTimeout, rows);
        }
    }
}
