/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.server;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.logstore.arrow.ArrowSchemas;
import dev.inlet.logstore.arrow.IpcProjection;
import dev.inlet.logstore.protocol.BatchMetadata;
import dev.inlet.logstore.protocol.FetchTicket;
import org.apache.arrow.flight.FlightProducer.ServerStreamListener;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

import java.util.ArrayList;
import java.util.List;

/**
 * One {@code DoGet}: streams a bucket from the ticket's offset. With a column list, each stored
 * batch is pruned at the IPC level ({@link IpcProjection#load}: only the selected columns' buffers
 * are loaded, in place from the mapped file region, no row is decoded), and Flight hands those
 * buffers to gRPC without copying them. Batches written
 * before a column was added get an all-null vector for it. The first batch is cut to start exactly
 * at the requested offset, the last to end before {@code endOffset}.
 */
final class FetchHandler
{
    private final HotStore store;
    private final BufferAllocator allocator;
    private final ServerMetrics metrics;

    FetchHandler(HotStore store, BufferAllocator allocator, ServerMetrics metrics)
    {
        this.store = store;
        this.allocator = allocator;
        this.metrics = metrics;
    }

    void stream(FetchTicket ticket, ServerStreamListener listener)
    {
        HotTable table = store.table(ticket.table());
        HotBucket bucket = table.partition(ticket.partition(), ticket.partition().isEmpty()).bucket(table.path(), ticket.bucket());
        TableDescriptor current = table.descriptor();
        if (ticket.columns() != null) {
            for (String c : ticket.columns()) {
                if (current.column(c).isEmpty()) {
                    throw new InletException(InletErrorCode.MALFORMED_REQUEST, "Table " + table.path() + " has no column '" + c + "'; columns are " + current.columnNames());
                }
            }
        }
        // always in table order, which is what pruning at the IPC level keeps
        List<String> columns = ticket.columns() == null ? current.columnNames() : current.columnNames().stream().filter(ticket.columns()::contains).toList();
        List<org.apache.arrow.vector.types.pojo.Field> outFields = new ArrayList<>(columns.stream().map(c -> ArrowSchemas.toArrowField(current.column(c).orElseThrow())).toList());
        if (current.hasPrimaryKey()) {
            // a primary-key table's log is its changelog: every row says what it is
            columns = new ArrayList<>(columns);
            columns.add(ArrowSchemas.CHANGE_TYPE_COLUMN);
            outFields.add(ArrowSchemas.systemField(ArrowSchemas.CHANGE_TYPE_COLUMN));
        }
        Schema outSchema = new Schema(outFields);

        long end = bucket.endOffset();
        if (ticket.offset() < bucket.earliestOffset() || ticket.offset() > end) {
            throw new InletException(InletErrorCode.OFFSET_OUT_OF_RANGE, "Offset " + ticket.offset() + " of table " + table.path() + " bucket " + ticket.bucket()
                    + (ticket.partition().isEmpty() ? "" : " partition " + ticket.partition()) + " is out of range: earliest is " + bucket.earliestOffset() + ", latest is " + end);
        }
        if (ticket.offset() == end && ticket.waitMs() > 0) {
            bucket.awaitData(ticket.offset(), ticket.waitMs());
        }
        long stopAt = ticket.endOffset() == FetchTicket.NO_END ? bucket.endOffset() : Math.min(ticket.endOffset(), bucket.endOffset());
        try (VectorSchemaRoot out = VectorSchemaRoot.create(outSchema, allocator)) {
            // gRPC sends the vectors' buffers themselves (Flight keeps them referenced until they
            // are written) instead of copying them into its own buffers first: for a mapped stored
            // batch, the bytes go from the page cache to the socket. Safe because no buffer is
            // written to after putNext; each batch is loaded into `out` as new buffers.
            listener.setUseZeroCopy(true);
            listener.start(out);
            String tableName = table.path().toString();
            // maxBytes counts the bytes sent: a pruned read goes on through as many stored batches
            // as it takes to send that much, not one round trip per stored batch
            long budget = ticket.maxBytes();
            long offset = ticket.offset();
            boolean sentAny = false;
            while (offset < stopAt && budget > 0) {
                List<StoredBatch> batches = bucket.read(offset, stopAt, Math.max(budget, 1 << 20), columns.size() < current.columnNames().size());
                if (batches.isEmpty()) {
                    break;
                }
                for (StoredBatch batch : batches) {
                    if (listener.isCancelled()) {
                        return;
                    }
                    long from = Math.max(batch.baseOffset(), offset);
                    long to = Math.min(batch.endOffset(), stopAt);
                    if (from >= to) {
                        continue;
                    }
                    long sent;
                    int skip = (int) (from - batch.baseOffset());
                    int count = (int) (to - from);
                    int[] selected = selected(table, batch, columns);
                    if (skip == 0 && count == batch.recordCount() && selected.length == columns.size()) {
                        // the common case: the stored buffers of the selected columns go straight
                        // into the stream's vectors (in place when mapped), no vectors in between
                        try (ArrowRecordBatch records = table.projection(batch.schemaId(), selected).recordBatch(batch.payload().duplicate(), allocator)) {
                            new VectorLoader(out).load(records);
                            sent = records.computeBodyLength();
                        }
                    }
                    else {
                        try (VectorSchemaRoot rows = load(table, batch, columns)) {
                            if (skip == 0 && count == rows.getRowCount()) {
                                sent = moveInto(rows, out);
                            }
                            else {
                                try (VectorSchemaRoot slice = rows.slice(skip, count)) {
                                    sent = moveInto(slice, out);
                                }
                            }
                        }
                    }
                    metrics.recordsOut.labelValues(tableName).inc(count);
                    metrics.bytesOut.labelValues(tableName).inc(sent);
                    putNext(listener, new BatchMetadata(BatchMetadata.VERSION, from, count, batch.commitTimestamp(), bucket.endOffset()));
                    sentAny = true;
                    offset = to;
                    budget -= sent;
                    if (budget <= 0) {
                        break;
                    }
                }
            }
            if (!sentAny) {
                putMetadata(listener, new BatchMetadata(BatchMetadata.VERSION, ticket.offset(), 0, 0, bucket.endOffset()));
            }
            listener.completed();
        }
    }

