/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.server;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.logstore.kv.TableSchema;
import dev.inlet.logstore.protocol.LookupMessages;
import dev.inlet.logstore.protocol.MetadataBuffers;
import org.apache.arrow.flight.FlightProducer.ServerStreamListener;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;

/**
 * One lookup stream ({@link LookupMessages.StreamCommand}): answers each key batch the client
 * sends, in order, on the same call.
 */
final class LookupStreamHandler
{
    private final LookupHandler lookups;
    private final HotStore store;
    private final BufferAllocator allocator;
    private final ServerMetrics metrics;

    LookupStreamHandler(HotStore store, BufferAllocator allocator, ServerMetrics metrics, long maxBatchBytes)
    {
        this.lookups = new LookupHandler(store, allocator, maxBatchBytes);
        this.store = store;
        this.allocator = allocator;
        this.metrics = metrics;
    }

    void run(LookupMessages.StreamCommand command, FlightStream keys, ServerStreamListener answers)
    {
        HotTable table = lookups.table(command.table(), command.schemaId());
        TableSchema schema = table.schema();
        int schemaId = schema.schemaId();
        LookupHandler.keyColumns(table, command.prefix(), false);
        try (VectorSchemaRoot out = VectorSchemaRoot.create(LookupMessages.resultSchema(schema.descriptor()), allocator)) {
            answers.start(out);
            while (keys.next()) {
                long start = System.nanoTime();
                LookupMessages.StreamRequest request = LookupMessages.StreamRequest.fromBytes(MetadataBuffers.bytes(keys.getLatestMetadata()));
                HotTable current = store.table(command.table());
                if (current.info().tableId() != table.info().tableId() || current.info().schemaId() != schemaId) {
                    throw new InletException(InletErrorCode.BATCH_SCHEMA_MISMATCH, "Table " + table.path() + " changed since the lookup stream opened; open it again");
                }
                LookupMessages.StreamResponse response;
                VectorSchemaRoot answer;
                try {
                    LookupHandler.Answer found = lookups.lookup(table, schema, keys.getRoot(), command.prefix(), request.insertIfAbsent());
                    answer = lookups.toRoot(found);
                    response = new LookupMessages.StreamResponse(request.id(), null, null);
                }
                catch (InletException e) {
                    metrics.errors.labelValues(e.errorCode().name()).inc();
                    answer = lookups.toRoot(new LookupHandler.Answer(schema, table.kv().codec(), java.util.List.of(), java.util.List.of()));
                    response = new LookupMessages.StreamResponse(request.id(), e.errorCode().name(), e.getMessage());
                }
                VectorSchemaRoot reply = answer;
                try (reply; ArrowRecordBatch batch = new VectorUnloader(reply).getRecordBatch()) {
                    new VectorLoader(out).load(batch);
                }
                answers.putNext(MetadataBuffers.of(allocator, response.toBytes()));
                metrics.requestSeconds.labelValues("lookup").observe((System.nanoTime() - start) / 1e9);
            }
            answers.completed();
        }
    }
}
