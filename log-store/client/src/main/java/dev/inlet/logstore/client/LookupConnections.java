/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.client;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.logstore.protocol.Actions;
import dev.inlet.logstore.protocol.LookupFrames;
import dev.inlet.logstore.protocol.LookupMessages;
import dev.inlet.logstore.protocol.PemTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client's connections to the hot store's lookup port: an idle connection is taken for a
 * request and given back after it, so each thread looking up at the same time has its own and
 * none waits for another's answer. The port is asked of the Flight endpoint once; a server that
 * has it off leaves lookups on the Flight stream. A {@code grpc+tls://} client connects with TLS,
 * trusting what its Flight connection trusts, and only to a port that says it speaks TLS (a
 * server from before TLS on the port leaves it on the Flight stream). A port this client cannot
 * connect to also leaves lookups there (a firewall or a proxy that passes only the Flight port),
 * for {@link #UNREACHABLE_BACKOFF}, after which it is tried again; a server that refuses a new
 * connection because it serves as many as {@code server.lookup.max-connections} allows leaves
 * them there for {@link #FULL_BACKOFF}.
 *
 * <p>Thread-safe.
 */
final class LookupConnections
        implements AutoCloseable
{
    // idle connections kept beyond this are closed: a burst of threads leaves no lasting sockets
    private static final int MAX_IDLE = 64;
    private static final int UNKNOWN = -1;
    static final Duration UNREACHABLE_BACKOFF = Duration.ofMinutes(1);
    // connections close all the time (idle timeout, clients going away): try again soon
    static final Duration FULL_BACKOFF = Duration.ofSeconds(5);
    // a port that does not answer must not hold a lookup for the whole request timeout
    private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(LookupConnections.class);

    private final InletClient client;
    private final Deque<LookupConnection> idle = new ConcurrentLinkedDeque<>();
    private final AtomicLong nextId = new AtomicLong();
    private volatile int port = UNKNOWN;
    // for a grpc+tls:// client, made when the port is first discovered; null otherwise
    private volatile SSLContext tls;
    // System.nanoTime() until which the port counts as unreachable; 0: not
    private volatile long unreachableUntil;
    private volatile boolean closed;

    LookupConnections(InletClient client)
    {
        this.client = client;
    }

    /** Whether lookups go to the lookup port (asks the server the first time). */
    boolean available()
    {
        int known = port;
        if (known == UNKNOWN) {
            known = discover();
            port = known;
        }
        long until = unreachableUntil;
        return known > 0 && !closed && (until == 0 || System.nanoTime() - until >= 0);
    }

    private int discover()
    {
        Actions.LookupPortResult result;
        try {
            result = client.action(Actions.LOOKUP_PORT, new Actions.LookupPortRequest(1), Actions.LookupPortResult.class);
        }
        catch (InletException e) {
            if (e.errorCode() == InletErrorCode.MALFORMED_REQUEST) {
                return 0; // a server from before the lookup port: it does not know the action
            }
            throw e;
        }
        boolean tlsClient = "grpc+tls".equals(client.config().endpoint().getScheme());
        if (tlsClient != result.tls()) {
            return 0; // never downgrade a TLS client to plain TCP
        }
        if (tlsClient && tls == null) {
            try {
                tls = PemTls.client(client.config().trustedCertificates());
            }
            catch (IOException | GeneralSecurityException e) {
                throw new InletException(InletErrorCode.INVALID_CONFIGURATION, "Cannot use the trusted certificates " + client.config().trustedCertificates().orElse(null)
                        + " for the lookup port: " + e.getMessage(), e);
            }
        }
        return result.port();
    }

    /**
     * Runs one lookup request. A request that fails because a kept connection broke (the server
     * restarted) is sent once more on a new one, and the other kept connections, as old, are
     * dropped: lookups, insert-if-absent included, are idempotent.
     *
     * @return the rows, or null if the port cannot be reached (the caller uses the Flight stream)
     */
    List<LookupStream.RowAt> request(TableHandle table, boolean prefix, List<Object[]> keys, boolean insertIfAbsent)
    {
        long id = nextId.incrementAndGet();
        byte[] frame;
        try {
            // keys checked by Lookups
            frame = LookupFrames.encodeRequest(id, prefix, insertIfAbsent, table.path().toString(), table.tableId(), table.schemaId(),
                    LookupMessages.keyColumns(table.descriptor(), prefix), keys);
        }
        catch (IllegalArgumentException e) {
            throw new InletException(InletErrorCode.INVALID_ROW, "Lookup in " + table.path() + ": " + e.getMessage(), e);
        }
        for (int attempt = 0; ; attempt++) {
            LookupConnection connection = idle.pollFirst();
            boolean kept = connection != null;
            if (connection == null) {
                connection = open();
                if (connection == null) {
                    return null;
                }
            }
            try {
                List<LookupStream.RowAt> rows = connection.request(frame, id, table);
                release(connection);
                return rows;
            }
            catch (InletException e) {
                release(connection);
                throw e;
            }
            catch (SocketTimeoutException e) {
                connection.close();
                throw new InletException(InletErrorCode.SERVER_UNAVAILABLE, "No answer from the hot store within " + client.config().requestTimeout().toSeconds()
                        + "s to a lookup in " + table.path());
            }
            catch (IOException e) {
                connection.close();
                if (kept && attempt == 0) {
                    closeIdle();
                    continue;
                }
                throw new InletException(InletErrorCode.SERVER_UNAVAILABLE, "Lookup in " + table.path() + " failed: the connection to the lookup port broke: " + e, e);
            }
        }
    }

    /** A new connection, or null if the port cannot be reached (then it is not tried again for a while). */
    private LookupConnection open()
    {
        String host = client.config().endpoint().getHost();
        int known = port;
        Duration timeout = client.config().requestTimeout();
        try {
            return new LookupConnection(host, known, Optional.ofNullable(tls), client.config().token(), timeout.compareTo(MAX_CONNECT_TIMEOUT) < 0 ? timeout : MAX_CONNECT_TIMEOUT,
                    timeout);
        }
        catch (IOException e) {
            LOG.warn("Cannot connect to the hot store's lookup port {}:{} ({}); lookups use the Flight stream for the next {}s", host, known, e.toString(),
                    UNREACHABLE_BACKOFF.toSeconds());
            unreachableUntil = System.nanoTime() + UNREACHABLE_BACKOFF.toNanos();
            // the server may come back on another port (server.lookup.port=-1): ask again then
            port = UNKNOWN;
            return null;
        }
        catch (InletException e) {
            if (e.errorCode() != InletErrorCode.SERVER_UNAVAILABLE) {
                throw e; // a refused token is the caller's to see
            }
            LOG.warn("The hot store's lookup port refused a connection ({}); lookups use the Flight stream for the next {}s", e.getMessage(), FULL_BACKOFF.toSeconds());
            unreachableUntil = System.nanoTime() + FULL_BACKOFF.toNanos();
            return null;
        }
    }

    private void release(LookupConnection connection)
    {
        if (closed || connection.broken() || idle.size() >= MAX_IDLE) {
            connection.close();
            return;
        }
        idle.offerFirst(connection);
        if (closed && idle.remove(connection)) {
            connection.close();
        }
    }

    private void closeIdle()
    {
        for (LookupConnection connection = idle.pollFirst(); connection != null; connection = idle.pollFirst()) {
            connection.close();
        }
    }

    @Override
    public void close()
    {
        closed = true;
        closeIdle();
    }
}
