/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.kv;

import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.CompressionType;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

import java.util.List;

/**
 * What every bucket's RocksDB of one server shares: a block cache of a fixed size (so that memory
 * does not grow with the number of buckets) and the options a store is opened with. Close it after
 * every {@link KvTablet} opened with it.
 */
public final class KvStoreOptions
        implements AutoCloseable
{
    static {
        RocksDB.loadLibrary();
    }

    private static final long WRITE_BUFFER_BYTES = 16L << 20;
    /**
     * Files written by a flush (level 0) and the first level under it are not compressed: a flush
     * runs on the cores that merge the writes, and most of its time went to compressing. The lower
     * levels, where most of a large store's bytes end up, are LZ4-compressed (with dynamic level
     * sizes, the level a store's data reaches first counts as level 1 here; the bottommost level
     * is always compressed, so a small store's compacted data is too).
     */
    private static final List<CompressionType> COMPRESSION_PER_LEVEL = List.of(
            CompressionType.NO_COMPRESSION, CompressionType.NO_COMPRESSION,
            CompressionType.LZ4_COMPRESSION, CompressionType.LZ4_COMPRESSION, CompressionType.LZ4_COMPRESSION,
            CompressionType.LZ4_COMPRESSION, CompressionType.LZ4_COMPRESSION);

    private final Cache blockCache;
    private final BloomFilter filter;

    /** @param blockCacheBytes the block cache all stores share */
    public KvStoreOptions(long blockCacheBytes)
    {
        if (blockCacheBytes < 0) {
            throw new IllegalArgumentException("block cache bytes must not be negative: " + blockCacheBytes);
        }
        this.blockCache = new LRUCache(blockCacheBytes);
        // 10 bits a key: about 1% false positives
        this.filter = new BloomFilter(10);
    }

    /**
     * The options of one store (the caller closes them). Every write first reads its key, and a new
     * key's read would search the memtable and every SST file that may hold it: whole-key Bloom
     * filters in the memtable and in the SST files answer most of those reads without a search.
     * Public for the primary-key benchmark, whose raw RocksDB baseline opens its stores the same way.
     */
    public Options storeOptions()
    {
        return new Options()
                .setCreateIfMissing(true)
                .setWriteBufferSize(WRITE_BUFFER_BYTES)
                .setMaxBackgroundJobs(2)
                .setKeepLogFileNum(2)
                .setMemtablePrefixBloomSizeRatio(0.1)
                .setMemtableWholeKeyFiltering(true)
                .setCompressionPerLevel(COMPRESSION_PER_LEVEL)
                .setBottommostCompressionType(CompressionType.LZ4_COMPRESSION)
                .setTableFormatConfig(new BlockBasedTableConfig().setFilterPolicy(filter).setWholeKeyFiltering(true).setBlockCache(blockCache));
    }

    @Override
    public void close()
    {
        filter.close();
        blockCache.close();
    }
}
