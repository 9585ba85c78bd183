/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.server;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.logstore.arrow.ArrowIpc;
import dev.inlet.logstore.kv.RowCodec;
import dev.inlet.logstore.kv.TableSchema;
import dev.inlet.logstore.arrow.ArrowSchemas;
import dev.inlet.logstore.arrow.ArrowValues;
import dev.inlet.logstore.protocol.LookupMessages;
import dev.inlet.logstore.protocol.RowRouter;
import dev.inlet.logstore.protocol.UpsertOp;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Serves the {@code lookup} action ({@link LookupMessages}): point lookups by primary key and
 * prefix lookups by bucket key, from the key-value state, which holds exactly the acknowledged
 * writes. With insert-if-absent, keys without a row are first inserted (through the ordinary
 * write path: changelog, then state), so the answer always has a row per key.
 */
final class LookupHandler
{
    // how long an insert-if-absent waits for another request's insert of the same key to be durable
    private static final Duration INSERT_WAIT = Duration.ofSeconds(30);

    private final HotStore store;
    private final BufferAllocator allocator;
    private final long maxBatchBytes;
    private volatile CachedSchema lastSchema;
    private volatile KeyPlan lastPointPlan;
    private volatile KeyPlan lastPrefixPlan;

    LookupHandler(HotStore store, BufferAllocator allocator, long maxBatchBytes)
    {
        this.store = store;
        this.allocator = allocator;
        this.maxBatchBytes = maxBatchBytes;
    }

    private record Located(int keyIndex, Object[] key, HotBucket bucket) {}

    /** The rows a lookup found (encoded, {@link dev.inlet.logstore.kv.RowCodec}), in answer order, each with the position of the key it answers. */
    record Answer(TableSchema schema, RowCodec codec, List<byte[]> rows, List<Integer> keyIndexes) {}

    byte[] handle(byte[] body)
    {
        LookupMessages.Request request = LookupMessages.decodeRequest(body);
        HotTable table = table(request.header().table(), request.header().schemaId());
        List<Column> keyColumns = keyColumns(table, request.header().prefix(), request.header().insertIfAbsent());
        VectorSchemaRoot root;
        try {
            root = ArrowIpc.load(ArrowSchemas.toArrowSchema(keyColumns), request.keys(), allocator);
        }
        catch (RuntimeException e) {
            throw new InletException(InletErrorCode.MALFORMED_REQUEST, "Lookup in " + table.path() + ": the keys are not a record batch of the columns "
                    + keyColumns.stream().map(Column::name).toList() + ": " + e.getMessage(), e);
        }
        try (root) {
            Answer answer = lookup(table, table.schema(), root, request.header().prefix(), request.header().insertIfAbsent());
            return encode(answer);
        }
    }

    /**
     * The primary-key table a lookup reads, refreshed from the catalog if the client decodes with a
     * newer schema.
     *
     * @throws InletException {@code BATCH_SCHEMA_MISMATCH} if the table's schema is not {@code expected} (when positive)
     */
    HotTable table(String name, int expected)
    {
        HotTable table = store.table(name);
        if (expected > 0 && expected != table.info().schemaId()) {
            table = store.refresh(table);
            if (expected != table.info().schemaId()) {
                throw new InletException(InletErrorCode.BATCH_SCHEMA_MISMATCH, "Table " + table.path() + " has schema " + table.info().schemaId()
                        + "; the lookup was built for schema " + expected + ": describe the table again");
            }
        }
        if (!table.descriptor().hasPrimaryKey()) {
            throw new InletException(InletErrorCode.INVALID_WRITE, "Table " + table.path() + " is a log table; lookups need a primary key");
        }
        return table;
    }

    static List<Column> keyColumns(HotTable table, boolean prefix, boolean insertIfAbsent)
    {
        if (prefix && insertIfAbsent) {
            throw new InletException(InletErrorCode.MALFORMED_REQUEST, "Lookup in " + table.path() + ": insert-if-absent takes whole primary keys, not prefixes");
        }
        return LookupMessages.keyColumns(table.descriptor(), prefix);
    }

    /** The key columns of a lookup kind in a table definition and where they sit in a row. */
    private record KeyPlan(TableDescriptor descriptor, List<Column> keyColumns, int[] positions) {}

