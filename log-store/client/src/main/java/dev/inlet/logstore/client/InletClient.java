/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.client;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.catalog.store.DescriptorCodec;
import dev.inlet.logstore.protocol.Actions;
import dev.inlet.logstore.protocol.BatchMetadata;
import dev.inlet.logstore.protocol.FlightErrors;
import dev.inlet.logstore.protocol.StateScanTicket;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.CallOption;
import org.apache.arrow.flight.CallOptions;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.Result;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.flight.auth2.BearerCredentialWriter;
import org.apache.arrow.flight.grpc.CredentialCallOption;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * The hot store's client: appends ({@link #newWriter}), reads ({@link #newScanner}) and admin
 * calls, over Arrow Flight. One client holds one connection and may be shared by many threads;
 * writers and scanners are single-threaded objects created from it.
 *
 * <pre>{@code
 * try (InletClient client = InletClient.connect(ClientConfig.of(URI.create("grpc://127.0.0.1:9123")));
 *         AppendWriter writer = client.newWriter("shop.orders", WriterOptions.defaults())) {
 *     writer.append(new Object[] {1L, "u1", new BigDecimal("12.50"), LocalDateTime.now()});
 *     writer.flush();
 * }
 * }</pre>
 */
public final class InletClient
        implements AutoCloseable
{
    private final ClientConfig config;
    private final BufferAllocator allocator;
    private final FlightClient flight;
    // table descriptions for lookups, which run often: refreshed when the server reports a newer schema
    private final java.util.Map<String, TableHandle> tables = new java.util.concurrent.ConcurrentHashMap<>();
    // one lookup stream per table and kind, shared by every thread (guarded by itself)
    private final java.util.Map<String, LookupStream> lookupStreams = new java.util.HashMap<>();
    // connections to the lookup port, when the server has one (else lookups use the streams above)
    private final LookupConnections lookupConnections = new LookupConnections(this);

    private InletClient(ClientConfig config, BufferAllocator allocator, FlightClient flight)
    {
        this.config = config;
        this.allocator = allocator;
        this.flight = flight;
    }

    public static InletClient connect(ClientConfig config)
    {
        requireNonNull(config, "config is null");
        BufferAllocator allocator = new RootAllocator();
        try {
            Location location = new Location(config.endpoint());
            FlightClient.Builder builder = FlightClient.builder(allocator, location);
            if (config.trustedCertificates().isPresent()) {
                try {
                    // read now: the builder reads its stream only when it builds
                    builder.trustedCertificates(new java.io.ByteArrayInputStream(java.nio.file.Files.readAllBytes(config.trustedCertificates().get())));
                }
                catch (java.io.IOException e) {
                    throw new InletException(InletErrorCode.INVALID_CONFIGURATION, "Cannot read the trusted certificates " + config.trustedCertificates().get() + ": " + e.getMessage(), e);
                }
            }
            FlightClient flight = builder.build();
            return new InletClient(config, allocator, flight);
        }
        catch (RuntimeException e) {
            allocator.close();
            throw new InletException(InletErrorCode.SERVER_UNAVAILABLE, "Cannot connect to the hot store at " + config.endpoint() + ": " + e.getMessage(), e);
        }
    }

    public ClientConfig config()
    {
        return config;
    }

    FlightClient flight()
    {
        return flight;
    }

    /**
     * The allocator of the batches this client returns; readers that keep or move their buffers
     * (the union reader) allocate from a child of it, since Arrow moves buffers only within one root.
     */
    public BufferAllocator allocator()
    {
        return allocator;
    }

    /** Options every call carries: the bearer token and the deadline. */
    CallOption[] callOptions()
    {
        List<CallOption> options = new ArrayList<>();
        options.add(CallOptions.timeout(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS));
        config.token().ifPresent(t -> options.add(new CredentialCallOption(new BearerCredentialWriter(t))));
        return options.toArray(CallOption[]::new);
    }

    /** Options of a long-lived stream: the bearer token, no deadline. */
    CallOption[] streamCallOptions()
    {
        return config.token().map(t -> new CallOption[] {new CredentialCallOption(new BearerCredentialWriter(t))}).orElse(new CallOption[0]);
    }

    /** The table as the server serves it. */
    public TableHandle describeTable(String table)
    {
        TablePath path = TablePath.parse(table);
        Actions.TableResult result = action(Actions.DESCRIBE_TABLE, new Actions.TableRequest(1, path.toString()), Actions.TableResult.class);
        return new TableHandle(path, result.tableId(), result.schemaId(), DescriptorCodec.decode(result.descriptor()));
    }

    /** A writer appending to {@code table}; the caller closes it. */
    public AppendWriter newWriter(String table, WriterOptions options)
    {
        return new AppendWriter(this, describeTable(table), options);
    }

    /**
     * A writer of upserts and deletes to a primary-key {@code table}; the caller closes it.
     *
     * @param targetColumns the columns the writer sets (a partial update; they must include the
     *     primary key), or null for every column but the auto-increment one
     */
    public UpsertWriter newUpsertWriter(String table, List<String> targetColumns, WriterOptions options)
    {
        TableHandle handle = describeTable(table);
        AppendWriter writer = new AppendWriter(this, handle, options, java.util.Optional.ofNullable(targetColumns));
        var d = handle.descriptor();
        List<String> targets = d.columnNames().stream()
                .filter(n -> targetColumns == null ? d.autoIncrementColumn().filter(n::equals).isEmpty() : targetColumns.contains(n))
                .toList();
        return new UpsertWriter(writer, targets);
    }

    /**
     * Point lookups by primary key, batched in one request: for each key (the values of the
     * partition and primary-key columns, in table order), the stored row in table order, or null.
     * Sees exactly the acknowledged writes.
     */
    public List<Object[]> lookup(String table, List<Object[]> keys)
    {
        return withCachedTable(table, handle -> Lookups.point(this, handle, keys, false));
    }

    /**
     * Runs a lookup with the table's cached description (a lookup is one round trip, not two);
     * if the table's schema has changed since, describes it again and runs it once more.
     */
    private <T> T withCachedTable(String table, java.util.function.Function<TableHandle, T> lookup)
    {
        String key = TablePath.parse(table).toString();
        TableHandle handle = tables.computeIfAbsent(key, this::describeTable);
        try {
            return lookup.apply(handle);
        }
        catch (InletException e) {
            if (e.errorCode() != InletErrorCode.BATCH_SCHEMA_MISMATCH) {
                throw e;
            }
            tables.remove(key);
            return lookup.apply(tables.computeIfAbsent(key, this::describeTable));
        }
    }

    /**
     * Like {@link #lookup}, but a key without a row is inserted first (its other columns null, its
     * auto-increment column assigned): every key gets a row. The way a string id becomes a dense
     * integer id.
     */
    public List<Object[]> lookupOrInsert(String table, List<Object[]> keys)
    {
        return withCachedTable(table, handle -> Lookups.point(this, handle, keys, true));
    }

    /**
     * Prefix lookups by bucket key: for each prefix (the values of the partition and bucket-key
     * columns, in table order), every stored row with those values, in key order.
     */
    public List<List<Object[]>> prefixLookup(String table, List<Object[]> prefixes)
    {
        return withCachedTable(table, handle -> Lookups.prefix(this, handle, prefixes));
    }

    /**
     * Scans the current state of one bucket of a primary-key table: every row of one consistent
     * view, in key order, with {@code columns} (null: all), handed to {@code batches} (which closes
     * each). Returns the log offset the view includes: reading the bucket's log from there
     * continues it exactly.
     */
    public long scanState(String table, String partition, int bucket, List<String> columns, java.util.function.Consumer<ScanBatch> batches)
    {
        StateScanTicket ticket = StateScanTicket.of(TablePath.parse(table).toString(), partition, bucket, columns);
        long offset = -1;
        try (FlightStream stream = flight.getStream(new Ticket(ticket.toBytes()), streamCallOptions())) {
            while (stream.next()) {
                if (stream.getLatestMetadata() == null) {
                    throw new InletException(InletErrorCode.MALFORMED_REQUEST, "The hot store sent a state-scan batch of " + table + " without its metadata");
                }
                BatchMetadata metadata = BatchMetadata.fromBytes(dev.inlet.logstore.protocol.MetadataBuffers.bytes(stream.getLatestMetadata()));
                offset = metadata.baseOffset();
                VectorSchemaRoot root = stream.getRoot();
                if (root.getRowCount() == 0) {
                    continue;
                }
                // the stream reuses its root: hand the caller its own copy of the buffers
                VectorSchemaRoot copy = VectorSchemaRoot.create(root.getSchema(), allocator);
                try (var batch = new org.apache.arrow.vector.VectorUnloader(root).getRecordBatch()) {
                    new org.apache.arrow.vector.VectorLoader(copy).load(batch);
                }
                batches.accept(new ScanBatch(partition, bucket, offset, 0, copy));
            }
        }
        catch (FlightRuntimeException e) {
            throw FlightErrors.fromFlight(e);
        }
        catch (InletException e) {
            throw e; // a malformed answer, or the caller's own error: not a reason to retry
        }
        catch (Exception e) {
            throw new InletException(InletErrorCode.SERVER_UNAVAILABLE, "State scan of " + table + " bucket " + bucket + " failed: " + e, e);
        }
        if (offset < 0) {
            throw new InletException(InletErrorCode.MALFORMED_REQUEST, "The hot store ended the state scan of " + table + " bucket " + bucket + " without its offset");
        }
        return offset;
    }

    /**
     * Runs one lookup request on the table's lookup stream, opening it (again) when needed. A
     * request that fails because the stream broke (a server restart) is sent once more on a new
     * stream: lookups, insert-if-absent included, are idempotent.
     */
    List<LookupStream.RowAt> lookupOnStream(TableHandle table, boolean prefix, List<Object[]> keys, boolean insertIfAbsent)
    {
        String key = table.path() + (prefix ? "/prefix" : "/point");
        for (int attempt = 0; ; attempt++) {
            LookupStream stream;
            synchronized (lookupStreams) {
                stream = lookupStreams.get(key);
                if (stream == null || stream.failed() || stream.schemaId() != table.schemaId()) {
                    if (stream != null) {
                        stream.close();
                    }
                    stream = new LookupStream(this, table, prefix);
                    lookupStreams.put(key, stream);
                }
            }
            try {
                return stream.send(keys, insertIfAbsent).get(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            }
            catch (java.util.concurrent.ExecutionException e) {
                InletException cause = e.getCause() instanceof InletException inlet ? inlet
                        : new InletException(InletErrorCode.SERVER_UNAVAILABLE, "Lookup in " + table.path() + " failed: " + e.getCause(), e.getCause());
                if (cause.errorCode() == InletErrorCode.SERVER_UNAVAILABLE && stream.failed() && attempt == 0) {
                    continue;
                }
                throw cause;
            }
            catch (java.util.concurrent.TimeoutException e) {
                throw new InletException(InletErrorCode.SERVER_UNAVAILABLE, "No answer from the hot store within " + config.requestTimeout().toSeconds() + "s to a lookup in " + table.path());
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InletException(InletErrorCode.SERVER_UNAVAILABLE, "Interrupted while looking up in " + table.path());
            }
        }
    }

    /** A scanner of {@code table}'s buckets; the caller closes it. */
    public LogScanner newScanner(String table, ScanOptions options)
    {
        return new LogScanner(this, describeTable(table), options);
    }

    /** One offset per bucket of a partition ("" if unpartitioned), by {@code spec}. */
    public List<Actions.BucketOffset> offsets(String table, String partition, Actions.OffsetSpec spec, long timestamp)
    {
        Actions.OffsetsResult result = action(Actions.OFFSETS, new Actions.OffsetsRequest(1, TablePath.parse(table).toString(), partition, null, spec, timestamp),
                Actions.OffsetsResult.class);
        return result.offsets();
    }

    public List<Actions.PartitionInfo> partitions(String table)
    {
        return action(Actions.LIST_PARTITIONS, new Actions.TableRequest(1, TablePath.parse(table).toString()), Actions.PartitionsResult.class).partitions();
    }

    public void dropPartition(String table, String partition)
    {
        action(Actions.DROP_PARTITION, new Actions.PartitionRequest(1, TablePath.parse(table).toString(), partition), null);
    }

    <T> T action(String type, Object request, Class<T> resultType)
    {
        try {
            Iterator<Result> results = flight.doAction(new Action(type, dev.inlet.logstore.protocol.ProtocolJson.write(request)), callOptions());
            T value = null;
            while (results.hasNext()) {
                byte[] body = results.next().getBody();
                if (resultType != null && value == null) {
                    value = dev.inlet.logstore.protocol.ProtocolJson.read(body, resultType, type + " result");
                }
            }
            if (resultType != null && value == null) {
                throw new InletException(InletErrorCode.MALFORMED_REQUEST, "The hot store answered action " + type + " with no result");
            }
            return value;
        }
        catch (FlightRuntimeException e) {
            throw FlightErrors.fromFlight(e);
        }
    }

    LookupConnections lookupConnections()
    {
        return lookupConnections;
    }

    @Override
    public void close()
    {
        lookupConnections.close();
        synchronized (lookupStreams) {
            lookupStreams.values().forEach(LookupStream::close);
            lookupStreams.clear();
        }
        try {
            flight.close();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        finally {
            allocator.close();
        }
    }
}
