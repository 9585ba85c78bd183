/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.arrow;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.ForeignAllocation;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TypeLayout;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.compression.NoCompressionCodec;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.ArrowBuffer;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Converts between a {@link VectorSchemaRoot} and the form the hot store keeps a batch's payload
 * in: one encapsulated Arrow IPC message of type RecordBatch, as
 * {@link MessageSerializer#serialize(WriteChannel, ArrowRecordBatch)} writes it (continuation
 * marker {@code 0xFFFFFFFF}, int32 metadata length, flatbuffer {@code Message} padded to 8 bytes,
 * then the body), with no schema message: the schema is the table's.
 */
public final class ArrowIpc
{
    private ArrowIpc() {}

    /** The root's rows as an uncompressed encapsulated record batch message. */
    public static ByteBuffer serialize(VectorSchemaRoot root)
    {
        return serialize(root, NoCompressionCodec.INSTANCE);
    }

    /**
     * The root's rows as an encapsulated record batch message, each buffer compressed with the
     * codec (for example arrow-compression's LZ4_FRAME or ZSTD codecs).
     *
     * @return a little-endian heap buffer holding exactly the message
     */
    public static ByteBuffer serialize(VectorSchemaRoot root, CompressionCodec codec)
    {
        requireNonNull(root, "root is null");
        requireNonNull(codec, "codec is null");
        long estimate = 512;
        for (FieldVector vector : root.getFieldVectors()) {
            estimate += vector.getBufferSize() + 64;
        }
        ExposedByteArrayOutputStream bytes = new ExposedByteArrayOutputStream((int) Math.min(estimate, Integer.MAX_VALUE - 16));
        try (ArrowRecordBatch batch = new VectorUnloader(root, true, codec, true).getRecordBatch()) {
            MessageSerializer.serialize(new WriteChannel(Channels.newChannel(bytes)), batch);
        }
        catch (IOException e) {
            // only the in-memory stream is written to
            throw new UncheckedIOException(e);
        }
        return bytes.toByteBuffer();
    }

    /**
     * The root's rows as an uncompressed encapsulated record batch message, the same bytes as
     * {@link #serialize(VectorSchemaRoot)} writes, but not copied into one buffer: the parts are
     * the prefix and metadata, then views of the vectors' buffers. For writing a batch received
     * over Flight to a file with one gathering write.
     *
     * @return parts the caller must close once they are written; the root may be closed or
     *     reloaded before that (the vectors' buffers stay referenced)
     */
    public static GatheredMessage gather(VectorSchemaRoot root)
    {
        requireNonNull(root, "root is null");
        ArrowRecordBatch batch = new VectorUnloader(root, true, NoCompressionCodec.INSTANCE, true).getRecordBatch();
        try {
            ByteBuffer metadata = MessageSerializer.serializeMetadata(batch, IpcOption.DEFAULT);
            int metadataLength = (int) RecordBatchMessage.align(metadata.remaining());
            ByteBuffer head = ByteBuffer.allocate(RecordBatchMessage.PREFIX_LENGTH + metadataLength).order(ByteOrder.LITTLE_ENDIAN);
            head.putInt(RecordBatchMessage.CONTINUATION_MARKER);
            head.putInt(metadataLength);
            head.put(metadata.duplicate());
            head.clear(); // the padding after the flatbuffer stays zero

            List<ArrowBuf> buffers = batch.getBuffers();
            List<ArrowBuffer> layout = batch.getBuffersLayout();
            List<ByteBuffer> parts = new ArrayList<>(2 * buffers.size() + 2);
            parts.add(head);
            long position = 0;
            for (int i = 0; i < buffers.size(); i++) {
                ArrowBuffer place = layout.get(i);
                if (place.getOffset() > position) {
                    parts.add(zeros(place.getOffset() - position));
                }
                if (place.getSize() > 0) {
                    ArrowBuf buffer = buffers.get(i);
                    parts.add(buffer.nioBuffer(buffer.readerIndex(), Math.toIntExact(place.getSize())));
                }
                position = place.getOffset() + place.getSize();
            }
            long bodyLength = batch.computeBodyLength();
            if (bodyLength > position) {
                parts.add(zeros(bodyLength - position));
            }
            return new GatheredMessage(batch, parts.toArray(ByteBuffer[]::new), head.remaining() + bodyLength);
        }
        catch (RuntimeException e) {
            batch.close();
            throw e;
        }
    }

    private static final ByteBuffer ZEROS = ByteBuffer.allocate(RecordBatchMessage.ALIGNMENT).asReadOnlyBuffer();

    private static ByteBuffer zeros(long count)
    {
        // padding between 8-aligned buffers: at most 7 bytes
        return ZEROS.slice(0, Math.toIntExact(count));
    }

    /** The row count of a message, read from its metadata. */
    public static long rowCount(ByteBuffer encapsulatedRecordBatch)
    {
        return RecordBatchMessage.parse(encapsulatedRecordBatch).rowCount();
    }

