/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.client;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.model.Column;
import dev.inlet.logstore.protocol.LookupFrames;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One connection to the hot store's lookup port ({@link LookupFrames}), used by one thread at a
 * time: it writes a request and reads its answer on the calling thread.
 *
 * <p>Not thread-safe; {@link LookupConnections} hands each to one caller at a time.
 */
final class LookupConnection
        implements AutoCloseable
{
    // an answer holds at most the rows of the keys asked for; this only stops a corrupt length
    private static final long MAX_ANSWER_BYTES = 1L << 30;

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private ByteBuffer buffer = ByteBuffer.allocate(8192);
    private boolean broken;

    /**
     * Connects and says hello.
     *
     * @throws InletException {@code UNAUTHENTICATED} (or another refusal) from the server
     */
    LookupConnection(String host, int port, Optional<SSLContext> tls, Optional<String> token, Duration connectTimeout, Duration timeout)
            throws IOException
    {
        Socket plain = new Socket();
        try {
            plain.setTcpNoDelay(true);
            plain.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
            plain.setSoTimeout((int) timeout.toMillis());
        }
        catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
        socket = tls.isPresent() ? secure(plain, tls.get(), host, port) : plain;
        try {
            in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
            out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 16 * 1024));
            LookupFrames.writeHello(out, token.orElse(null));
            LookupFrames.readStatus(LookupFrames.readFrame(in, buffer, MAX_ANSWER_BYTES, "The lookup hello's answer"));
        }
        catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * TLS over a connected socket, checking that the server's certificate is for {@code host} (as
     * the Flight connection does), with the handshake done before the token is sent.
     */
    private static SSLSocket secure(Socket plain, SSLContext tls, String host, int port)
            throws IOException
    {
        try {
            SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(plain, host, port, true);
            SSLParameters parameters = secure.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            secure.setSSLParameters(parameters);
            secure.startHandshake();
            return secure;
        }
        catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    /**
     * Sends {@code frame} (request {@code id}, {@link LookupFrames#encodeRequest}) and reads its
     * rows, decoded with {@code table}'s schema.
     *
     * @throws InletException the server's error for this request; the connection stays usable
     *     unless {@link #broken()} (the server refused the frame itself and closes it)
     * @throws IOException the connection broke or timed out (it is not usable any more)
     */
    List<LookupStream.RowAt> request(byte[] frame, long id, TableHandle table)
            throws IOException
    {
        out.write(frame);
        out.flush();
        ByteBuffer body = LookupFrames.readFrame(in, buffer, MAX_ANSWER_BYTES, "A lookup answer");
        buffer = body;
        long answered = body.getLong();
        byte status = body.get();
        if (status != LookupFrames.STATUS_OK) {
            InletException error = LookupFrames.error(body);
            // an error for request 0 is about the frame itself (e.g. too large): the server closes the connection
            broken = answered != id;
            throw error;
        }
        if (answered != id) {
            throw new IOException("The lookup answer is for request " + answered + ", not " + id + ": the connection is out of step");
        }
        List<Column> columns = table.descriptor().columns();
        int count = body.getInt();
        List<LookupStream.RowAt> rows = new ArrayList<>(count);
        for (int r = 0; r < count; r++) {
            int keyIndex = body.getInt();
            int length = body.getInt();
            int end = body.position() + length;
            rows.add(new LookupStream.RowAt(keyIndex, LookupFrames.readRow(body, table.schemaId(), columns)));
            if (body.position() != end) {
                throw new InletException(InletErrorCode.BATCH_SCHEMA_MISMATCH, "A lookup answer row of " + table.path() + " has " + length
                        + " bytes, but schema " + table.schemaId() + " reads " + (body.position() - end + length) + " of them");
            }
        }
        return rows;
    }

    /** Whether the server ended this connection after its last answer. */
    boolean broken()
    {
        return broken;
    }

    @Override
    public void close()
    {
        try {
            socket.close();
        }
        catch (IOException e) {
            // closing anyway
        }
    }
}
