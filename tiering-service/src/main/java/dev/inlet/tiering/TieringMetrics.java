/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;

/**
 * The tiering service's Prometheus metrics: per table, rounds by outcome, round duration, rows
 * tiered, lag in offsets per bucket and the age of the newest lake snapshot. Thread-safe.
 */
public final class TieringMetrics
        implements AutoCloseable
{
    private final PrometheusRegistry registry = new PrometheusRegistry();
    final Counter rounds;
    final Histogram roundSeconds;
    final Counter rows;
    final Gauge lagOffsets;
    final Gauge lakeAgeSeconds;
    final Counter maintenance;
    private HTTPServer http;

    public TieringMetrics()
    {
        rounds = Counter.builder().name("inlet_tiering_rounds_total").help("Tiering rounds, by outcome: committed, empty (nothing new), failed")
                .labelNames("table", "outcome").register(registry);
        roundSeconds = Histogram.builder().name("inlet_tiering_round_seconds").help("Duration of a tiering round that committed").labelNames("table").register(registry);
        rows = Counter.builder().name("inlet_tiering_rows_total").help("Hot rows written to the lake").labelNames("table").register(registry);
        lagOffsets = Gauge.builder().name("inlet_tiering_lag_offsets").help("Hot offsets not yet in the lake, per bucket, as of the last round")
                .labelNames("table", "partition", "bucket").register(registry);
        lakeAgeSeconds = Gauge.builder().name("inlet_tiering_lake_age_seconds")
                .help("Seconds since the newest lake snapshot of a table was committed while it had rows to tier (0 when the lake is up to date)")
                .labelNames("table").register(registry);
        maintenance = Counter.builder().name("inlet_tiering_maintenance_total")
                .help("Maintenance of lake tables: Iceberg partitions compacted (kind=compaction), Iceberg expiry passes (kind=expiry), orphan files deleted (kind=orphans), failed passes (kind=failed)")
                .labelNames("table", "kind").register(registry);
        JvmMetrics.builder().register(registry);
    }

    public PrometheusRegistry registry()
    {
        return registry;
    }

    /** Serves {@code /metrics}; returns the bound port. */
    public int serve(String host, int port)
            throws IOException
    {
        http = HTTPServer.builder().hostname(host).port(port == -1 ? 0 : port).registry(registry).buildAndStart();
        return http.getPort();
    }

    @Override
    public void close()
    {
        if (http != null) {
            http.close();
        }
    }
}
