/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.client;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.model.Column;
import dev.inlet.logstore.arrow.ArrowSchemas;
import dev.inlet.logstore.arrow.ArrowValues;
import dev.inlet.logstore.protocol.FlightErrors;
import dev.inlet.logstore.protocol.LookupMessages;
import dev.inlet.logstore.protocol.MetadataBuffers;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * One long-lived lookup call ({@code DoExchange}, {@link LookupMessages.StreamCommand}) for one
 * table and lookup kind, shared by every thread of a client: requests are sent one after another
 * on it and answered in order by a reader thread. It saves a unary call's cost per lookup request.
 *
 * <p>Thread-safe.
 */
final class LookupStream
        implements AutoCloseable
{
    /** One answered row and the position of the key it answers. */
    record RowAt(int keyIndex, Object[] row) {}

    private final InletClient client;
    private final TableHandle table;
    private final Schema keySchema;
    private final int columns;
    private final FlightClient.ExchangeReaderWriter exchange;
    private final VectorSchemaRoot keyRoot;
    private final Map<Long, CompletableFuture<List<RowAt>>> pending = new ConcurrentHashMap<>();
    private final Thread reader;
    private long nextId;
    private volatile InletException failure;

    LookupStream(InletClient client, TableHandle table, boolean prefix)
    {
        this.client = client;
        this.table = table;
        List<Column> keyColumns = LookupMessages.keyColumns(table.descriptor(), prefix);
        this.keySchema = ArrowSchemas.toArrowSchema(keyColumns);
        this.columns = table.descriptor().columns().size();
        LookupMessages.StreamCommand command = new LookupMessages.StreamCommand(LookupMessages.Header.VERSION, true, table.path().toString(), prefix, table.schemaId());
        this.exchange = client.flight().doExchange(FlightDescriptor.command(command.toBytes()), client.streamCallOptions());
        this.keyRoot = VectorSchemaRoot.create(keySchema, client.allocator());
        exchange.getWriter().start(keyRoot);
        this.reader = Thread.ofPlatform().daemon().name("inlet-lookups-" + table.path()).start(this::readAnswers);
    }

    int schemaId()
    {
        return table.schemaId();
    }

    boolean failed()
    {
        return failure != null;
    }

    /** Sends one request; the future completes with the rows found (or the request's error). */
    CompletableFuture<List<RowAt>> send(List<Object[]> keys, boolean insertIfAbsent)
    {
        CompletableFuture<List<RowAt>> future = new CompletableFuture<>();
        synchronized (this) {
            if (failure != null) {
                future.completeExceptionally(failure);
                return future;
            }
            long id = nextId++;
            pending.put(id, future);
            try (VectorSchemaRoot batch = ArrowValues.allocate(keySchema, keys.size(), client.allocator())) {
                List<FieldVector> vectors = batch.getFieldVectors();
                for (int r = 0; r < keys.size(); r++) {
                    Object[] key = keys.get(r); // checked by Lookups: one value per key column, none null
                    for (int c = 0; c < key.length; c++) {
                        ArrowValues.set(vectors.get(c), r, key[c]);
                    }
                }
                batch.setRowCount(keys.size());
                try (ArrowRecordBatch unloaded = new VectorUnloader(batch).getRecordBatch()) {
                    new VectorLoader(keyRoot).load(unloaded);
                }
                // Flight's putNext spins while the call is not ready; wait without burning a core
                long parkNanos = 10_000;
                while (!exchange.getWriter().isReady() && failure == null) {
                    LockSupport.parkNanos(parkNanos);
                    parkNanos = Math.min(parkNanos * 2, 1_000_000);
                }
                exchange.getWriter().putNext(MetadataBuffers.of(client.allocator(), new LookupMessages.StreamRequest(id, insertIfAbsent).toBytes()));
            }
            catch (FlightRuntimeException e) {
                // the stream broke: this request fails like the others waiting (and is retried on a new stream)
                pending.remove(id);
                fail(FlightErrors.fromFlight(e));
                future.completeExceptionally(failure);
            }
            catch (IllegalArgumentException e) {
                pending.remove(id);
                future.completeExceptionally(new InletException(InletErrorCode.INVALID_ROW, "Lookup in " + table.path() + ": " + e.getMessage(), e));
            }
        }
        return future;
    }

    private void readAnswers()
    {
        try {
            FlightStream answers = exchange.getReader();
            while (answers.next()) {
                LookupMessages.StreamResponse response = LookupMessages.StreamResponse.fromBytes(MetadataBuffers.bytes(answers.getLatestMetadata()));
                CompletableFuture<List<RowAt>> future = pending.remove(response.id());
                if (future == null) {
                    continue;
                }
                if (response.errorCode() != null) {
                    future.completeExceptionally(new InletException(errorCode(response.errorCode()), response.message()));
                    continue;
                }
                VectorSchemaRoot root = answers.getRoot();
                List<FieldVector> vectors = root.getFieldVectors();
                IntVector index = (IntVector) vectors.get(columns);
                List<RowAt> rows = new ArrayList<>(root.getRowCount());
                for (int r = 0; r < root.getRowCount(); r++) {
                    Object[] row = new Object[columns];
                    for (int c = 0; c < columns; c++) {
                        row[c] = ArrowValues.get(vectors.get(c), r);
                    }
                    rows.add(new RowAt(index.get(r), row));
                }
                future.complete(rows);
            }
            fail(new InletException(InletErrorCode.SERVER_UNAVAILABLE, "The hot store ended the lookup stream of " + table.path()));
        }
        catch (FlightRuntimeException e) {
            fail(FlightErrors.fromFlight(e));
        }
        catch (RuntimeException e) {
            fail(new InletException(InletErrorCode.SERVER_UNAVAILABLE, "Lookup stream of " + table.path() + " failed: " + e, e));
        }
    }

    /** A code this client may not know (a newer server) is reported as a malformed request, not a dead stream. */
    private static InletErrorCode errorCode(String name)
    {
        try {
            return InletErrorCode.valueOf(name);
        }
        catch (IllegalArgumentException e) {
            return InletErrorCode.MALFORMED_REQUEST;
        }
    }

    private void fail(InletException cause)
    {
        boolean first = failure == null;
        if (first) {
            // set before taking the lock: a sender waiting for the call to become ready sees it and lets go
            failure = cause;
        }
        synchronized (this) {
            // under the lock: a request is either in `pending` now, or its sender sees `failure` first
            pending.values().forEach(f -> f.completeExceptionally(failure));
            pending.clear();
            if (first) {
                // half-close our side too, so that the server's handler sees the end and lets go
                try {
                    exchange.getWriter().completed();
                }
                catch (RuntimeException e) {
                    // the call is already over
                }
            }
        }
    }

    @Override
    public void close()
    {
        fail(new InletException(InletErrorCode.SERVER_UNAVAILABLE, "The lookup stream of " + table.path() + " is closed"));
        try {
            reader.join(java.time.Duration.ofSeconds(5));
            exchange.close();
        }
        catch (Exception e) {
            // closing anyway
        }
        finally {
            keyRoot.close();
            pending.values().forEach(f -> f.completeExceptionally(failure));
        }
    }
}
