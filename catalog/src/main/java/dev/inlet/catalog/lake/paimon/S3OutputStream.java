/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.lake.paimon;

import org.apache.paimon.fs.PositionOutputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import static java.util.Objects.requireNonNull;

/**
 * Writes one S3 object. Nothing is visible until {@link #close()} succeeds; then the whole content
 * is, at once.
 *
 * <p>Bytes collect in memory. An object of at most {@link #PART_SIZE} bytes is sent with one
 * {@code PutObject} when the stream closes; once more than that has been written, the stream
 * switches to a multipart upload and sends each full {@link #PART_SIZE} buffer as a part, so memory
 * stays bounded by one part whatever the object's size. Memory rather than a spool file because
 * Paimon's files are mostly small (manifests, snapshots, indexes) and its data files roll at a
 * target size, and because uploading parts while writing means {@code close()} only sends the last
 * part instead of the whole file, and needs no local disk.
 *
 * <p>Without overwrite, the final {@code PutObject} or {@code CompleteMultipartUpload} carries
 * {@code If-None-Match: *}: S3 creates the object only if the key is still free, and otherwise
 * {@code close()} throws {@link java.nio.file.FileAlreadyExistsException} and the existing object is
 * unchanged. There is no check when the stream opens; the conditional write is the check, and it
 * also covers a writer that got there in between.
 *
 * <p>{@link #flush()} does nothing: S3 cannot show part of an object. Not thread-safe.
 */
final class S3OutputStream
        extends PositionOutputStream
{
    /** The largest object sent in one request, and the size of every part but the last (S3's minimum is 5 MiB). */
    static final int PART_SIZE = 8 * 1024 * 1024;
    private static final int INITIAL_BUFFER_SIZE = 64 * 1024;
    private static final int MAX_PARTS = 10_000;

    private final S3Client client;
    private final S3Location location;
    private final boolean overwrite;

    private byte[] buffer = new byte[INITIAL_BUFFER_SIZE];
    private int buffered;
    private long position;
    private String uploadId;
    private final List<CompletedPart> parts = new ArrayList<>();
    private boolean closed;
    /** Why an upload failed, so that a later {@link #close()} does not look like success. */
    private IOException failure;

    S3OutputStream(S3Client client, S3Location location, boolean overwrite)
    {
        this.client = requireNonNull(client, "client is null");
        this.location = requireNonNull(location, "location is null");
        this.overwrite = overwrite;
    }

    @Override
    public long getPos()
    {
        return position;
    }

    @Override
    public void write(int b)
            throws IOException
    {
        ensureRoom();
        buffer[buffered++] = (byte) b;
        position++;
    }

    @Override
    public void write(byte[] b)
            throws IOException
    {
        write(b, 0, b.length);
    }

    @Override
    public void write(byte[] b, int off, int len)
            throws IOException
    {
        Objects.checkFromIndexSize(off, len, b.length);
        while (len > 0) {
            ensureRoom();
            int n = Math.min(len, buffer.length - buffered);
            System.arraycopy(b, off, buffer, buffered, n);
            buffered += n;
            position += n;
            off += n;
            len -= n;
        }
    }

    /**
     * Makes room for at least one more byte: grows the buffer up to {@link #PART_SIZE}, and when it
     * is full uploads it as a part. A full buffer is sent only when more bytes follow, so an object
     * of exactly {@link #PART_SIZE} bytes still goes in one {@code PutObject}.
     */
    private void ensureRoom()
            throws IOException
    {
        if (failure != null) {
            throw new IOException("An earlier upload to " + S3Errors.describe(location) + " failed", failure);
        }
        if (closed) {
            throw new IOException("Stream to " + S3Errors.describe(location) + " is closed");
        }
        if (buffered < buffer.length) {
            return;
        }
        if (buffer.length < PART_SIZE) {
            buffer = Arrays.copyOf(buffer, Math.min(PART_SIZE, buffer.length * 2));
            return;
        }
        uploadPart();
    }

    private void uploadPart()
            throws IOException
    {
        if (parts.size() == MAX_PARTS) {
            throw fail(new IOException("Cannot write more than " + ((long) MAX_PARTS * PART_SIZE) + " bytes to " + S3Errors.describe(location)));
        }
        try {
            if (uploadId == null) {
                uploadId = client.createMultipartUpload(b -> b.bucket(location.bucket()).key(location.key())).uploadId();
            }
            int partNumber = parts.size() + 1;
            UploadPartResponse response = client.uploadPart(
                    b -> b.bucket(location.bucket()).key(location.key()).uploadId(uploadId).partNumber(partNumber).contentLength((long) buffered),
                    body());
            parts.add(CompletedPart.builder()
                    .partNumber(partNumber)
                    .eTag(response.eTag())
                    // the SDK checksums each part; S3 wants those checksums back when it completes the upload
                    .checksumCRC32(response.checksumCRC32())
                    .checksumCRC32C(response.checksumCRC32C())
                    .checksumCRC64NVME(response.checksumCRC64NVME())
                    .checksumSHA1(response.checksumSHA1())
                    .checksumSHA256(response.checksumSHA256())
                    .build());
            buffered = 0;
        }
        catch (SdkException e) {
            throw fail(S3Errors.translate("upload part " + (parts.size() + 1) + " of", location, e));
        }
    }

    /**
     * The buffered bytes as a request body, without the copy {@code RequestBody.fromBytes} makes.
     * Each retry of the request opens a fresh stream over the same bytes.
     */
    private RequestBody body()
    {
        byte[] bytes = buffer;
        int length = buffered;
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length, "application/octet-stream");
    }

    /** Does nothing: S3 has no way to make part of an object visible before it is complete. */
    @Override
    public void flush() {}

    @Override
    public void close()
            throws IOException
    {
        if (closed) {
            return;
        }
        closed = true;
        if (failure != null) {
            throw new IOException("Nothing was written to " + S3Errors.describe(location) + ": an earlier upload failed", failure);
        }
        try {
            if (uploadId == null) {
                putObject();
            }
            else {
                completeUpload();
            }
        }
        finally {
            buffer = null;
        }
    }

    private void putObject()
            throws IOException
    {
        try {
            client.putObject(
                    b -> {
                        b.bucket(location.bucket()).key(location.key()).contentLength((long) buffered);
                        if (!overwrite) {
                            b.ifNoneMatch("*");
                        }
                    },
                    body());
        }
        catch (SdkException e) {
            throw S3Errors.translate(overwrite ? "write" : "create", location, e);
        }
    }

    private void completeUpload()
            throws IOException
    {
        if (buffered > 0) {
            uploadPart();
        }
        try {
            client.completeMultipartUpload(b -> {
                b.bucket(location.bucket()).key(location.key()).uploadId(uploadId).multipartUpload(u -> u.parts(parts));
                if (!overwrite) {
                    b.ifNoneMatch("*");
                }
            });
        }
        catch (SdkException e) {
            throw fail(S3Errors.translate(overwrite ? "write" : "create", location, e));
        }
    }

    /** Records the failure and abandons the multipart upload, if any; returns the failure to throw. */
    private IOException fail(IOException e)
    {
        failure = e;
        abortQuietly();
        return e;
    }

    private void abortQuietly()
    {
        if (uploadId == null) {
            return;
        }
        try {
            client.abortMultipartUpload(b -> b.bucket(location.bucket()).key(location.key()).uploadId(uploadId));
        }
        catch (SdkException e) {
            // the upload stays as an incomplete upload; a bucket lifecycle rule removes those
        }
    }
}
