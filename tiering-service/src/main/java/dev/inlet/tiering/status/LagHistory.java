/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering.status;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code inlet tiering status --watch} has seen per lake table: at each refresh, the hot
 * store's end offsets and the tiered offsets, summed over the table's buckets. From two
 * refreshes comes the ingest rate; from one, how many rows the lake does not hold yet. Keeps the
 * newest {@code capacity} refreshes.
 */
public final class LagHistory
{
    /** One table at one refresh. */
    public record Sample(Instant at, long hotEnd, long tiered)
    {
        public long rowsBehind()
        {
            return Math.max(0, hotEnd - tiered);
        }
    }

    private final int capacity;
    private final Map<String, List<Sample>> tables = new LinkedHashMap<>();

    public LagHistory(int capacity)
    {
        if (capacity < 2) {
            throw new IllegalArgumentException("capacity must be at least 2: " + capacity);
        }
        this.capacity = capacity;
    }

    public void add(String table, Sample sample)
    {
        List<Sample> samples = tables.computeIfAbsent(table, t -> new ArrayList<>());
        samples.add(sample);
        if (samples.size() > capacity) {
            samples.removeFirst();
        }
    }

    public List<String> tables()
    {
        return List.copyOf(tables.keySet());
    }

    public List<Sample> samples(String table)
    {
        return List.copyOf(tables.getOrDefault(table, List.of()));
    }

    /** Rows per second written to the table between each refresh and the one before (one fewer than the samples). */
    public static List<Double> ingestRates(List<Sample> samples)
    {
        List<Double> rates = new ArrayList<>();
        for (int i = 1; i < samples.size(); i++) {
            double seconds = Duration.between(samples.get(i - 1).at(), samples.get(i).at()).toMillis() / 1000.0;
            rates.add(seconds <= 0 ? 0 : Math.max(0, samples.get(i).hotEnd() - samples.get(i - 1).hotEnd()) / seconds);
        }
        return rates;
    }

    /** The first refresh of any table: time zero of the plot. */
    public Instant start()
    {
        return tables.values().stream().filter(s -> !s.isEmpty()).map(List::getFirst).map(Sample::at).min(Instant::compareTo).orElse(Instant.EPOCH);
    }
}
