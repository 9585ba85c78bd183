/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.server;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;

/**
 * The hot store's Prometheus metrics, served at {@code http://<server.host>:<server.metrics.port>/metrics}.
 * Per table: bytes and records in and out; per request kind: latency; fsync latency; segments and
 * log bytes; errors by code. Thread-safe.
 */
public final class ServerMetrics
        implements AutoCloseable
{
    private final PrometheusRegistry registry = new PrometheusRegistry();
    final Counter bytesIn;
    final Counter recordsIn;
    final Counter bytesOut;
    final Counter recordsOut;
    final Histogram requestSeconds;
    final Histogram fsyncSeconds;
    final Gauge segments;
    final Gauge logBytes;
    final Counter errors;
    final Gauge lookupConnections;
    private HTTPServer http;

    public ServerMetrics()
    {
        bytesIn = Counter.builder().name("inlet_hot_bytes_in_total").help("Arrow payload bytes appended").labelNames("table").register(registry);
        recordsIn = Counter.builder().name("inlet_hot_records_in_total").help("Rows appended").labelNames("table").register(registry);
        bytesOut = Counter.builder().name("inlet_hot_bytes_out_total").help("Arrow payload bytes sent to readers").labelNames("table").register(registry);
        recordsOut = Counter.builder().name("inlet_hot_records_out_total").help("Rows sent to readers").labelNames("table").register(registry);
        requestSeconds = Histogram.builder().name("inlet_hot_request_seconds").help("Latency of requests, by kind (append = until the batch is durable)")
                .labelNames("kind").register(registry);
        fsyncSeconds = Histogram.builder().name("inlet_hot_fsync_seconds").help("Duration of one group-commit fsync").register(registry);
        segments = Gauge.builder().name("inlet_hot_segments").help("Segment files, as of the last retention pass").labelNames("table").register(registry);
        logBytes = Gauge.builder().name("inlet_hot_log_bytes").help("Bytes in segment files, as of the last retention pass").labelNames("table").register(registry);
        errors = Counter.builder().name("inlet_hot_errors_total").help("Requests that failed, by error code").labelNames("code").register(registry);
        lookupConnections = Gauge.builder().name("inlet_hot_lookup_connections").help("Open connections on the lookup port").register(registry);
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
        http = HTTPServer.builder().hostname(host).port(port).registry(registry).buildAndStart();
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