    /**
     * The key plan of the table's current definition, made once per definition and kind rather than
     * per request (the last two are kept: a lookup port serves few tables).
     */
    private KeyPlan plan(HotTable table, boolean prefix, boolean insertIfAbsent)
    {
        TableDescriptor descriptor = table.descriptor();
        KeyPlan cached = prefix ? lastPrefixPlan : lastPointPlan;
        if (cached != null && cached.descriptor() == descriptor && !(prefix && insertIfAbsent)) {
            return cached;
        }
        List<Column> keyColumns = keyColumns(table, prefix, insertIfAbsent);
        List<String> names = descriptor.columnNames();
        KeyPlan plan = new KeyPlan(descriptor, keyColumns, keyColumns.stream().mapToInt(column -> names.indexOf(column.name())).toArray());
        if (prefix) {
            lastPrefixPlan = plan;
        }
        else {
            lastPointPlan = plan;
        }
        return plan;
    }

    /** The columns a lookup's keys hold, in order; cached per table definition. */
    List<Column> keyColumnsOf(HotTable table, boolean prefix, boolean insertIfAbsent)
    {
        return plan(table, prefix, insertIfAbsent).keyColumns();
    }

    /** Looks up the keys of {@code keyRoot} (the {@link #keyColumns}); rows come in {@code schema}. */
    Answer lookup(HotTable table, TableSchema schema, VectorSchemaRoot keyRoot, boolean prefix, boolean insertIfAbsent)
    {
        List<Column> keyColumns = keyColumnsOf(table, prefix, insertIfAbsent);
        List<String> names = keyRoot.getSchema().getFields().stream().map(f -> f.getName()).toList();
        if (!names.equals(keyColumns.stream().map(Column::name).toList())) {
            throw new InletException(InletErrorCode.BATCH_SCHEMA_MISMATCH, "Lookup keys for " + table.path() + " have columns " + names + "; expected "
                    + keyColumns.stream().map(Column::name).toList());
        }
        List<FieldVector> vectors = keyRoot.getFieldVectors();
        Object[][] keys = new Object[keyRoot.getRowCount()][];
        for (int r = 0; r < keys.length; r++) {
            Object[] key = new Object[keyColumns.size()];
            for (int c = 0; c < key.length; c++) {
                key[c] = ArrowValues.get(vectors.get(c), r);
            }
            keys[r] = key;
        }
        return lookup(table, schema, keys, prefix, insertIfAbsent);
    }

    /**
     * Looks up {@code keys}, each the values of the {@link #keyColumns} in order; rows come in
     * {@code schema}, each with the position of the key it answers.
     */
    Answer lookup(HotTable table, TableSchema schema, Object[][] keyValues, boolean prefix, boolean insertIfAbsent)
    {
        KeyPlan plan = plan(table, prefix, insertIfAbsent);
        List<Located> keys = readKeys(table, plan, keyValues, insertIfAbsent);
        KvTableState state = table.kv();
        List<byte[]> rows = new ArrayList<>(keys.size());
        List<Integer> keyIndexes = new ArrayList<>(keys.size());
        if (prefix) {
            for (Located key : keys) {
                if (key.bucket() == null) {
                    continue; // its partition does not exist: no rows
                }
                for (byte[] row : key.bucket().kv().prefixLookupValues(state.keys().encodeBucketKeyPrefix(key.key()))) {
                    rows.add(row);
                    keyIndexes.add(key.keyIndex());
                }
            }
            return new Answer(schema, state.codec(), rows, keyIndexes);
        }
        Map<HotBucket, List<Located>> missing = new LinkedHashMap<>();
        for (Located key : keys) {
            if (key.bucket() == null) {
                continue; // its partition does not exist: no row
            }
            byte[] row = key.bucket().kv().lookupValue(state.keys().encode(key.key()));
            if (row != null) {
                rows.add(row);
                keyIndexes.add(key.keyIndex());
            }
            else if (insertIfAbsent) {
                missing.computeIfAbsent(key.bucket(), b -> new ArrayList<>()).add(key);
            }
        }
        if (!missing.isEmpty()) {
            insert(table, missing);
            for (List<Located> inserted : missing.values()) {
                for (Located key : inserted) {
                    byte[] encoded = state.keys().encode(key.key());
                    byte[] row = key.bucket().kv().lookupValue(encoded);
                    if (row == null) {
                        // another request inserted the key first and its batch is not durable yet: its row is the answer once it is
                        key.bucket().kv().awaitStagedWritten(INSERT_WAIT);
                        row = key.bucket().kv().lookupValue(encoded);
                    }
                    if (row == null) {
                        throw new InletException(InletErrorCode.SERVER_UNAVAILABLE, "Lookup in " + table.path() + ": the row inserted for key " + key.keyIndex()
                                + " was deleted before it could be read; look it up again");
                    }
                    rows.add(row);
                    keyIndexes.add(key.keyIndex());
                }
            }
        }
        return new Answer(schema, state.codec(), rows, keyIndexes);
    }

