/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.server;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.model.Column;
import dev.inlet.logstore.kv.RowCodec;
import dev.inlet.logstore.kv.TableSchema;
import dev.inlet.logstore.protocol.LookupFrames;
import org.apache.arrow.memory.BufferAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lookup port ({@link LookupFrames}): point and prefix lookups over plain TCP, each connection
 * served by its own platform thread that reads a request, looks it up in RocksDB and writes the
 * answer, with nothing queued between. A platform thread, not a virtual one, because a virtual
 * thread blocked on a socket is woken through the poller thread: one more hand-off per request,
 * which is what this port exists to avoid. Connections are few (a client keeps one per thread
 * that looks up at the same time) and capped by {@code server.lookup.max-connections}; one that
 * sends no request for {@code server.lookup.idle-timeout} is closed, so that clients that went
 * away without closing (or stopped looking up) do not hold threads and the cap for ever.
 *
 * <p>With TLS on ({@code server.tls.cert-file}), the port speaks TLS with the Flight endpoint's
 * certificate, and the hello (with its bearer token) is sent only after the handshake.
 */
final class LookupPort
        implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(LookupPort.class);
    private static final int MAX_HELLO_BYTES = 64 * 1024;
    private static final Duration DRAIN_TIME = Duration.ofSeconds(1);

    private final ServerSocket listener;
    private final LookupHandler lookups;
    private final ServerMetrics metrics;
    private final byte[] token;
    private final int maxConnections;
    private final int idleTimeoutMillis;
    private final long maxRequestBytes;
    private final Map<Socket, Thread> connections = new ConcurrentHashMap<>();
    private final Thread acceptor;
    private volatile boolean closing;

    private LookupPort(ServerSocket listener, HotStore store, BufferAllocator allocator, ServerMetrics metrics, Optional<String> token, int maxConnections, Duration idleTimeout,
            long maxRequestBytes)
    {
        this.idleTimeoutMillis = (int) Math.clamp(idleTimeout.toMillis(), 1, Integer.MAX_VALUE);
        this.listener = listener;
        this.lookups = new LookupHandler(store, allocator, maxRequestBytes);
        this.metrics = metrics;
        this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8)).orElse(null);
        this.maxConnections = maxConnections;
        this.maxRequestBytes = maxRequestBytes;
        this.acceptor = Thread.ofPlatform().daemon().name("inlet-lookup-port").start(this::accept);
    }

    /** Listens on {@code host:port} (0: a free port). */
    static LookupPort start(HotStore store, BufferAllocator allocator, ServerMetrics metrics, String host, int port, Optional<SSLContext> tls, Optional<String> token,
            int maxConnections, Duration idleTimeout, long maxRequestBytes)
            throws IOException
    {
        ServerSocket listener = tls.isPresent() ? tls.get().getServerSocketFactory().createServerSocket() : new ServerSocket();
        listener.setReuseAddress(true);
        try {
            listener.bind(new InetSocketAddress(InetAddress.getByName(host), port), 128);
        }
        catch (IOException e) {
            listener.close();
            throw new IOException("Cannot open the lookup port " + host + ":" + port + " (server.lookup.port): " + e.getMessage(), e);
        }
        return new LookupPort(listener, store, allocator, metrics, token, maxConnections, idleTimeout, maxRequestBytes);
    }

    int port()
    {
        return listener.getLocalPort();
    }

    int connections()
    {
        return connections.size();
    }

    private void accept()
    {
        while (!closing) {
            Socket socket;
            try {
                socket = listener.accept();
            }
            catch (IOException e) {
                if (!closing) {
                    LOG.error("Lookup port stopped accepting connections", e);
                }
                return;
            }
            if (connections.size() >= maxConnections) {
                refuse(socket, new InletException(InletErrorCode.SERVER_UNAVAILABLE, "The hot store serves at most " + maxConnections
                        + " lookup connections (server.lookup.max-connections); close idle clients or raise it"));
                continue;
            }
            Thread thread = Thread.ofPlatform().daemon().name("inlet-lookup-" + socket.getRemoteSocketAddress()).unstarted(() -> serve(socket));
            connections.put(socket, thread);
            metrics.lookupConnections.set(connections.size());
            thread.start();
        }
    }

    private static void refuse(Socket socket, InletException error)
    {
        try (socket) {
            // with TLS, writing starts the handshake: a client that stalls it must not hold the acceptor
            socket.setSoTimeout((int) DRAIN_TIME.toMillis());
            LookupFrames.writeStatus(new DataOutputStream(socket.getOutputStream()), error);
            finish(socket, socket.getInputStream());
        }
        catch (IOException e) {
            // the client went away first
        }
    }

    /**
     * Ends a connection whose client may still be sending (its hello, or a frame too large to
     * read): closing with unread bytes would reset the connection, and the client could lose the
     * error just written. So: end our side, read and drop what still comes for a moment, then close.
     */
    private static void finish(Socket socket, InputStream in)
            throws IOException
    {
        socket.shutdownOutput();
        socket.setSoTimeout((int) DRAIN_TIME.toMillis());
        long deadline = System.nanoTime() + DRAIN_TIME.toNanos();
        byte[] sink = new byte[64 * 1024];
        try {
            while (System.nanoTime() < deadline && in.read(sink) >= 0) {
                // dropped
            }
        }
        catch (IOException e) {
            // timed out or reset: closing anyway
        }
    }

    private void serve(Socket socket)
    {
        try (socket) {
            socket.setTcpNoDelay(true);
            // bounds the wait for the hello and for each next request alike
            socket.setSoTimeout(idleTimeoutMillis);
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 16 * 1024));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 64 * 1024));
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            InletException refused = hello(in, buffer);
            LookupFrames.writeStatus(out, refused);
            if (refused != null) {
                metrics.errors.labelValues(refused.errorCode().name()).inc();
                return;
            }
            while (!closing) {
                ByteBuffer body;
                try {
                    body = LookupFrames.readFrame(in, buffer, maxRequestBytes, "A lookup request");
                }
                catch (InletException tooLarge) {
                    // its body is still unread: the stream cannot be followed any further
                    metrics.errors.labelValues(tooLarge.errorCode().name()).inc();
                    LookupFrames.writeError(out, 0, tooLarge);
                    finish(socket, in);
                    return;
                }
                buffer = body;
                answer(body, out);
            }
        }
        catch (SocketTimeoutException e) {
            LOG.debug("Lookup connection {} idle for {} ms (server.lookup.idle-timeout); closing it", socket.getRemoteSocketAddress(), idleTimeoutMillis);
        }
        catch (EOFException | SocketException e) {
            // the client closed the connection (or the server is stopping)
        }
        catch (IOException e) {
            LOG.warn("Lookup connection {} failed: {}", socket.getRemoteSocketAddress(), e.toString());
        }
        catch (InletException e) {
            LOG.warn("Lookup connection {} refused: {}", socket.getRemoteSocketAddress(), e.getMessage());
        }
        finally {
            connections.remove(socket);
            metrics.lookupConnections.set(connections.size());
        }
    }

    /** Null if the client's hello is accepted, else why not. */
    private InletException hello(DataInputStream in, ByteBuffer buffer)
            throws IOException
    {
        try {
            byte[] given = LookupFrames.readHello(LookupFrames.readFrame(in, buffer, MAX_HELLO_BYTES, "The lookup hello"));
            if (token != null && given.length == 0) {
                return new InletException(InletErrorCode.UNAUTHENTICATED, "The hot store needs a bearer token (server.auth.token); the lookup connection gave none");
            }
            // the same time whatever the token, as for Flight calls
            if (token != null && !MessageDigest.isEqual(token, given)) {
                return new InletException(InletErrorCode.UNAUTHENTICATED, "The bearer token is not valid for this hot store");
            }
            return null;
        }
        catch (InletException e) {
            return e;
        }
    }

    private void answer(ByteBuffer body, DataOutputStream out)
            throws IOException
    {
        long start = System.nanoTime();
        long id = 0;
        try {
            LookupFrames.Request request = LookupFrames.decodeRequest(body);
            id = request.id();
            HotTable table = lookups.table(request.table(), request.schemaId());
            if (request.tableId() != table.info().tableId()) {
                throw new InletException(InletErrorCode.BATCH_SCHEMA_MISMATCH, "Table " + table.path() + " was dropped and created again since the client described it; describe it again");
            }
            TableSchema schema = table.schema();
            List<Column> keyColumns = lookups.keyColumnsOf(table, request.prefix(), request.insertIfAbsent());
            LookupHandler.Answer found = lookups.lookup(table, schema, LookupFrames.readKeys(request, keyColumns), request.prefix(), request.insertIfAbsent());
            RowCodec codec = found.codec();
            List<byte[]> rows = new ArrayList<>(found.rows().size());
            for (byte[] row : found.rows()) {
                rows.add(codec.inSchema(row, schema));
            }
            LookupFrames.writeAnswer(out, id, rows, found.keyIndexes());
        }
        catch (InletException e) {
            metrics.errors.labelValues(e.errorCode().name()).inc();
            LookupFrames.writeError(out, id, e);
        }
        catch (RuntimeException e) {
            LOG.error("Lookup failed", e);
            metrics.errors.labelValues(InletErrorCode.SERVER_UNAVAILABLE.name()).inc();
            LookupFrames.writeError(out, id, new InletException(InletErrorCode.SERVER_UNAVAILABLE, "Lookup failed on the hot store: " + e));
        }
        metrics.requestSeconds.labelValues("lookup").observe((System.nanoTime() - start) / 1e9);
    }

    /**
     * Stops accepting; each connection finishes the request it is answering, then its socket is
     * closed (its client opens a new connection elsewhere or reports the server gone).
     */
    @Override
    public void close()
    {
        closing = true;
        try {
            listener.close();
        }
        catch (IOException e) {
            // closing anyway
        }
        for (Socket socket : connections.keySet()) {
            try {
                // the reader sees the end of its stream after the answer it is writing
                socket.shutdownInput();
            }
            catch (IOException e) {
                // already closed
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        for (Thread thread : List.copyOf(connections.values())) {
            try {
                thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        connections.keySet().forEach(socket -> {
            try {
                socket.close();
            }
            catch (IOException e) {
                // already closed
            }
        });
        try {
            acceptor.join(Duration.ofSeconds(5));
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
