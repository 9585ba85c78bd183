/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */

/**
 * Benchmarks: harnesses that compare Inlet against baselines measured in the same run and print
 * the ratios. {@link dev.inlet.bench.HotStoreBenchmark} measures hot-store ingest and fetch
 * against an Apache Kafka broker it starts; a store plugs in as an {@link dev.inlet.bench.IngestTarget}
 * (and {@link dev.inlet.bench.FetchTarget}), see {@link dev.inlet.bench.Targets}.
 */
package dev.inlet.bench;