    private List<Located> readKeys(HotTable table, KeyPlan plan, Object[][] keyValues, boolean create)
    {
        int width = plan.descriptor().columns().size();
        List<Column> keyColumns = plan.keyColumns();
        int[] positions = plan.positions();
        RowRouter router = table.router();
        List<Located> keys = new ArrayList<>(keyValues.length);
        for (int r = 0; r < keyValues.length; r++) {
            Object[] row = new Object[width];
            for (int c = 0; c < keyColumns.size(); c++) {
                Object value = keyValues[r][c];
                if (value == null) {
                    throw new InletException(InletErrorCode.INVALID_ROW, "Lookup key " + r + " for " + table.path() + " has a null in key column '" + keyColumns.get(c).name() + "'");
                }
                row[positions[c]] = value;
            }
            String partitionName = router.partition(row);
            HotBucket bucket;
            if (!create && !table.hasPartition(partitionName)) {
                bucket = null;
            }
            else {
                bucket = table.partition(partitionName, true).bucket(table.path(), router.bucket(row));
            }
            keys.add(new Located(r, row, bucket));
        }
        return keys;
    }

    private void insert(HotTable table, Map<HotBucket, List<Located>> missing)
    {
        boolean[] target = UpsertBatch.target(table.path(), table.descriptor(), table.descriptor().primaryKey());
        for (Map.Entry<HotBucket, List<Located>> e : missing.entrySet()) {
            List<Object[]> rows = e.getValue().stream().map(Located::key).toList();
            try (UpsertBatch batch = UpsertBatch.of(table.descriptor(), target, Collections.nCopies(rows.size(), UpsertOp.UPSERT), rows, allocator)) {
                KvWriter.write(table, e.getKey(), batch, -1, -1, maxBatchBytes).join();
            }
            catch (java.util.concurrent.CompletionException failed) {
                throw failed.getCause() instanceof InletException inlet ? inlet
                        : new InletException(InletErrorCode.SERVER_UNAVAILABLE, "Insert of missing keys into " + table.path() + " failed: " + failed.getCause(), failed.getCause());
            }
        }
    }

    /** The answer as a new root of {@link LookupMessages#resultSchema}; the caller closes it. */
    VectorSchemaRoot toRoot(Answer answer)
    {
        TableDescriptor descriptor = answer.schema().descriptor();
        List<byte[]> rows = answer.rows();
        List<Integer> keyIndexes = answer.keyIndexes();
        VectorSchemaRoot root = ArrowValues.allocate(resultSchema(answer.schema()), rows.size(), allocator);
        List<FieldVector> vectors = root.getFieldVectors();
        int columns = descriptor.columns().size();
        IntVector index = (IntVector) vectors.get(columns);
        for (int r = 0; r < rows.size(); r++) {
            // straight from the stored bytes into the vectors (the index vector after the columns is not touched)
            answer.codec().decodeInto(rows.get(r), answer.schema(), vectors, r);
            index.setSafe(r, keyIndexes.get(r));
        }
        root.setRowCount(rows.size());
        return root;
    }

    /** The result schema of the last table schema answered (a stream answers one): made once, not per request. */
    private org.apache.arrow.vector.types.pojo.Schema resultSchema(TableSchema schema)
    {
        CachedSchema cached = lastSchema;
        if (cached == null || cached.schema() != schema) {
            cached = new CachedSchema(schema, LookupMessages.resultSchema(schema.descriptor()));
            lastSchema = cached;
        }
        return cached.arrow();
    }

    private record CachedSchema(TableSchema schema, org.apache.arrow.vector.types.pojo.Schema arrow) {}

    private byte[] encode(Answer answer)
    {
        try (VectorSchemaRoot root = toRoot(answer)) {
            ByteBuffer bytes = ArrowIpc.serialize(root);
            byte[] out = new byte[bytes.remaining()];
            bytes.get(out);
            return out;
        }
    }
}
