/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.server;

import dev.inlet.logstore.arrow.ArrowValues;
import dev.inlet.logstore.protocol.AppendAck;
import dev.inlet.logstore.protocol.AppendCommand;
import dev.inlet.logstore.protocol.BatchRoute;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.flight.SyncPutListener;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends batches with a plain Flight client, exactly as given (route, sequence, schema): the way
 * tests send what Inlet's own client never would (retries, wrong buckets, wrong schemas).
 */
final class RawAppend
        implements AutoCloseable
{
    private final BufferAllocator allocator = new RootAllocator();
    private final FlightClient client;

    RawAppend(URI endpoint)
    {
        client = FlightClient.builder(allocator, new Location(endpoint)).build();
    }

    record Batch(BatchRoute route, List<Object[]> rows) {}

    /** Sends the batches on one stream; returns the acks, or throws the stream's error. */
    List<AppendAck> send(String table, long writerId, Schema schema, List<Batch> batches)
    {
        List<AppendAck> acks = new ArrayList<>();
        try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
            SyncPutListener listener = new SyncPutListener();
            FlightClient.ClientStreamListener stream = client.startPut(FlightDescriptor.command(new AppendCommand(1, table, writerId).toBytes()), root, listener);
            for (Batch batch : batches) {
                root.allocateNew();
                for (int r = 0; r < batch.rows().size(); r++) {
                    for (int c = 0; c < schema.getFields().size(); c++) {
                        ArrowValues.set(root.getVector(c), r, batch.rows().get(r)[c]);
                    }
                }
                root.setRowCount(batch.rows().size());
                byte[] route = batch.route().toBytes();
                ArrowBuf metadata = dev.inlet.logstore.protocol.MetadataBuffers.of(allocator, route);
                stream.putNext(metadata);
            }
            stream.completed();
            try {
                stream.getResult();
            }
            finally {
                while (true) {
                    PutResult result = listener.poll(0, java.util.concurrent.TimeUnit.MILLISECONDS);
                    if (result == null) {
                        break;
                    }
                    try (result) {
                        ArrowBuf buf = result.getApplicationMetadata();
                        byte[] bytes = dev.inlet.logstore.protocol.MetadataBuffers.bytes(buf);
                        acks.add(AppendAck.fromBytes(bytes));
                    }
                }
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
        return acks;
    }

    /** A plain Flight read of a ticket: the values of the first column. */
    List<Object> readFirstColumn(byte[] ticket)
            throws Exception
    {
        List<Object> values = new ArrayList<>();
        try (var stream = client.getStream(new org.apache.arrow.flight.Ticket(ticket))) {
            while (stream.next()) {
                for (int r = 0; r < stream.getRoot().getRowCount(); r++) {
                    values.add(ArrowValues.get(stream.getRoot().getVector(0), r));
                }
            }
        }
        return values;
    }

    @Override
    public void close()
            throws Exception
    {
        client.close();
        allocator.close();
    }
}
