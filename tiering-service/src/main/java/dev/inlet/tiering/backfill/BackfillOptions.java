/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering.backfill;

import dev.inlet.catalog.config.ConfigOption;
import dev.inlet.catalog.config.ConfigOptionProvider;
import dev.inlet.catalog.config.Durations;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The configuration keys of {@code inlet backfill} (see {@code conf/inlet.properties}). */
public final class BackfillOptions
        implements ConfigOptionProvider
{
    public static final ConfigOption<Long> COMMIT_BYTES = new ConfigOption<>("backfill.commit-bytes", Long::parseLong, Optional.of(512L << 20),
            "A backfill commits to the lake once the source files it read since its last commit reach this many bytes (a file is never split across commits), so a crash loses at most this much work.");
    public static final ConfigOption<Duration> LEASE_TIMEOUT = new ConfigOption<>("backfill.lease-timeout", Durations::parse, Optional.of(Duration.ofMinutes(5)),
            "How long a backfill waits for the tiering daemon to hand it a table's lease for a commit (the daemon does so between two rounds) before it gives up, committing nothing.");
    public static final ConfigOption<Duration> PROGRESS_INTERVAL = new ConfigOption<>("backfill.progress-interval", Durations::parse, Optional.of(Duration.ofSeconds(5)),
            "How often a backfill prints a progress line when its output is not a terminal (a terminal gets a progress bar, redrawn every second).");

    @Override
    public List<ConfigOption<?>> options()
    {
        return all();
    }

    public static List<ConfigOption<?>> all()
    {
        return List.of(COMMIT_BYTES, LEASE_TIMEOUT, PROGRESS_INTERVAL);
    }
}
