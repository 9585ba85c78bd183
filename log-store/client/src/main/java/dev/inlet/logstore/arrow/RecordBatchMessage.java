/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.arrow;

import org.apache.arrow.flatbuf.BodyCompression;
import org.apache.arrow.flatbuf.BodyCompressionMethod;
import org.apache.arrow.flatbuf.Buffer;
import org.apache.arrow.flatbuf.FieldNode;
import org.apache.arrow.flatbuf.KeyValue;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.MetadataVersion;
import org.apache.arrow.flatbuf.RecordBatch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static java.util.Objects.requireNonNull;

/**
 * A parsed and checked view of one encapsulated Arrow IPC message of type RecordBatch:
 *
 * <pre>
 * int32  0xFFFFFFFF            continuation marker
 * int32  metadata length M     little-endian; includes the padding after the flatbuffer
 * byte[M]                      flatbuffer Message (header RecordBatch), zero-padded
 * byte[bodyLength]             the body: the buffers at the offsets the RecordBatch gives
 * </pre>
 *
 * <p>Every length and offset is checked against the bytes present before anything is read
 * through it, so a truncated or corrupt message fails here with a message saying what is wrong
 * rather than producing garbage further on. The flatbuffer itself cannot be verified (the Java
 * flatbuffers runtime has no verifier); reads that run outside it are reported as corrupt metadata.
 */
final class RecordBatchMessage
{
    static final int CONTINUATION_MARKER = 0xFFFFFFFF;
    static final int PREFIX_LENGTH = 8;
    static final int ALIGNMENT = 8;

    private static final String INVALID = "Invalid Arrow IPC record batch message: ";

    private final ByteBuffer message;
    private final int metadataLength;
    private final short version;
    private final long rowCount;
    private final long bodyLength;
    private final long[] nodeLengths;
    private final long[] nodeNullCounts;
    private final long[] bufferOffsets;
    private final long[] bufferLengths;
    private final boolean compressed;
    private final byte compressionCodec;
    private final byte compressionMethod;
    private final String[] customMetadataKeys;
    private final String[] customMetadataValues;
    private final RecordBatch recordBatch;

    /** Reads every field of the flatbuffer; any read outside the metadata throws. */
    private RecordBatchMessage(ByteBuffer message, int metadataLength, Message header, RecordBatch recordBatch)
    {
        this.message = message;
        this.metadataLength = metadataLength;
        this.recordBatch = recordBatch;
        this.version = header.version();
        this.rowCount = recordBatch.length();
        this.bodyLength = header.bodyLength();
        // Bound vector lengths by the metadata size before allocating for them: a corrupt length
        // must not turn into a huge allocation.
        int nodes = checkVectorLength("field node", recordBatch.nodesLength(), 16, metadataLength);
        nodeLengths = new long[nodes];
        nodeNullCounts = new long[nodes];
        FieldNode node = new FieldNode();
        for (int i = 0; i < nodes; i++) {
            recordBatch.nodes(node, i);
            nodeLengths[i] = node.length();
            nodeNullCounts[i] = node.nullCount();
        }
        int buffers = checkVectorLength("buffer", recordBatch.buffersLength(), 16, metadataLength);
        bufferOffsets = new long[buffers];
        bufferLengths = new long[buffers];
        Buffer buffer = new Buffer();
        for (int i = 0; i < buffers; i++) {
            recordBatch.buffers(buffer, i);
            bufferOffsets[i] = buffer.offset();
            bufferLengths[i] = buffer.length();
        }
        BodyCompression compression = recordBatch.compression();
        compressed = compression != null;
        compressionCodec = compressed ? compression.codec() : 0;
        compressionMethod = compressed ? compression.method() : 0;
        int entries = checkVectorLength("custom metadata", header.customMetadataLength(), 4, metadataLength);
        customMetadataKeys = new String[entries];
        customMetadataValues = new String[entries];
        KeyValue entry = new KeyValue();
        for (int i = 0; i < entries; i++) {
            header.customMetadata(entry, i);
            customMetadataKeys[i] = utf8(entry.keyAsByteBuffer());
            customMetadataValues[i] = utf8(entry.valueAsByteBuffer());
        }
        if (recordBatch.variadicBufferCountsLength() > 0) {
            throw invalid("the record batch has variadic buffer counts (view types), which are not supported");
        }
    }

    private static int checkVectorLength(String what, int length, int elementSize, int metadataLength)
    {
        if (length < 0 || (long) length * elementSize > metadataLength) {
            throw invalid("the metadata is corrupt: it claims %d %s entries in %d bytes", length, what, metadataLength);
        }
        return length;
    }

    // Decodes from a view bounded by the metadata (the flatbuffers runtime's own string decoding
    // would size its result by an unchecked length).
    private static String utf8(ByteBuffer bytes)
    {
        return bytes == null ? null : StandardCharsets.UTF_8.decode(bytes).toString();
    }

