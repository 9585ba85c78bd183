/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.kv;

import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.logstore.arrow.ArrowIpc;
import dev.inlet.logstore.arrow.ArrowSchemas;
import dev.inlet.logstore.arrow.ArrowValues;
import dev.inlet.logstore.arrow.GatheredMessage;
import dev.inlet.logstore.protocol.ChangeType;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Changelog rows as the log stores them: an Arrow IPC record batch of the table's columns followed
 * by {@code _change_type} ({@link ArrowSchemas#toLogSchema}).
 */
public final class ChangelogBatches
{
    private ChangelogBatches() {}

    /** Encodes the rows (in the current schema's column order) as one record batch message. */
    public static ByteBuffer encode(TableDescriptor table, List<RowMerger.Change> changes, BufferAllocator allocator)
    {
        try (VectorSchemaRoot root = ArrowValues.allocate(ArrowSchemas.toLogSchema(table), changes.size(), allocator)) {
            List<FieldVector> vectors = root.getFieldVectors();
            int columns = table.columns().size();
            TinyIntVector changeType = (TinyIntVector) vectors.get(columns);
            for (int r = 0; r < changes.size(); r++) {
                Object[] row = changes.get(r).row();
                for (int c = 0; c < columns; c++) {
                    ArrowValues.set(vectors.get(c), r, row[c]);
                }
                changeType.setSafe(r, changes.get(r).type().code());
            }
            root.setRowCount(changes.size());
            return ArrowIpc.serialize(root);
        }
    }

    /**
     * Collects changelog rows from encoded values ({@link RowCodec}) straight into the vectors of
     * one record batch, without making objects of the values. Close it after the batch is written.
     */
    public static final class Builder
            implements AutoCloseable
    {
        private final TableSchema schema;
        private final RowCodec codec;
        private final VectorSchemaRoot root;
        private final List<FieldVector> vectors;
        private final TinyIntVector changeType;
        private int rows;

        /**
         * @param logSchema {@link ArrowSchemas#toLogSchema} of the schema's table
         * @param capacity the rows expected (more are taken too)
         */
        public Builder(TableSchema schema, org.apache.arrow.vector.types.pojo.Schema logSchema, RowCodec codec, int capacity, BufferAllocator allocator)
        {
            this.schema = schema;
            this.codec = codec;
            this.root = ArrowValues.allocate(logSchema, capacity, allocator);
            this.vectors = root.getFieldVectors();
            this.changeType = (TinyIntVector) vectors.get(schema.columnCount());
        }

        public void add(ChangeType type, byte[] value)
        {
            codec.decodeInto(value, schema, vectors, rows);
            changeType.setSafe(rows, type.code());
            rows++;
        }

        public int rows()
        {
            return rows;
        }

        /** The rows as one record batch message, in views of the vectors' buffers: valid until this builder is closed. */
        public GatheredMessage gather()
        {
            root.setRowCount(rows);
            return ArrowIpc.gather(root);
        }

        @Override
        public void close()
        {
            root.close();
        }
    }

    /**
     * Decodes a stored batch written with {@code written} into rows of {@code current} (by column
     * id; columns added since are null).
     */
    public static List<RowMerger.Change> decode(TableDescriptor written, TableDescriptor current, ByteBuffer payload, BufferAllocator allocator)
    {
        Map<Integer, Integer> positions = new HashMap<>();
        for (int c = 0; c < current.columns().size(); c++) {
            positions.put(current.columns().get(c).id(), c);
        }
        List<Column> columns = written.columns();
        try (VectorSchemaRoot root = ArrowIpc.load(ArrowSchemas.toLogSchema(written), payload.duplicate(), allocator)) {
            List<FieldVector> vectors = root.getFieldVectors();
            TinyIntVector changeType = (TinyIntVector) vectors.get(columns.size());
            List<RowMerger.Change> changes = new ArrayList<>(root.getRowCount());
            for (int r = 0; r < root.getRowCount(); r++) {
                Object[] row = new Object[current.columns().size()];
                for (int c = 0; c < columns.size(); c++) {
                    Integer to = positions.get(columns.get(c).id());
                    if (to != null) {
                        row[to] = ArrowValues.get(vectors.get(c), r);
                    }
                }
                changes.add(new RowMerger.Change(ChangeType.fromCode(changeType.get(r)), row));
            }
            return changes;
        }
    }
}
