/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.bench;

import dev.inlet.logstore.kv.KvStoreOptions;
import dev.inlet.logstore.server.ServerOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The baseline of the primary-key benchmark: the same rows written straight into RocksDB from
 * this JVM, by one thread, with no server, no network and no log of Inlet's own. As Inlet's
 * server does, it keeps one RocksDB per bucket (rows routed by {@code id}) opened with the options
 * of Inlet's {@code KvTablet} ({@link KvStoreOptions}: 16 MiB write buffer, 2 background jobs,
 * whole-key Bloom filters in memtables and SST files, one shared block cache of the server's
 * default {@code kv.block-cache.bytes}); keys and values are
 * {@link KvRows#encodeKey} and {@link KvRows#encodeValue}, encoded inside the timed pass. Rows are
 * gathered per bucket into a {@link WriteBatch}, written once it holds the writer's batch rows or
 * batch bytes (Inlet's client batching), and every open batch is written at the end of a pass.
 *
 * <p>Unlike Inlet's server, which turns RocksDB's WAL off because its log is the WAL, the baseline
 * keeps RocksDB's WAL on, so that its writes are as durable as the Inlet mode they are compared
 * with: {@link Sync#SYNC} writes each batch with {@code sync=true} (the WAL is fsynced before the
 * write returns), {@link Sync#NO_SYNC} with {@code sync=false} (the WAL is in the page cache).
 */
final class RocksDbBaseline
        implements AutoCloseable
{
    static {
        RocksDB.loadLibrary();
    }

    /** How a write batch is made durable. */
    enum Sync
    {
        SYNC("wal+sync", "WAL on, WriteOptions.sync=true: the WAL is fsynced once per write batch before it returns"),
        NO_SYNC("wal", "WAL on, WriteOptions.sync=false: the WAL is written to the page cache per write batch, no fsync");

        private final String label;
        private final String description;

        Sync(String label, String description)
        {
            this.label = label;
            this.description = description;
        }

        String label()
        {
            return label;
        }

        String description()
        {
            return description;
        }
    }

    /** What the baseline does per row. */
    enum Operation
    {
        /** A blind put of the new row. */
        PUT("put"),
        /** A get of the key's stored row, then the put: the read an upsert's merge makes. */
        GET_PUT("get+put");

        private final String label;

        Operation(String label)
        {
            this.label = label;
        }

        String label()
        {
            return label;
        }
    }

    private final KvStoreOptions storeOptions;
    private final Options options;
    private final WriteOptions writeOptions;
    private final RocksDB[] dbs;
    private final Operation operation;
    private final int batchRows;
    private final long batchBytes;

    RocksDbBaseline(Path directory, int buckets, Sync sync, Operation operation, int batchRows, long batchBytes)
            throws Exception
    {
        this.operation = operation;
        this.batchRows = batchRows;
        this.batchBytes = batchBytes;
        this.storeOptions = new KvStoreOptions(ServerOptions.KV_BLOCK_CACHE_BYTES.defaultValue().orElseThrow());
        this.options = storeOptions.storeOptions();
        this.writeOptions = new WriteOptions().setSync(sync == Sync.SYNC).setDisableWAL(false);
        this.dbs = new RocksDB[buckets];
        for (int b = 0; b < buckets; b++) {
            Path dir = directory.resolve("bucket-" + b);
            Files.createDirectories(dir);
            dbs[b] = RocksDB.open(options, dir.toString());
        }
    }

    /** Writes the rows; returns once every write batch has returned (durable under the sync mode). */
    void write(List<Object[]> rows)
            throws RocksDBException
    {
        WriteBatch[] open = new WriteBatch[dbs.length];
        int[] openRows = new int[dbs.length];
        long[] openBytes = new long[dbs.length];
        try {
            for (int b = 0; b < dbs.length; b++) {
                open[b] = new WriteBatch();
            }
            for (Object[] row : rows) {
                long id = (Long) row[0];
                int b = (int) Math.floorMod(id * 0x9E3779B97F4A7C15L >>> 16, (long) dbs.length);
                byte[] key = KvRows.encodeKey(id);
                if (operation == Operation.GET_PUT) {
                    dbs[b].get(key);
                }
                byte[] value = KvRows.encodeValue(row);
                open[b].put(key, value);
                openRows[b]++;
                openBytes[b] += key.length + value.length;
                if (openRows[b] >= batchRows || openBytes[b] >= batchBytes) {
                    dbs[b].write(writeOptions, open[b]);
                    open[b].clear();
                    openRows[b] = 0;
                    openBytes[b] = 0;
                }
            }
            for (int b = 0; b < dbs.length; b++) {
                if (openRows[b] > 0) {
                    dbs[b].write(writeOptions, open[b]);
                }
            }
        }
        finally {
            for (WriteBatch batch : open) {
                if (batch != null) {
                    batch.close();
                }
            }
        }
    }

    /** Reads back one key, to check the baseline stored what it was given. */
    byte[] get(long id)
            throws RocksDBException
    {
        int b = (int) Math.floorMod(id * 0x9E3779B97F4A7C15L >>> 16, (long) dbs.length);
        return dbs[b].get(KvRows.encodeKey(id));
    }

    @Override
    public void close()
    {
        for (RocksDB db : dbs) {
            if (db != null) {
                db.close();
            }
        }
        writeOptions.close();
        options.close();
        storeOptions.close();
    }
}
