/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.kv;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.FlushOptions;
import org.rocksdb.LiveFileMetaData;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.TableProperties;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The options a hot store's RocksDB is opened with take effect: files flushed from a memtable are
 * not compressed (a flush runs on the same cores as the writes, and most of its time was
 * compression), files compacted to the bottommost level are LZ4-compressed, and point reads and
 * ordered scans read both kinds.
 */
class TestKvStoreOptions
{
    private static final int KEYS = 5_000;

    @TempDir
    Path directory;

    @Test
    void flushedFilesAreUncompressedAndCompactedFilesAreLz4()
            throws RocksDBException
    {
        try (KvStoreOptions shared = new KvStoreOptions(8L << 20);
                Options options = shared.storeOptions();
                RocksDB db = RocksDB.open(options, directory.toString());
                WriteOptions write = new WriteOptions().setDisableWAL(true);
                FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            // every key twice, in two flushed files, so that the compaction must merge them (a
            // file that overlaps nothing would only be moved down a level, not rewritten)
            for (int round = 0; round < 2; round++) {
                try (WriteBatch batch = new WriteBatch()) {
                    for (int k = 0; k < KEYS; k++) {
                        batch.put(key(k), round == 0 ? value(-k) : value(k));
                    }
                    db.write(write, batch);
                }
                db.flush(flush);
            }
            assertThat(compressionByLevel(db)).isEqualTo(Map.of(0, "NoCompression"));
            assertThat(db.getLiveFilesMetaData()).hasSize(2);

            db.compactRange();
            assertThat(compressionByLevel(db)).isEqualTo(Map.of(6, "LZ4"));

            assertThat(db.get(key(0))).isEqualTo(value(0));
            assertThat(db.get(key(4_321))).isEqualTo(value(4_321));
            assertThat(db.get(key(KEYS))).isNull();
            try (RocksIterator scan = db.newIterator()) {
                int seen = 0;
                for (scan.seek(key(1_000)); scan.isValid() && seen < 3; scan.next(), seen++) {
                    assertThat(scan.key()).isEqualTo(key(1_000 + seen));
                    assertThat(scan.value()).isEqualTo(value(1_000 + seen));
                }
                assertThat(seen).isEqualTo(3);
            }
        }
    }

    @Test
    void aNegativeBlockCacheIsRefused()
    {
        assertThatThrownBy(() -> new KvStoreOptions(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("block cache bytes must not be negative: -1");
    }

    /** Each level that holds files, with the compression of its files. */
    private static Map<Integer, String> compressionByLevel(RocksDB db)
            throws RocksDBException
    {
        Map<String, TableProperties> properties = db.getPropertiesOfAllTables();
        Map<Integer, String> byLevel = new TreeMap<>();
        for (LiveFileMetaData file : db.getLiveFilesMetaData()) {
            String name = file.fileName().replaceFirst("^/", "");
            TableProperties table = properties.entrySet().stream()
                    .filter(entry -> entry.getKey().endsWith("/" + name))
                    .map(Map.Entry::getValue)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no table properties for " + name + " in " + properties.keySet()));
            String previous = byLevel.put(file.level(), table.getCompressionName());
            assertThat(previous).as("files of level %s", file.level()).isIn(null, table.getCompressionName());
        }
        return byLevel;
    }

    private static byte[] key(int k)
    {
        // big-endian, so that byte order is number order, as the hot store's keys
        return new byte[] {1, (byte) (k >>> 24), (byte) (k >>> 16), (byte) (k >>> 8), (byte) k};
    }

    private static byte[] value(int k)
    {
        return ("row " + k + " of a value long enough to be worth compressing, row " + k).getBytes(StandardCharsets.UTF_8);
    }
}
