/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.server;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TableInfo;
import dev.inlet.logstore.arrow.ArrowSchemas;
import dev.inlet.logstore.kv.ChangelogBatches;
import dev.inlet.logstore.kv.KeyEncoder;
import dev.inlet.logstore.kv.KvStoreOptions;
import dev.inlet.logstore.kv.KvTablet;
import dev.inlet.logstore.kv.RowCodec;
import dev.inlet.logstore.kv.RowMerger;
import dev.inlet.logstore.kv.TableSchema;
import dev.inlet.logstore.storage.BucketLog;
import dev.inlet.logstore.storage.LogBatch;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.types.pojo.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.IntFunction;

/**
 * What the buckets of one primary-key table share: the row and key encodings, the merge engine,
 * the auto-increment ids, and how a bucket's key-value state is opened and caught up with its log.
 *
 * <p>Thread-safe.
 */
final class KvTableState
{
    private static final Logger LOG = LoggerFactory.getLogger(KvTableState.class);
    private static final int REPLAY_READ_BYTES = 8 << 20;

    private final RowCodec codec;
    private final KeyEncoder keys;
    private final IntFunction<TableDescriptor> schemas;
    private final AutoIncrementIds ids;
    private final BufferAllocator allocator;
    private final KvStoreOptions storeOptions;
    private volatile Version version;

    /**
     * The schema rows are written with and the merge engine over it, replaced as one when a column
     * is added: a writer takes one version and uses it for the whole batch.
     */
    record Version(TableSchema schema, RowMerger merger, Schema logSchema)
    {
        Version(TableSchema schema)
        {
            this(schema, new RowMerger(schema.descriptor()), ArrowSchemas.toLogSchema(schema.descriptor()));
        }
    }

    KvTableState(TableInfo info, IntFunction<TableDescriptor> schemas, AutoIncrementIds ids, BufferAllocator allocator, KvStoreOptions storeOptions)
    {
        this.storeOptions = storeOptions;
        this.codec = new RowCodec(schemas);
        this.keys = new KeyEncoder(info.descriptor());
        this.schemas = schemas;
        this.ids = ids;
        this.allocator = allocator;
        this.version = new Version(new TableSchema(info.schemaId(), info.descriptor()));
    }

    synchronized void update(TableInfo newer)
    {
        if (newer.schemaId() > version.schema().schemaId()) {
            version = new Version(new TableSchema(newer.schemaId(), newer.descriptor()));
        }
    }

    Version version()
    {
        return version;
    }

    RowCodec codec()
    {
        return codec;
    }

    KeyEncoder keys()
    {
        return keys;
    }

    AutoIncrementIds ids()
    {
        return ids;
    }

    BufferAllocator allocator()
    {
        return allocator;
    }

    /**
     * Opens a bucket's key-value state and replays its log from the offset the state holds to the
     * end. A state ahead of the log (possible only when appends are acknowledged before an fsync
     * and a machine crash cut the log) is dropped and rebuilt from the newest snapshot not ahead of
     * the log, or from an empty store. A state the log cannot bring up to date (its log starts
     * after the state's offset) is refused: rebuilding it would silently lose rows.
     *
     * @throws InletException {@code CORRUPT_LOG} naming the bucket and both offsets
     */
    KvTablet openTablet(String name, Path dir, BucketLog log)
    {
        KvTablet tablet = KvTablet.open(name, dir, codec, storeOptions);
        long end = log.endOffset();
        if (tablet.appliedOffset() > end) {
            LOG.warn("Key-value state of {} holds offset {}, ahead of its log's end {}; rebuilding it from a snapshot not ahead of the log", name, tablet.appliedOffset(), end);
            tablet.close();
            KvTablet.discardStore(dir, end);
            tablet = KvTablet.open(name, dir, codec, storeOptions);
        }
        if (tablet.appliedOffset() < log.earliestOffset()) {
            long applied = tablet.appliedOffset();
            tablet.close();
            throw new InletException(InletErrorCode.CORRUPT_LOG, "The key-value state of " + name + " holds the log up to offset " + applied + ", but the log starts at "
                    + log.earliestOffset() + ": the changes in between are gone. Restore the bucket's kv-snapshots or its log segments");
        }
        TableSchema current = version.schema();
        long from = tablet.appliedOffset();
        long rows = 0;
        try {
            long offset = from;
            while (offset < end) {
                var batches = log.read(offset, end, REPLAY_READ_BYTES).batches();
                if (batches.isEmpty()) {
                    break;
                }
                for (LogBatch batch : batches) {
                    if (batch.header().recordCount() == 0 || batch.header().nextOffset() <= offset) {
                        continue;
                    }
                    TableDescriptor written = schemas.apply(batch.header().schemaId());
                    var changes = ChangelogBatches.decode(written, current.descriptor(), batch.readPayload(), allocator);
                    tablet.replay(changes, keys, current, batch.header().nextOffset());
                    rows += changes.size();
                    offset = batch.header().nextOffset();
                }
            }
        }
        catch (IOException e) {
            tablet.close();
            throw new UncheckedIOException("Replay of the log of " + name + " into its key-value state failed", e);
        }
        LOG.info("Key-value state of {}: replayed {} changelog rows, offsets [{}, {})", name, rows, from, end);
        return tablet;
    }
}
