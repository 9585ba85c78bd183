/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.server;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.model.TieredOffset;
import dev.inlet.catalog.store.DescriptorCodec;
import dev.inlet.logstore.protocol.Actions;
import dev.inlet.logstore.protocol.AppendCommand;
import dev.inlet.logstore.protocol.FetchTicket;
import dev.inlet.logstore.protocol.FlightErrors;
import dev.inlet.logstore.protocol.ProtocolJson;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.ActionType;
import org.apache.arrow.flight.Criteria;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightProducer;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.flight.Result;
import org.apache.arrow.flight.SchemaResult;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.BufferAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The hot store's Arrow Flight service (see {@code docs/protocol.md}): {@code DoPut} appends,
 * {@code DoGet} reads one bucket, {@code GetFlightInfo} plans a table's buckets, {@code DoAction}
 * answers offsets and partition requests. Every error reaches the client as an
 * {@link InletException} carried by {@link FlightErrors}.
 */
final class InletFlightProducer
        implements FlightProducer
{
    private static final Logger LOG = LoggerFactory.getLogger(InletFlightProducer.class);

    private final HotStore store;
    private final BufferAllocator allocator;
    private final ServerMetrics metrics;
    private final Location location;
    private final long maxBatchBytes;
    // the lookup port clients are told of; 0 while it is off
    private final int lookupPort;
    private final boolean lookupPortTls;

    InletFlightProducer(HotStore store, BufferAllocator allocator, ServerMetrics metrics, Location location, long maxBatchBytes, int lookupPort, boolean lookupPortTls)
    {
        this.lookupPort = lookupPort;
        this.lookupPortTls = lookupPortTls;
        this.store = requireNonNull(store, "store is null");
        this.allocator = requireNonNull(allocator, "allocator is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.location = requireNonNull(location, "location is null");
        this.maxBatchBytes = maxBatchBytes;
    }

    @Override
    public void getStream(CallContext context, Ticket ticket, ServerStreamListener listener)
    {
        long start = System.nanoTime();
        try {
            if (dev.inlet.logstore.protocol.StateScanTicket.isStateScan(ticket.getBytes())) {
                new StateScanHandler(store, allocator, metrics).stream(dev.inlet.logstore.protocol.StateScanTicket.fromBytes(ticket.getBytes()), listener);
                return;
            }
            FetchTicket fetch = FetchTicket.fromBytes(ticket.getBytes());
            new FetchHandler(store, allocator, metrics).stream(fetch, listener);
        }
        catch (InletException e) {
            metrics.errors.labelValues(e.errorCode().name()).inc();
            listener.error(FlightErrors.toFlight(e));
        }
        catch (RuntimeException e) {
            LOG.error("Fetch failed", e);
            listener.error(CallStatus.INTERNAL.withDescription("Fetch failed: " + e).withCause(e).toRuntimeException());
        }
        finally {
            metrics.requestSeconds.labelValues("fetch").observe((System.nanoTime() - start) / 1e9);
        }
    }

    @Override
    public Runnable acceptPut(CallContext context, FlightStream flightStream, StreamListener<PutResult> ackStream)
    {
        return () -> {
            try {
                AppendCommand command = AppendCommand.fromBytes(flightStream.getDescriptor().getCommand());
                new AppendHandler(store, allocator, metrics, maxBatchBytes).run(command, flightStream, ackStream);
            }
            catch (InletException e) {
                metrics.errors.labelValues(e.errorCode().name()).inc();
                ackStream.onError(FlightErrors.toFlight(e));
            }
            catch (RuntimeException e) {
                LOG.error("Append failed", e);
                ackStream.onError(CallStatus.INTERNAL.withDescription("Append failed: " + e).withCause(e).toRuntimeException());
            }
        };
    }

    // lookup streams stay open as long as their clients like: a stopping server ends them
    private record OpenLookupStream(FlightStream keys, Thread handler) {}

    private final java.util.Map<ServerStreamListener, OpenLookupStream> openLookupStreams = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean stopping;

    /** Ends every open lookup stream with UNAVAILABLE (the clients reconnect), so that shutdown need not wait for them. */
    void stopLookupStreams()
    {
        stopping = true;
        openLookupStreams.forEach((answers, open) -> {
            try {
                answers.error(FlightErrors.toFlight(new InletException(InletErrorCode.SERVER_UNAVAILABLE, "The hot store is stopping")));
            }
            catch (RuntimeException e) {
                // already ended
            }
            // once the call is closed no end of the client's half arrives: the handler waits in
            // FlightStream.next() until interrupted
            open.handler().interrupt();
        });
        // the handlers hold buffers of the allocator the server closes next: let them finish
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        synchronized (openLookupStreams) {
            while (!openLookupStreams.isEmpty() && System.nanoTime() < deadline) {
                try {
                    openLookupStreams.wait(50);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void doExchange(CallContext context, FlightStream reader, ServerStreamListener writer)
    {
        try {
            byte[] command = reader.getDescriptor().isCommand() ? reader.getDescriptor().getCommand() : new byte[0];
            if (!dev.inlet.logstore.protocol.LookupMessages.StreamCommand.isLookupStream(command)) {
                throw new InletException(InletErrorCode.MALFORMED_REQUEST, "DoExchange serves lookup streams only; the command must be {\"v\":1,\"lookupStream\":true,...}");
            }
            if (stopping) {
                throw new InletException(InletErrorCode.SERVER_UNAVAILABLE, "The hot store is stopping");
            }
            openLookupStreams.put(writer, new OpenLookupStream(reader, Thread.currentThread()));
            try {
                new LookupStreamHandler(store, allocator, metrics, maxBatchBytes).run(dev.inlet.logstore.protocol.LookupMessages.StreamCommand.fromBytes(command), reader, writer);
            }
            finally {
                synchronized (openLookupStreams) {
                    openLookupStreams.remove(writer);
                    openLookupStreams.notifyAll();
                }
            }
        }
        catch (InletException e) {
            metrics.errors.labelValues(e.errorCode().name()).inc();
            writer.error(FlightErrors.toFlight(e));
        }
        catch (RuntimeException e) {
            LOG.error("Lookup stream failed", e);
            writer.error(CallStatus.INTERNAL.withDescription("Lookup stream failed: " + e).withCause(e).toRuntimeException());
        }
    }

    @Override
    public FlightInfo getFlightInfo(CallContext context, FlightDescriptor descriptor)
    {
        try {
            if (!descriptor.isCommand() && descriptor.getPath().size() == 2) {
                HotTable table = store.table(descriptor.getPath().get(0) + "." + descriptor.getPath().get(1));
                List<FlightEndpoint> endpoints = new ArrayList<>();
                long records = 0;
                for (HotTable.HotPartition partition : table.partitions()) {
                    for (int b = 0; b < partition.buckets().length; b++) {
                        HotBucket bucket = partition.buckets()[b];
                        long earliest = bucket.earliestOffset();
                        long end = bucket.endOffset();
                        records += end - earliest;
                        FetchTicket ticket = FetchTicket.of(table.path().toString(), partition.name(), b, earliest).withEndOffset(end);
                        endpoints.add(new FlightEndpoint(new Ticket(ticket.toBytes()), location));
                    }
                }
                return new FlightInfo(table.arrowSchema(table.info().schemaId()), descriptor, endpoints, -1, records);
            }
            throw new InletException(InletErrorCode.MALFORMED_REQUEST, "GetFlightInfo takes a path descriptor [database, table], got " + descriptor);
        }
        catch (InletException e) {
            throw FlightErrors.toFlight(e);
        }
    }

    @Override
    public SchemaResult getSchema(CallContext context, FlightDescriptor descriptor)
    {
        FlightInfo info = getFlightInfo(context, descriptor);
        return new SchemaResult(info.getSchemaOptional().orElseThrow());
    }

    @Override
    public void listFlights(CallContext context, Criteria criteria, StreamListener<FlightInfo> listener)
    {
        listener.onCompleted();
    }

    @Override
    public void doAction(CallContext context, Action action, StreamListener<Result> listener)
    {
        try {
            if (action.getType().equals(Actions.LOOKUP)) {
                long start = System.nanoTime();
                listener.onNext(new Result(new LookupHandler(store, allocator, maxBatchBytes).handle(action.getBody())));
                listener.onCompleted();
                metrics.requestSeconds.labelValues("lookup").observe((System.nanoTime() - start) / 1e9);
                return;
            }
            Object result = switch (action.getType()) {
                case Actions.DESCRIBE_TABLE -> {
                    Actions.TableRequest request = ProtocolJson.read(action.getBody(), Actions.TableRequest.class, "describe-table request");
                    // re-read from the catalog: a client describes a table to write with its current schema
                    HotTable table = store.refresh(store.table(request.table()));
                    yield new Actions.TableResult(1, table.path().toString(), table.info().tableId(), table.info().schemaId(), DescriptorCodec.encode(table.descriptor()));
                }
                case Actions.LOOKUP_PORT -> new Actions.LookupPortResult(1, lookupPort, lookupPortTls);
                case Actions.OFFSETS -> offsets(ProtocolJson.read(action.getBody(), Actions.OffsetsRequest.class, "offsets request"));
                case Actions.LIST_PARTITIONS -> {
                    Actions.TableRequest request = ProtocolJson.read(action.getBody(), Actions.TableRequest.class, "list-partitions request");
                    HotTable table = store.table(request.table());
                    yield new Actions.PartitionsResult(1, table.partitions().stream()
                            .map(p -> new Actions.PartitionInfo(p.name(), p.buckets().length)).toList());
                }
                case Actions.DROP_PARTITION -> {
                    Actions.PartitionRequest request = ProtocolJson.read(action.getBody(), Actions.PartitionRequest.class, "drop-partition request");
                    HotTable table = store.table(request.table());
                    if (!table.dropPartition(request.partition())) {
                        throw new InletException(InletErrorCode.PARTITION_NOT_FOUND, "Table " + table.path() + " has no partition '" + request.partition() + "'");
                    }
                    LOG.info("Dropped partition '{}' of {}", request.partition(), table.path());
                    yield null;
                }
                default -> throw new InletException(InletErrorCode.MALFORMED_REQUEST, "Unknown action '" + action.getType() + "'; known: "
                        + List.of(Actions.DESCRIBE_TABLE, Actions.OFFSETS, Actions.LIST_PARTITIONS, Actions.DROP_PARTITION, Actions.LOOKUP, Actions.LOOKUP_PORT));
            };
            if (result != null) {
                listener.onNext(new Result(ProtocolJson.write(result)));
            }
            listener.onCompleted();
        }
        catch (InletException e) {
            metrics.errors.labelValues(e.errorCode().name()).inc();
            listener.onError(FlightErrors.toFlight(e));
        }
    }

    private Actions.OffsetsResult offsets(Actions.OffsetsRequest request)
    {
        if (request.spec() == null) {
            throw new InletException(InletErrorCode.MALFORMED_REQUEST, "offsets request has no spec; use EARLIEST, LATEST, TIMESTAMP or TIERED");
        }
        HotTable table = store.table(request.table());
        String partitionName = request.partition() == null ? "" : request.partition();
        int bucketCount = table.descriptor().bucketCount();
        List<Integer> buckets = request.buckets() != null ? request.buckets() : java.util.stream.IntStream.range(0, bucketCount).boxed().toList();
        List<TieredOffset> tiered = request.spec() == Actions.OffsetSpec.TIERED ? store.catalog().store().tieredOffsets(table.info().tableId()) : List.of();
        HotTable.HotPartition partition = table.partition(partitionName, partitionName.isEmpty());
        List<Actions.BucketOffset> offsets = new ArrayList<>();
        for (int b : buckets) {
            HotBucket bucket = partition.bucket(table.path(), b);
            long offset = switch (request.spec()) {
                case EARLIEST -> bucket.earliestOffset();
                case LATEST -> bucket.endOffset();
                case TIMESTAMP -> bucket.offsetForTimestamp(request.timestamp());
                case TIERED -> tiered.stream().filter(t -> t.partition().equals(partitionName) && t.bucket() == b).mapToLong(TieredOffset::offset).findFirst().orElse(0);
            };
            offsets.add(new Actions.BucketOffset(b, offset));
        }
        return new Actions.OffsetsResult(1, offsets);
    }

    @Override
    public void listActions(CallContext context, StreamListener<ActionType> listener)
    {
        listener.onNext(new ActionType(Actions.DESCRIBE_TABLE, "A table's definition"));
        listener.onNext(new ActionType(Actions.OFFSETS, "Earliest, latest, by-timestamp or tiered offsets of buckets"));
        listener.onNext(new ActionType(Actions.LIST_PARTITIONS, "A table's partitions"));
        listener.onNext(new ActionType(Actions.DROP_PARTITION, "Delete a partition's hot data"));
        listener.onNext(new ActionType(Actions.LOOKUP, "Point or prefix lookups in a primary-key table (binary body, see docs/protocol.md)"));
        listener.onNext(new ActionType(Actions.LOOKUP_PORT, "The port of the binary lookup protocol (0: off)"));
        listener.onCompleted();
    }
}
