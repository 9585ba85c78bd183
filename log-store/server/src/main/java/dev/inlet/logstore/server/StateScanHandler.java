/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.server;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.logstore.arrow.ArrowSchemas;
import dev.inlet.logstore.arrow.ArrowValues;
import dev.inlet.logstore.kv.KvTablet;
import dev.inlet.logstore.kv.TableSchema;
import dev.inlet.logstore.protocol.BatchMetadata;
import dev.inlet.logstore.protocol.StateScanTicket;
import org.apache.arrow.flight.FlightProducer.ServerStreamListener;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.List;

/**
 * Streams the current state of one bucket of a primary-key table ({@link StateScanTicket}): the
 * rows of one consistent RocksDB view in key order, in batches of {@value #BATCH_ROWS} rows, each
 * tagged with the log offset the view includes.
 */
final class StateScanHandler
{
    private static final int BATCH_ROWS = 4096;

    private final HotStore store;
    private final BufferAllocator allocator;
    private final ServerMetrics metrics;

    StateScanHandler(HotStore store, BufferAllocator allocator, ServerMetrics metrics)
    {
        this.store = store;
        this.allocator = allocator;
        this.metrics = metrics;
    }

    void stream(StateScanTicket ticket, ServerStreamListener listener)
    {
        HotTable table = store.table(ticket.table());
        TableSchema schema = table.schema();
        TableDescriptor descriptor = schema.descriptor();
        if (!descriptor.hasPrimaryKey()) {
            throw new InletException(InletErrorCode.MALFORMED_REQUEST, "Table " + table.path() + " is a log table; it has no key-value state to scan (read its log)");
        }
        if (ticket.columns() != null) {
            for (String c : ticket.columns()) {
                if (descriptor.column(c).isEmpty()) {
                    throw new InletException(InletErrorCode.BATCH_SCHEMA_MISMATCH, "Table " + table.path() + " has no column '" + c + "'; its columns are " + descriptor.columnNames());
                }
            }
        }
        List<Column> columns = descriptor.columns().stream().filter(c -> ticket.columns() == null || ticket.columns().contains(c.name())).toList();
        int[] positions = columns.stream().mapToInt(c -> descriptor.columnNames().indexOf(c.name())).toArray();
        KvTablet tablet = table.partition(ticket.partition(), false).bucket(table.path(), ticket.bucket()).kv();
        String tableName = table.path().toString();
        try (VectorSchemaRoot out = VectorSchemaRoot.create(ArrowSchemas.toArrowSchema(columns), allocator)) {
            listener.start(out);
            List<FieldVector> vectors = out.getFieldVectors();
            long[] offset = {0};
            int[] rows = {0};
            boolean[] sent = {false};
            tablet.scan(schema, new KvTablet.ScanVisitor()
            {
                @Override
                public void start(long viewOffset)
                {
                    offset[0] = viewOffset;
                }

                @Override
                public void row(Object[] row)
                {
                    for (int c = 0; c < positions.length; c++) {
                        ArrowValues.set(vectors.get(c), rows[0], row[positions[c]]);
                    }
                    if (++rows[0] == BATCH_ROWS) {
                        send(listener, out, rows[0], offset[0]);
                        metrics.recordsOut.labelValues(tableName).inc(rows[0]);
                        rows[0] = 0;
                        sent[0] = true;
                    }
                }
            });
            if (rows[0] > 0 || !sent[0]) {
                send(listener, out, rows[0], offset[0]);
                metrics.recordsOut.labelValues(tableName).inc(rows[0]);
            }
            listener.completed();
        }
    }

    private void send(ServerStreamListener listener, VectorSchemaRoot out, int rows, long offset)
    {
        out.setRowCount(rows);
        byte[] metadata = new BatchMetadata(BatchMetadata.VERSION, offset, rows, 0, offset).toBytes();
        listener.putNext(dev.inlet.logstore.protocol.MetadataBuffers.of(allocator, metadata));
        // the message may still hold these buffers until gRPC has sent it: give them up and
        // fill new ones rather than overwrite them
        for (FieldVector v : out.getFieldVectors()) {
            v.clear();
        }
    }
}