    /** Where {@code columns} are in the batch's schema, leaving out those added after it was written. */
    private static int[] selected(HotTable table, StoredBatch batch, List<String> columns)
    {
        Schema batchSchema = table.arrowSchema(batch.schemaId());
        List<String> batchColumns = batchSchema.getFields().stream().map(Field::getName).toList();
        return columns.stream().mapToInt(batchColumns::indexOf).filter(i -> i >= 0).toArray();
    }

    /** The stored batch as vectors of exactly {@code columns}; only their buffers are read. */
    private VectorSchemaRoot load(HotTable table, StoredBatch batch, List<String> columns)
    {
        // only the selected buffers, in place when the payload is mapped
        VectorSchemaRoot loaded = table.projection(batch.schemaId(), selected(table, batch, columns)).load(batch.payload().duplicate(), allocator);
        if (loaded.getFieldVectors().size() == columns.size()) {
            return loaded;
        }
        // columns added after this batch was written: all null
        List<FieldVector> vectors = new ArrayList<>();
        TableDescriptor current = table.descriptor();
        for (String c : columns) {
            FieldVector present = loaded.getVector(c);
            if (present != null) {
                vectors.add(present);
            }
            else {
                FieldVector missing = ArrowSchemas.toArrowField(current.column(c).orElseThrow()).createVector(allocator);
                missing.allocateNew();
                missing.setValueCount(loaded.getRowCount());
                vectors.add(missing);
            }
        }
        VectorSchemaRoot widened = new VectorSchemaRoot(vectors);
        widened.setRowCount(loaded.getRowCount());
        return widened;
    }

    /** Hands the rows' buffers to the stream's root without copying them; returns their bytes. */
    private static long moveInto(VectorSchemaRoot rows, VectorSchemaRoot out)
    {
        try (ArrowRecordBatch recordBatch = new VectorUnloader(rows).getRecordBatch()) {
            new VectorLoader(out).load(recordBatch);
            return recordBatch.computeBodyLength();
        }
    }

    private void putNext(ServerStreamListener listener, BatchMetadata metadata)
    {
        listener.putNext(buffer(metadata));
    }

    private void putMetadata(ServerStreamListener listener, BatchMetadata metadata)
    {
        listener.putMetadata(buffer(metadata));
    }

    private ArrowBuf buffer(BatchMetadata metadata)
    {
        byte[] bytes = metadata.toBytes();
        ArrowBuf buf = dev.inlet.logstore.protocol.MetadataBuffers.of(allocator, bytes);
        return buf;
    }
}
