/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.server;

import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TableInfo;
import dev.inlet.logstore.kv.ChangelogBatches;
import dev.inlet.logstore.kv.KeyEncoder;
import dev.inlet.logstore.kv.KvTablet;
import dev.inlet.logstore.kv.RowCodec;
import dev.inlet.logstore.kv.RowMerger;
import dev.inlet.logstore.storage.BucketLog;
import dev.inlet.logstore.storage.LogBatch;
import org.apache.arrow.memory.BufferAllocator;
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
    private volatile RowMerger merger;

    KvTableState(TableInfo info, IntFunction<TableDescriptor> schemas, AutoIncrementIds ids, BufferAllocator allocator)
    {
        this.codec = new RowCodec(info.schemaId(), info.descriptor(), schemas);
        this.keys = new KeyEncoder(info.descriptor());
        this.schemas = schemas;
        this.ids = ids;
        this.allocator = allocator;
        this.merger = new RowMerger(info.descriptor());
    }

    void update(TableInfo newer)
    {
        codec.update(newer.schemaId(), newer.descriptor());
        merger = new RowMerger(newer.descriptor());
    }

    RowCodec codec()
    {
        return codec;
    }

    KeyEncoder keys()
    {
        return keys;
    }

    RowMerger merger()
    {
        return merger;
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
     * end. A state ahead of the log (a log that was not fsynced before acks lost its tail) is
     * emptied and rebuilt from the start of the log.
     */
    KvTablet openTablet(String name, Path dir, BucketLog log)
    {
        KvTablet tablet = KvTablet.open(name, dir, codec);
        long end = log.endOffset();
        if (tablet.appliedOffset() > end || tablet.appliedOffset() < log.earliestOffset()) {
            LOG.warn("Key-value state of {} holds offset {}, outside its log's [{}, {}); rebuilding it from the log", name, tablet.appliedOffset(), log.earliestOffset(), end);
            tablet.resetTo(log.earliestOffset());
        }
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
                    var changes = ChangelogBatches.decode(written, codec.descriptor(), batch.readPayload(), allocator);
                    tablet.replay(changes, keys, batch.header().nextOffset());
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
