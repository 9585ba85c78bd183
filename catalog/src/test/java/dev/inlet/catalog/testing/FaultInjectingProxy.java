/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy in front of an S3 endpoint that injects the faults S3 clients meet in production:
 * a {@code 503 SlowDown} answer instead of the request, a connection reset in the middle of a
 * request or its answer, and slow answers. Faults are drawn per connection; connections are
 * closed after {@code maxConnectionIdle} without traffic, so that clients keep opening new ones
 * and meet faults often. Bytes it forwards are not changed, so request signatures stay valid
 * (clients sign for the proxy's address).
 */
public final class FaultInjectingProxy
        implements AutoCloseable
{
    private final InetSocketAddress target;
    private final ServerSocket server;
    private final Thread acceptor;
    private final SplittableRandom random = new SplittableRandom(17);
    private volatile double errorRate;
    private volatile double resetRate;
    private volatile Duration delay = Duration.ZERO;
    private volatile Duration maxConnectionIdle = Duration.ofSeconds(2);
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong resets = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong forcedErrors = new AtomicLong();

    private FaultInjectingProxy(URI target)
            throws IOException
    {
        this.target = new InetSocketAddress(target.getHost(), target.getPort());
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        this.acceptor = Thread.ofPlatform().daemon().name("fault-proxy-accept").start(this::accept);
    }

    /** Starts a proxy to {@code target} (an http:// endpoint) on a free loopback port, with no faults. */
    public static FaultInjectingProxy start(URI target)
            throws IOException
    {
        return new FaultInjectingProxy(target);
    }

    public URI endpoint()
    {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /**
     * @param errorRate share of connections answered {@code 503 SlowDown}
     * @param resetRate share of connections reset after a few forwarded bytes
     * @param delay added before the first answer byte of every connection
     */
    public void faults(double errorRate, double resetRate, Duration delay)
    {
        faults(errorRate, resetRate, delay, Duration.ofSeconds(2));
    }

    /**
     * As {@link #faults(double, double, Duration)}, and a connection is closed once no request
     * byte came for {@code connectionIdle} (also one whose answer is still on its way: a cut
     * answer is a fault too); short values make clients open connections, and meet faults, often.
     */
    public void faults(double errorRate, double resetRate, Duration delay, Duration connectionIdle)
    {
        this.errorRate = errorRate;
        this.resetRate = resetRate;
        this.delay = delay;
        this.maxConnectionIdle = connectionIdle;
    }

    /** Answers the next {@code count} new connections with {@code 503} whatever the rates (so a test surely meets some). */
    public void failNextConnections(int count)
    {
        forcedErrors.set(count);
    }

    public long injectedErrors()
    {
        return errors.get();
    }

    public long injectedResets()
    {
        return resets.get();
    }

    public long connections()
    {
        return connections.get();
    }

    private void accept()
    {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                connections.incrementAndGet();
                double draw;
                synchronized (random) {
                    draw = random.nextDouble();
                }
                if (forcedErrors.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    draw = -1; // below any error rate
                }
                double fault = draw;
                Thread.ofVirtual().start(() -> handle(client, fault));
            }
            catch (IOException e) {
                return; // closed
            }
        }
    }

    private void handle(Socket client, double draw)
    {
        try (client) {
            client.setSoTimeout((int) maxConnectionIdle.toMillis());
            if (draw < errorRate || draw < 0) {
                errors.incrementAndGet();
                readRequestHead(client.getInputStream());
                byte[] body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code><Message>injected by FaultInjectingProxy</Message></Error>"
                        .getBytes(StandardCharsets.UTF_8);
                OutputStream out = client.getOutputStream();
                out.write(("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/xml\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                return;
            }
            boolean reset = draw < errorRate + resetRate;
            try (Socket upstream = new Socket()) {
                upstream.connect(target, 5000);
                upstream.setSoTimeout((int) maxConnectionIdle.toMillis());
                long cut = reset ? 1 + (long) (draw * 1_000_000) % 4096 : Long.MAX_VALUE;
                Thread back = Thread.ofVirtual().start(() -> {
                    pump(upstream, client, Long.MAX_VALUE, true);
                    closeQuietly(client, upstream); // the answer side ended: so does the connection
                });
                pump(client, upstream, cut, false);
                if (reset) {
                    resets.incrementAndGet();
                    client.setSoLinger(true, 0); // an RST, not a clean close
                    upstream.setSoLinger(true, 0);
                }
                closeQuietly(client, upstream);
                back.join();
            }
        }
        catch (IOException | InterruptedException e) {
            // the connection is gone; the client sees what it sees
        }
    }

    /** Copies until end of stream, an idle timeout, or {@code limit} bytes; then half-closes the destination. */
    private void pump(Socket from, Socket to, long limit, boolean answers)
    {
        byte[] buffer = new byte[16384];
        long copied = 0;
        boolean first = true;
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            while (copied < limit) {
                int n;
                try {
                    n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - copied));
                }
                catch (java.net.SocketTimeoutException idle) {
                    if (answers) {
                        continue; // the server may take its time; the request side decides idleness
                    }
                    break; // no new request for a while: end the connection, the client opens a new one
                }
                if (n < 0) {
                    break;
                }
                if (answers && first && !delay.isZero()) {
                    Thread.sleep(delay); // the injected slowness itself
                }
                first = false;
                out.write(buffer, 0, n);
                out.flush();
                copied += n;
            }
        }
        catch (IOException | InterruptedException e) {
            // either side closed
        }
    }

    private static void closeQuietly(Socket... sockets)
    {
        for (Socket socket : sockets) {
            try {
                socket.close();
            }
            catch (IOException e) {
                // already gone
            }
        }
    }

    private static void readRequestHead(InputStream in)
            throws IOException
    {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        for (int read = 0; read < 65536 && matched < 4; read++) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
        }
    }

    @Override
    public void close()
    {
        try {
            server.close();
            acceptor.join(5000);
        }
        catch (IOException | InterruptedException e) {
            // closing anyway
        }
    }
}