    /** Same as {@link #load(Schema, ByteBuffer, BufferAllocator, CompressionCodec.Factory)} for uncompressed messages. */
    public static VectorSchemaRoot load(Schema schema, ByteBuffer encapsulatedRecordBatch, BufferAllocator allocator)
    {
        return load(schema, encapsulatedRecordBatch, allocator, NoCompressionCodec.Factory.INSTANCE);
    }

    /**
     * Loads a message into a new root of the given schema, without per-row work: the vectors'
     * buffers are slices of one Arrow buffer holding the message.
     *
     * <p>A direct buffer (including a memory-mapped file region) is used in place: no byte is
     * copied, the returned vectors point into it, and it must stay unchanged until the root is
     * closed. Treat the vectors as read-only then: writing to them writes into the buffer. A heap
     * buffer is copied once, whole, into memory of the allocator. A compressed message has each
     * buffer decompressed by a codec from {@code codecs}.
     *
     * @param schema the schema the message was written with (for a projected message,
     *     {@link IpcProjection#projectedSchema()})
     * @param encapsulatedRecordBatch exactly one message between position and limit
     * @return a root the caller must close
     * @throws InvalidIpcMessageException if the message is invalid or its field count is not the
     *     schema's
     */
    public static VectorSchemaRoot load(Schema schema, ByteBuffer encapsulatedRecordBatch, BufferAllocator allocator, CompressionCodec.Factory codecs)
    {
        requireNonNull(schema, "schema is null");
        requireNonNull(allocator, "allocator is null");
        requireNonNull(codecs, "codecs is null");
        RecordBatchMessage message = RecordBatchMessage.parse(encapsulatedRecordBatch);
        int nodes = countNodes(schema.getFields());
        if (message.nodeCount() != nodes) {
            throw RecordBatchMessage.invalid("the message has %d field nodes, but the schema has %d", message.nodeCount(), nodes);
        }
        int buffers = countBuffers(schema.getFields());
        if (message.bufferCount() != buffers) {
            throw RecordBatchMessage.invalid("the message has %d buffers, but the schema's fields have %d", message.bufferCount(), buffers);
        }
        if (message.rowCount() > Integer.MAX_VALUE) {
            throw RecordBatchMessage.invalid("the message has %d rows; Arrow Java loads at most %d", message.rowCount(), Integer.MAX_VALUE);
        }

        ArrowBuf whole = toArrowBuf(message.message(), allocator);
        ArrowRecordBatch batch;
        try {
            // Takes over the reference to `whole`: the batch's buffers are retained slices of it.
            batch = MessageSerializer.deserializeRecordBatch(message.recordBatch(), whole.slice(message.bodyStart(), message.bodyLength()));
        }
        catch (IOException | RuntimeException e) {
            whole.close();
            throw new InvalidIpcMessageException("Invalid Arrow IPC record batch message: " + e.getMessage(), e);
        }
        VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
        try (batch) {
            new VectorLoader(root, codecs).load(batch);
        }
        catch (RuntimeException e) {
            root.close();
            throw e;
        }
        return root;
    }

    private static int countNodes(List<Field> fields)
    {
        int count = 0;
        for (Field field : fields) {
            count += 1 + countNodes(field.getChildren());
        }
        return count;
    }

    private static int countBuffers(List<Field> fields)
    {
        int count = 0;
        for (Field field : fields) {
            count += TypeLayout.getTypeBufferCount(field.getType()) + countBuffers(field.getChildren());
        }
        return count;
    }

    /**
     * An Arrow buffer over a direct buffer's bytes between position and limit, without copying;
     * the ByteBuffer stays reachable (so a mapping stays mapped) until the Arrow buffer is released.
     */
    static ArrowBuf wrap(ByteBuffer direct, BufferAllocator allocator)
    {
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("not a direct buffer");
        }
        return allocator.wrapForeignAllocation(new ByteBufferAllocation(direct));
    }

    private static ArrowBuf toArrowBuf(ByteBuffer message, BufferAllocator allocator)
    {
        int size = message.remaining();
        if (message.isDirect()) {
            return wrap(message, allocator);
        }
        ArrowBuf copy = allocator.buffer(size);
        try {
            copy.setBytes(0, message, 0, size);
        }
        catch (RuntimeException e) {
            copy.close();
            throw e;
        }
        return copy;
    }

    /** Direct memory owned by a ByteBuffer, kept reachable until Arrow releases it. */
    private static final class ByteBufferAllocation
            extends ForeignAllocation
    {
        private ByteBuffer owner;

        ByteBufferAllocation(ByteBuffer owner)
        {
            super(owner.remaining(), MemoryUtil.getByteBufferAddress(owner) + owner.position());
            this.owner = owner;
        }

        @Override
        protected void release0()
        {
            // The memory belongs to the ByteBuffer (freed by its cleaner once unreachable): drop
            // the reference only.
            owner = null;
        }
    }

    private static final class ExposedByteArrayOutputStream
            extends ByteArrayOutputStream
    {
        ExposedByteArrayOutputStream(int size)
        {
            super(size);
        }

        ByteBuffer toByteBuffer()
        {
            // wraps the written bytes without the copy toByteArray() would make
            return ByteBuffer.wrap(buf, 0, count).slice().order(ByteOrder.LITTLE_ENDIAN);
        }
    }
}
