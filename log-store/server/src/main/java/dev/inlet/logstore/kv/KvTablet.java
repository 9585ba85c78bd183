/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.kv;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.logstore.storage.FileTrees;
import org.rocksdb.Checkpoint;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

import static java.util.Objects.requireNonNull;

/**
 * The current row of every key of one bucket (of one partition), in RocksDB, kept in step with the
 * bucket's log, which is its write-ahead log:
 *
 * <ol>
 * <li>a writer takes {@link #writeLock()}, reads the stored rows of its keys with {@link #get}
 *     (which sees the writes of earlier batches that are not yet durable), merges, appends the
 *     changelog to the log and {@link #stage stages} the new rows, then releases the lock;</li>
 * <li>once the append is durable, {@link #commit} writes the staged rows to RocksDB together with
 *     the log offset they reach, in one atomic write batch, in append order. RocksDB's own WAL is
 *     off: the log is the WAL.</li>
 * </ol>
 * Lookups read RocksDB only, so they see exactly the acknowledged writes. On open, the state is
 * RocksDB as last flushed plus a {@link #recover replay} of the log from the offset it holds; if
 * the store is missing or damaged it is rebuilt from the newest local snapshot.
 *
 * <p>Thread-safe.
 */
public final class KvTablet
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(KvTablet.class);

    static {
        RocksDB.loadLibrary();
    }

    /** Bookkeeping entries start with tag 0; row keys with {@link KeyEncoder#ROW_KEY_TAG}. */
    private static final byte[] APPLIED_OFFSET_KEY = {0, 'o'};
    private static final String STORE_DIR = "kv";
    public static final String SNAPSHOTS_DIR = "kv-snapshots";
    private static final int SNAPSHOTS_TO_KEEP = 2;

    private final String name;
    private final Path bucketDir;
    private final RowCodec codec;
    private final Options options;
    private final WriteOptions writeOptions;
    private final RocksDB db;
    private final ReentrantLock writeLock = new ReentrantLock();

    // batches appended to the log but not yet in RocksDB, oldest first; guarded by `this`
    private final Deque<Batch> uncommitted = new ArrayDeque<>();
    // the same, published for writers' reads without a lock: a batch leaves it only after its
    // rows are in RocksDB, so a reader finds each row in one of the two
    private volatile Batch[] staged = new Batch[0];
    private long nextToken;
    private volatile long appliedOffset;
    private volatile Throwable failure;

    /** Marks a key a staged batch does not hold (a stored value is never empty). */
    private static final byte[] ABSENT = new byte[0];

    private static final class Batch
    {
        final long token;
        final Map<ByteKey, byte[]> writes;
        long endOffset = -1;
        boolean durable;

        Batch(long token, Map<ByteKey, byte[]> writes)
        {
            this.token = token;
            this.writes = writes;
        }
    }

    private KvTablet(String name, Path bucketDir, RowCodec codec, Options options, RocksDB db)
    {
        this.name = name;
        this.bucketDir = bucketDir;
        this.codec = codec;
        this.options = options;
        this.writeOptions = new WriteOptions().setDisableWAL(true);
        this.db = db;
        this.appliedOffset = readAppliedOffset();
    }

    /**
     * Opens the bucket's store under {@code bucketDir/kv}; if it is missing and a snapshot exists
     * (or it cannot be opened), the newest snapshot is copied in first. The caller then replays
     * the log from {@link #appliedOffset()} ({@code KvTableState.openTablet}).
     *
     * @param storeOptions the server's, shared by its stores; open until this tablet is closed
     */
    public static KvTablet open(String name, Path bucketDir, RowCodec codec, KvStoreOptions storeOptions)
    {
        Path store = bucketDir.resolve(STORE_DIR);
        Options options = storeOptions.storeOptions();
        try {
            Files.createDirectories(bucketDir);
            if (!Files.exists(store)) {
                restoreNewestSnapshot(name, bucketDir, store);
            }
            RocksDB db;
            try {
                db = RocksDB.open(options, store.toString());
            }
            catch (RocksDBException e) {
                log.warn("Key-value store of {} cannot be opened ({}); rebuilding it from the newest snapshot and the log", name, e.getMessage());
                FileTrees.deleteRecursively(store);
                restoreNewestSnapshot(name, bucketDir, store);
                db = RocksDB.open(options, store.toString());
            }
            return new KvTablet(name, bucketDir, codec, options, db);
        }
        catch (RocksDBException | IOException e) {
            options.close();
            throw new InletException(InletErrorCode.SERVER_UNAVAILABLE, "Cannot open the key-value store of " + name + " in " + store + ": " + e.getMessage(), e);
        }
    }

    private static void restoreNewestSnapshot(String name, Path bucketDir, Path store)
            throws IOException
    {
        List<Long> snapshots = snapshotOffsets(bucketDir);
        if (snapshots.isEmpty()) {
            return;
        }
        long offset = snapshots.getLast();
        Path source = bucketDir.resolve(SNAPSHOTS_DIR).resolve(Long.toString(offset));
        log.info("Restoring the key-value store of {} from its snapshot at offset {}", name, offset);
        Files.createDirectories(store);
        try (var files = Files.list(source)) {
            for (Path file : files.toList()) {
                Files.copy(file, store.resolve(file.getFileName()));
            }
        }
    }

    /**
     * Deletes a closed bucket's store and its snapshots newer than {@code maxOffset}, so that the
     * next {@link #open} starts from the newest snapshot at or below it (or from empty).
     */
    public static void discardStore(Path bucketDir, long maxOffset)
    {
        FileTrees.deleteRecursively(bucketDir.resolve(STORE_DIR));
        try {
            for (long offset : snapshotOffsets(bucketDir)) {
                if (offset > maxOffset) {
                    FileTrees.deleteRecursively(bucketDir.resolve(SNAPSHOTS_DIR).resolve(Long.toString(offset)));
                }
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot list the snapshots in " + bucketDir, e);
        }
    }

    /** The offsets of the local snapshots, oldest first. */
    public static List<Long> snapshotOffsets(Path bucketDir)
            throws IOException
    {
        Path dir = bucketDir.resolve(SNAPSHOTS_DIR);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var children = Files.list(dir)) {
            return children.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d+")).map(Long::parseLong).sorted().toList();
        }
    }

    /** The log offset the store has applied: every changelog row below it is in RocksDB. */
    public long appliedOffset()
    {
        return appliedOffset;
    }

    /** Held while a batch is merged, appended and staged, so that batches stage in append order. */
    public ReentrantLock writeLock()
    {
        return writeLock;
    }

    /**
     * The key's current row for a writer: the newest staged value, else RocksDB. The caller holds
     * {@link #writeLock()}.
     */
    public Object[] get(ByteKey key, TableSchema schema)
    {
        byte[] value = getValue(key);
        return value == null ? null : codec.decode(value, schema);
    }

    /** The key's current encoded row ({@link RowCodec}) for a writer, or null; as {@link #get}. */
    public byte[] getValue(ByteKey key)
    {
        checkHealthy();
        Batch[] batches = staged;
        for (int i = batches.length - 1; i >= 0; i--) {
            byte[] value = batches[i].writes.getOrDefault(key, ABSENT);
            if (value != ABSENT) {
                return value;
            }
        }
        try {
            return db.get(key.bytes());
        }
        catch (RocksDBException e) {
            throw new InletException(InletErrorCode.SERVER_UNAVAILABLE, "Lookup in the key-value store of " + name + " failed: " + e.getMessage(), e);
        }
    }

    /** The key's row as acknowledged writes left it (RocksDB only), or null. */
    public Object[] lookup(byte[] key, TableSchema schema)
    {
        byte[] value = lookupValue(key);
        return value == null ? null : codec.decode(value, schema);
    }

    /** The key's encoded row ({@link RowCodec}) as acknowledged writes left it (RocksDB only), or null. */
    public byte[] lookupValue(byte[] key)
    {
        try {
            return db.get(key);
        }
        catch (RocksDBException e) {
            throw new InletException(InletErrorCode.SERVER_UNAVAILABLE, "Lookup in the key-value store of " + name + " failed: " + e.getMessage(), e);
        }
    }

    /** The encoded rows whose keys start with {@code prefix} (RocksDB only), in key order. */
    public List<byte[]> prefixLookupValues(byte[] prefix)
    {
        List<byte[]> values = new java.util.ArrayList<>();
        try (RocksIterator it = db.newIterator()) {
            for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
                values.add(it.value());
            }
        }
        return values;
    }

    private static boolean startsWith(byte[] key, byte[] prefix)
    {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /**
     * Stages one batch's new rows (null value: deleted) so that later batches see them; returns
     * the token to {@link #commit} or {@link #abort} it with. The caller holds {@link #writeLock()}
     * and has just appended the batch's changelog; the map is the tablet's from now on.
     */
    public long stage(Map<ByteKey, byte[]> writes)
    {
        checkHealthy();
        synchronized (this) {
            long token = nextToken++;
            uncommitted.addLast(new Batch(token, writes));
            staged = uncommitted.toArray(Batch[]::new);
            return token;
        }
    }

    /**
     * The batch's changelog is durable up to {@code endOffset}: writes it, and every earlier batch
     * that is durable too, to RocksDB in append order.
     */
    public void commit(long token, long endOffset)
    {
        synchronized (this) {
            for (Batch b : uncommitted) {
                if (b.token == token) {
                    b.durable = true;
                    b.endOffset = endOffset;
                }
            }
            boolean written = false;
            while (!uncommitted.isEmpty() && uncommitted.peekFirst().durable) {
                write(uncommitted.peekFirst().writes, uncommitted.peekFirst().endOffset);
                uncommitted.pollFirst(); // after the write: readers find its rows in RocksDB now
                written = true;
            }
            if (written) {
                staged = uncommitted.toArray(Batch[]::new);
                notifyAll();
            }
        }
    }

    /**
     * Waits until every batch staged so far is in RocksDB: a reader that found a key only in a
     * staged batch (another writer's, not acknowledged yet) reads it once it is.
     *
     * @throws InletException {@code SERVER_UNAVAILABLE} if that takes longer than {@code timeout}
     *     or an append failed
     */
    public void awaitStagedWritten(Duration timeout)
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            long last = nextToken - 1;
            while (!uncommitted.isEmpty() && uncommitted.peekFirst().token <= last) {
                checkHealthy();
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new InletException(InletErrorCode.SERVER_UNAVAILABLE, "Writes staged in " + name + " were not durable within " + timeout.toSeconds() + "s");
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InletException(InletErrorCode.SERVER_UNAVAILABLE, "Interrupted while waiting for writes staged in " + name);
                }
            }
        }
    }

    /**
     * The batch's append failed: the staged rows are not in the log, so the state ahead of the log
     * is wrong. The tablet refuses writes until the server reopens it (and replays the log).
     */
    public void abort(long token, Throwable cause)
    {
        failure = cause;
        synchronized (this) {
            notifyAll(); // readers waiting for staged writes see the failure
        }
        log.error("Append to {} failed after its rows were merged; its key-value state is refused until a restart rebuilds it from the log", name, cause);
    }

    private void checkHealthy()
    {
        if (failure != null) {
            throw new InletException(InletErrorCode.SERVER_UNAVAILABLE, "The key-value state of " + name + " is offline after a failed append (" + failure.getMessage()
                    + "); restart the hot store to rebuild it from the log");
        }
    }

    private void write(Map<ByteKey, byte[]> writes, long endOffset)
    {
        try (WriteBatch batch = new WriteBatch()) {
            for (Map.Entry<ByteKey, byte[]> e : writes.entrySet()) {
                if (e.getValue() == null) {
                    batch.delete(e.getKey().bytes());
                }
                else {
                    batch.put(e.getKey().bytes(), e.getValue());
                }
            }
            batch.put(APPLIED_OFFSET_KEY, ByteBuffer.allocate(8).putLong(endOffset).array());
            db.write(writeOptions, batch);
            appliedOffset = Math.max(appliedOffset, endOffset);
        }
        catch (RocksDBException e) {
            failure = e;
            throw new InletException(InletErrorCode.SERVER_UNAVAILABLE, "Write to the key-value store of " + name + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Replays changelog rows read from the log ({@code +I}/{@code +U} store the row, {@code -D}
     * removes it, {@code -U} changes nothing), then records {@code endOffset} as applied. Used at
     * open for the log after {@link #appliedOffset()}.
     */
    public void replay(List<RowMerger.Change> changes, KeyEncoder keys, TableSchema schema, long endOffset)
    {
        Map<ByteKey, byte[]> writes = new HashMap<>();
        for (RowMerger.Change change : changes) {
            switch (change.type()) {
                case INSERT, UPDATE_AFTER -> writes.put(new ByteKey(keys.encode(change.row())), codec.encode(change.row(), schema));
                case DELETE -> writes.put(new ByteKey(keys.encode(change.row())), null);
                default -> {}
            }
        }
        synchronized (this) {
            write(writes, endOffset);
        }
    }

    /**
     * The state is ahead of the log (possible only when the log is not fsynced before acks and
     * lost its tail in a crash): empties the store so that it is rebuilt from the log.
     */
    public void resetTo(long offset)
    {
        try (RocksIterator it = db.newIterator(); WriteBatch batch = new WriteBatch()) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                batch.delete(it.key());
            }
            batch.put(APPLIED_OFFSET_KEY, ByteBuffer.allocate(8).putLong(offset).array());
            db.write(writeOptions, batch);
            appliedOffset = offset;
        }
        catch (RocksDBException e) {
            throw new InletException(InletErrorCode.SERVER_UNAVAILABLE, "Cannot reset the key-value store of " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Takes a snapshot (a RocksDB checkpoint: hard links to its files) tagged with the offset it
     * includes, under {@code kv-snapshots/<offset>}, keeping the newest {@value #SNAPSHOTS_TO_KEEP}.
     *
     * @return the snapshot's offset
     */
    public long snapshot()
    {
        synchronized (this) {
            long offset = appliedOffset;
            Path target = bucketDir.resolve(SNAPSHOTS_DIR).resolve(Long.toString(offset));
            try {
                if (Files.exists(target)) {
                    return offset;
                }
                Files.createDirectories(target.getParent());
                try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                    db.flush(flush);
                }
                Path temp = target.resolveSibling(offset + ".tmp");
                FileTrees.deleteRecursively(temp);
                try (Checkpoint checkpoint = Checkpoint.create(db)) {
                    checkpoint.createCheckpoint(temp.toString());
                }
                Files.move(temp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                List<Long> all = snapshotOffsets(bucketDir);
                for (int i = 0; i < all.size() - SNAPSHOTS_TO_KEEP; i++) {
                    FileTrees.deleteRecursively(bucketDir.resolve(SNAPSHOTS_DIR).resolve(Long.toString(all.get(i))));
                }
                return offset;
            }
            catch (RocksDBException | IOException e) {
                throw new InletException(InletErrorCode.SERVER_UNAVAILABLE, "Snapshot of the key-value store of " + name + " failed: " + e.getMessage(), e);
            }
        }
    }

    /** Receives a scan: first the log offset the view includes, then its rows. */
    public interface ScanVisitor
    {
        void start(long offset);

        void row(Object[] row);
    }

    /**
     * Reads every row of a consistent view of the store, in key order, after telling the visitor
     * the log offset the view includes (a scan of the current state, e.g. for a first tiering
     * round: the log from that offset on continues it exactly).
     */
    public void scan(TableSchema schema, ScanVisitor visitor)
    {
        Snapshot snapshot = db.getSnapshot();
        try (ReadOptions read = new ReadOptions().setSnapshot(snapshot); RocksIterator it = db.newIterator(read)) {
            byte[] applied = db.get(read, APPLIED_OFFSET_KEY);
            visitor.start(applied == null ? 0 : ByteBuffer.wrap(applied).getLong());
            for (it.seek(new byte[] {KeyEncoder.ROW_KEY_TAG}); it.isValid(); it.next()) {
                visitor.row(codec.decode(it.value(), schema));
            }
        }
        catch (RocksDBException e) {
            throw new InletException(InletErrorCode.SERVER_UNAVAILABLE, "Scan of the key-value store of " + name + " failed: " + e.getMessage(), e);
        }
        finally {
            db.releaseSnapshot(snapshot);
        }
    }

    private long readAppliedOffset()
    {
        try {
            byte[] value = db.get(APPLIED_OFFSET_KEY);
            return value == null ? 0 : ByteBuffer.wrap(value).getLong();
        }
        catch (RocksDBException e) {
            throw new InletException(InletErrorCode.SERVER_UNAVAILABLE, "Cannot read the applied offset of " + name + ": " + e.getMessage(), e);
        }
    }

    /** Flushes the memtable (so a restart replays less) and closes the store. */
    @Override
    public void close()
    {
        synchronized (this) {
            try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                if (failure == null) {
                    db.flush(flush);
                }
            }
            catch (RocksDBException e) {
                log.warn("Flush of {} at close failed; the next start replays more of the log", name, e);
            }
            db.close();
            writeOptions.close();
            options.close();
        }
    }

    public void closeAndDelete()
    {
        close();
        FileTrees.deleteRecursively(bucketDir.resolve(STORE_DIR));
        FileTrees.deleteRecursively(bucketDir.resolve(SNAPSHOTS_DIR));
    }

    @Override
    public String toString()
    {
        return "KvTablet[" + name + ", applied " + appliedOffset + "]";
    }
}
