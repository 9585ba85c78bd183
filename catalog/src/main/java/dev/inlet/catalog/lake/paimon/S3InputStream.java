/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.lake.paimon;

import org.apache.paimon.fs.SeekableInputStream;
import org.apache.paimon.fs.VectoredReadable;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

import static java.util.Objects.requireNonNull;

/**
 * Reads one S3 object with ranged {@code GET}s.
 *
 * <p>The stream opens no connection until the first read, so a missing object shows as a
 * {@link java.io.FileNotFoundException} from that read, and opening costs nothing. A read issues one
 * open-ended {@code GET} from the current position ({@code Range: bytes=pos-}) and keeps reading
 * from it while reads stay sequential. {@link #seek(long)} only records the new position: a seek
 * within the last {@value #BUFFER_SIZE} bytes read is served from the buffer, a short forward seek
 * skips bytes on the open response, and anything else closes the response and the next read
 * starts a new {@code GET} there. The object's length is learned from the first response.
 *
 * <p>{@link #pread} (for Paimon's vectored ORC and Parquet reads) sends its own bounded ranged
 * {@code GET} and shares no state with the stream, so it may run on any thread. The stream itself
 * is not thread-safe.
 */
final class S3InputStream
        extends SeekableInputStream
        implements VectoredReadable
{
    static final int BUFFER_SIZE = 64 * 1024;
    /** A forward seek up to this far reads through the open response rather than starting a new request. */
    private static final long MAX_SKIP = 512 * 1024;
    /** When closing a response with at most this much left, read it to the end so the connection is reused; otherwise drop the connection. */
    private static final long MAX_DRAIN = 64 * 1024;

    private final S3Client client;
    private final S3Location location;

    /** The position of the next byte {@link #read} returns. */
    private long position;
    /** The object's length, or -1 until a response has told it. */
    private long length = -1;

    private ResponseInputStream<GetObjectResponse> response;
    /** The object position of the next byte {@link #response} gives. */
    private long responsePosition;

    private byte[] buffer;
    /** The object position of {@code buffer[0]}. */
    private long bufferStart;
    private int bufferLength;

    private boolean closed;

    S3InputStream(S3Client client, S3Location location)
    {
        this.client = requireNonNull(client, "client is null");
        this.location = requireNonNull(location, "location is null");
    }

    @Override
    public void seek(long newPosition)
            throws IOException
    {
        checkOpen();
        if (newPosition < 0) {
            throw new EOFException("Cannot seek to negative position " + newPosition + " in " + S3Errors.describe(location));
        }
        if (length >= 0 && newPosition > length) {
            throw new EOFException("Cannot seek to position " + newPosition + " past the end (" + length + " bytes) of " + S3Errors.describe(location));
        }
        position = newPosition;
    }

    @Override
    public long getPos()
    {
        return position;
    }

    @Override
    public int read()
            throws IOException
    {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len)
            throws IOException
    {
        Objects.checkFromIndexSize(off, len, b.length);
        checkOpen();
        if (len == 0) {
            return 0;
        }
        if (length >= 0 && position >= length) {
            return -1;
        }
        if (!inBuffer(position)) {
            if (len >= BUFFER_SIZE) {
                // a large read gains nothing from the buffer: read straight into the caller's array
                int n = readResponse(b, off, len);
                if (n > 0) {
                    position += n;
                }
                return n;
            }
            if (buffer == null) {
                buffer = new byte[BUFFER_SIZE];
            }
            bufferLength = 0;
            bufferStart = position;
            int n = readResponse(buffer, 0, BUFFER_SIZE);
            if (n < 0) {
                return -1;
            }
            bufferLength = n;
        }
        int offsetInBuffer = (int) (position - bufferStart);
        int n = Math.min(len, bufferLength - offsetInBuffer);
        System.arraycopy(buffer, offsetInBuffer, b, off, n);
        position += n;
        return n;
    }

    private boolean inBuffer(long objectPosition)
    {
        return objectPosition >= bufferStart && objectPosition < bufferStart + bufferLength;
    }

    @Override
    public long skip(long n)
            throws IOException
    {
        checkOpen();
        if (n <= 0) {
            return 0;
        }
        long target = position + n;
        if (length >= 0) {
            target = Math.min(target, length);
        }
        long skipped = target - position;
        position = target;
        return skipped;
    }

    @Override
    public int available()
            throws IOException
    {
        checkOpen();
        return inBuffer(position) ? (int) (bufferStart + bufferLength - position) : 0;
    }

    /**
     * Reads at {@link #position} from the response, opening or moving it first. Returns -1 at the
     * end of the object. A connection that fails mid-read is reopened once at the same position.
     */
    private int readResponse(byte[] b, int off, int len)
            throws IOException
    {
        IOException failure = null;
        for (int attempt = 0; attempt < 2; attempt++) {
            if (!positionResponse()) {
                return -1;
            }
            try {
                int n = response.read(b, off, len);
                if (n < 0) {
                    // an open-ended range ends with the object
                    length = responsePosition;
                    closeResponse();
                    return -1;
                }
                responsePosition += n;
                return n;
            }
            catch (IOException | SdkException e) {
                IOException translated = e instanceof SdkException sdk ? S3Errors.translate("read", location, sdk) : new IOException("Could not read " + S3Errors.describe(location) + " at position " + position, e);
                if (failure != null) {
                    translated.addSuppressed(failure);
                }
                failure = translated;
                abortResponse();
            }
        }
        throw failure;
    }

    /**
     * Makes {@link #response} give the byte at {@link #position}: keeps it, skips forward on it, or
     * replaces it. Returns false when the position is at or past the end of the object.
     */
    private boolean positionResponse()
            throws IOException
    {
        if (response != null && position > responsePosition && position - responsePosition <= MAX_SKIP) {
            long toSkip = position - responsePosition;
            while (toSkip > 0) {
                long skipped = response.skip(toSkip);
                if (skipped <= 0) {
                    break;
                }
                toSkip -= skipped;
                responsePosition += skipped;
            }
        }
        if (response != null && responsePosition == position) {
            return true;
        }
        closeResponse();
        long start = position;
        try {
            // from the start, ask for the whole object: a range on an empty object is not satisfiable
            response = client.getObject(b -> {
                b.bucket(location.bucket()).key(location.key());
                if (start > 0) {
                    b.range("bytes=" + start + "-");
                }
            });
        }
        catch (SdkException e) {
            if (S3Errors.hasStatus(e, S3Errors.RANGE_NOT_SATISFIABLE)) {
                return false;
            }
            throw S3Errors.translate("read", location, e);
        }
        responsePosition = start;
        length = objectLength(response.response(), start);
        return true;
    }

    /** The object's length: after the {@code /} of {@code Content-Range: bytes a-b/length}, or the content length of a whole-object response. */
    private static long objectLength(GetObjectResponse response, long start)
    {
        String range = response.contentRange();
        if (range != null) {
            int slash = range.lastIndexOf('/');
            if (slash >= 0 && !range.endsWith("*")) {
                return Long.parseLong(range.substring(slash + 1).strip());
            }
        }
        return response.contentLength() == null ? -1 : start + response.contentLength();
    }

    private void closeResponse()
    {
        if (response == null) {
            return;
        }
        long remaining = length < 0 ? Long.MAX_VALUE : length - responsePosition;
        if (remaining > MAX_DRAIN) {
            abortResponse();
            return;
        }
        try {
            response.close();
        }
        catch (IOException | SdkException e) {
            // only the connection's reuse is lost
        }
        response = null;
    }

    private void abortResponse()
    {
        if (response == null) {
            return;
        }
        try {
            response.abort();
        }
        catch (SdkException e) {
            // the connection is being dropped anyway
        }
        try {
            response.close();
        }
        catch (IOException | SdkException e) {
            // already aborted
        }
        response = null;
    }

    @Override
    public int pread(long objectPosition, byte[] b, int off, int len)
            throws IOException
    {
        Objects.checkFromIndexSize(off, len, b.length);
        if (objectPosition < 0) {
            throw new EOFException("Cannot read at negative position " + objectPosition + " in " + S3Errors.describe(location));
        }
        if (len == 0) {
            return 0;
        }
        ResponseInputStream<GetObjectResponse> ranged;
        try {
            ranged = client.getObject(g -> g.bucket(location.bucket()).key(location.key())
                    .range("bytes=" + objectPosition + "-" + (objectPosition + len - 1)));
        }
        catch (SdkException e) {
            if (S3Errors.hasStatus(e, S3Errors.RANGE_NOT_SATISFIABLE)) {
                return -1;
            }
            throw S3Errors.translate("read", location, e);
        }
        try (InputStream in = ranged) {
            // the response holds exactly the range, so reading it to the end also frees the connection
            int total = in.readNBytes(b, off, len);
            return total == 0 ? -1 : total;
        }
        catch (SdkException e) {
            throw S3Errors.translate("read", location, e);
        }
    }

    private void checkOpen()
            throws IOException
    {
        if (closed) {
            throw new IOException("Stream from " + S3Errors.describe(location) + " is closed");
        }
    }

    @Override
    public void close()
    {
        if (closed) {
            return;
        }
        closed = true;
        closeResponse();
        buffer = null;
    }
}