    /**
     * Parses the message between the buffer's position and limit, which must hold exactly one
     * message. The buffer's position, limit and byte order are left as they are.
     *
     * @throws InvalidIpcMessageException naming what is wrong with the message
     */
    static RecordBatchMessage parse(ByteBuffer buffer)
    {
        requireNonNull(buffer, "buffer is null");
        ByteBuffer message = buffer.slice().order(ByteOrder.LITTLE_ENDIAN);
        int size = message.remaining();
        if (size < PREFIX_LENGTH) {
            throw invalid("the message is truncated: %d bytes, but its prefix alone takes %d", size, PREFIX_LENGTH);
        }
        int marker = message.getInt(0);
        if (marker != CONTINUATION_MARKER) {
            throw invalid("expected the continuation marker 0xFFFFFFFF, got 0x%08X", marker);
        }
        int metadataLength = message.getInt(4);
        if (metadataLength <= 0) {
            throw invalid("the metadata length is %d", metadataLength);
        }
        if (metadataLength > size - PREFIX_LENGTH) {
            throw invalid("the metadata length %d exceeds the %d bytes after the prefix", metadataLength, size - PREFIX_LENGTH);
        }
        ByteBuffer metadata = message.slice(PREFIX_LENGTH, metadataLength).order(ByteOrder.LITTLE_ENDIAN);
        Message header;
        byte headerType;
        RecordBatch recordBatch;
        try {
            header = Message.getRootAsMessage(metadata);
            headerType = header.headerType();
            recordBatch = headerType == MessageHeader.RecordBatch ? (RecordBatch) header.header(new RecordBatch()) : null;
        }
        catch (RuntimeException e) {
            throw corrupt(metadataLength, e);
        }
        if (headerType != MessageHeader.RecordBatch) {
            throw invalid("expected a RecordBatch message, got header type %s", headerTypeName(headerType));
        }
        if (recordBatch == null) {
            throw invalid("the RecordBatch header is missing");
        }
        RecordBatchMessage parsed;
        try {
            parsed = new RecordBatchMessage(message, metadataLength, header, recordBatch);
        }
        catch (InvalidIpcMessageException e) {
            throw e;
        }
        catch (RuntimeException e) {
            // IndexOutOfBoundsException from a read past the metadata; IllegalArgumentException
            // from a string view placed past it
            throw corrupt(metadataLength, e);
        }
        parsed.check(size);
        return parsed;
    }

    private static InvalidIpcMessageException corrupt(int metadataLength, RuntimeException cause)
    {
        return new InvalidIpcMessageException(INVALID + "the metadata is corrupt, it points outside its %d bytes".formatted(metadataLength), cause);
    }

    private void check(int size)
    {
        if (version < MetadataVersion.V4) {
            throw invalid("metadata version %s is not supported; Arrow 0.15 and newer write V4 or V5", metadataVersionName(version));
        }
        if (rowCount < 0) {
            throw invalid("the row count is %d", rowCount);
        }
        if (bodyLength < 0) {
            throw invalid("the body length is %d", bodyLength);
        }
        long available = (long) size - PREFIX_LENGTH - metadataLength;
        if (bodyLength > available) {
            throw invalid("the message is truncated: the body length is %d, but %d bytes follow the metadata", bodyLength, available);
        }
        if (bodyLength < available) {
            throw invalid("%d bytes follow the body of %d bytes; a message must be passed alone", available - bodyLength, bodyLength);
        }
        for (int i = 0; i < nodeLengths.length; i++) {
            if (nodeLengths[i] < 0 || nodeNullCounts[i] < 0 || nodeNullCounts[i] > nodeLengths[i]) {
                throw invalid("field node %d has length %d and null count %d", i, nodeLengths[i], nodeNullCounts[i]);
            }
        }
        for (int i = 0; i < bufferOffsets.length; i++) {
            long offset = bufferOffsets[i];
            long length = bufferLengths[i];
            if (offset < 0 || length < 0 || offset > bodyLength || length > bodyLength - offset) {
                throw invalid("buffer %d (offset %d, length %d) lies outside the body of %d bytes", i, offset, length, bodyLength);
            }
        }
        if (compressed && compressionMethod != BodyCompressionMethod.BUFFER) {
            throw invalid("body compression method %d is not supported; only BUFFER is", compressionMethod);
        }
    }

    static InvalidIpcMessageException invalid(String format, Object... args)
    {
        return new InvalidIpcMessageException(INVALID + format.formatted(args));
    }

    private static String headerTypeName(byte type)
    {
        return type >= 0 && type < MessageHeader.names.length ? MessageHeader.names[type] : Byte.toString(type);
    }

    private static String metadataVersionName(short version)
    {
        return version >= 0 && version < MetadataVersion.names.length ? MetadataVersion.names[version] : Short.toString(version);
    }

    /** The whole message, little-endian, position 0 at the continuation marker. */
    ByteBuffer message()
    {
        return message.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The metadata length as the prefix gives it (flatbuffer plus padding). */
    int metadataLength()
    {
        return metadataLength;
    }

    /** Where the body starts in {@link #message()}. */
    int bodyStart()
    {
        return PREFIX_LENGTH + metadataLength;
    }

    long bodyLength()
    {
        return bodyLength;
    }

    short version()
    {
        return version;
    }

    long rowCount()
    {
        return rowCount;
    }

    int nodeCount()
    {
        return nodeLengths.length;
    }

    long nodeLength(int node)
    {
        return nodeLengths[node];
    }

    long nodeNullCount(int node)
    {
        return nodeNullCounts[node];
    }

    int bufferCount()
    {
        return bufferOffsets.length;
    }

    long bufferOffset(int buffer)
    {
        return bufferOffsets[buffer];
    }

    long bufferLength(int buffer)
    {
        return bufferLengths[buffer];
    }

    boolean compressed()
    {
        return compressed;
    }

    byte compressionCodec()
    {
        return compressionCodec;
    }

    byte compressionMethod()
    {
        return compressionMethod;
    }

    int customMetadataCount()
    {
        return customMetadataKeys.length;
    }

    String customMetadataKey(int entry)
    {
        return customMetadataKeys[entry];
    }

    String customMetadataValue(int entry)
    {
        return customMetadataValues[entry];
    }

    /** The flatbuffer RecordBatch, read from the caller's buffer; valid while that buffer is unchanged. */
    RecordBatch recordBatch()
    {
        return recordBatch;
    }

    static long align(long length)
    {
        return (length + ALIGNMENT - 1) & -ALIGNMENT;
    }
}
