/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */

/**
 * The hot store (not built yet): per-bucket append-only logs of Arrow IPC record batches in segment files, primary-key tables on RocksDB whose writes produce a full-row changelog, the Arrow Flight server, and the InletClient library.
 */
package dev.inlet.logstore;
