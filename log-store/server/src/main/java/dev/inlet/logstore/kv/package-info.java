/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/**
 * The key-value state of primary-key tables: per bucket, the current row of each key in RocksDB,
 * kept consistent with the bucket's log, which is its write-ahead log.
 *
 * <p>Start with {@link dev.inlet.logstore.kv.KvTablet} (one bucket: merge, append the changelog,
 * apply after it is durable, recover by replaying the log from the offset RocksDB holds,
 * snapshots), then {@link dev.inlet.logstore.kv.RowMerger} (the merge engines and partial updates)
 * and the encodings {@link dev.inlet.logstore.kv.RowCodec} and {@link dev.inlet.logstore.kv.KeyEncoder}.
 * {@code docs/kv.md} describes the design; {@code TestRowMerger} checks every engine against a
 * reference model and {@code TestKvTablet} recovery and snapshots.
 */
package dev.inlet.logstore.kv;
