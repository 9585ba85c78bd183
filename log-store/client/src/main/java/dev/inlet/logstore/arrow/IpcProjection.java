/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.arrow;

import com.google.flatbuffers.FlatBufferBuilder;
import org.apache.arrow.flatbuf.BodyCompression;
import org.apache.arrow.flatbuf.Buffer;
import org.apache.arrow.flatbuf.FieldNode;
import org.apache.arrow.flatbuf.KeyValue;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.compression.NoCompressionCodec;
import org.apache.arrow.vector.ipc.message.ArrowBodyCompression;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Prunes the columns of an encapsulated Arrow IPC record batch message without decoding its rows:
 * the message metadata is rewritten to list only the selected fields' nodes and buffers, and only
 * those buffers' bytes are copied, into a compacted body.
 *
 * <p>The message's schema is not in the message; it is given here (the table's schema). Fields
 * must be flat: a field's nodes and buffers are found by position, and for flat types the position
 * follows from the types alone (one node per field; validity and data buffers for fixed-width
 * types, validity, offsets and data for variable-width ones). Nested and dictionary-encoded fields
 * are refused when the projection is made.
 *
 * <p>A compressed body is projected as it is: Arrow compresses each buffer on its own, so the
 * selected buffers are copied still compressed and the message keeps its compression field.
 *
 * <p>{@link #load} skips the projected message altogether: it loads the selected buffers into
 * Arrow vectors in place, which is what a server sending them on needs.
 *
 * <p>The selection may be in any order; the projected message lists the fields in selection order.
 * A field may be selected once. Selecting no field gives a message with the row count alone.
 *
 * <p>Instances are immutable and thread-safe; {@link #of} shares them per schema and selection.
 */
public final class IpcProjection
{
    private static final int CACHE_SIZE = 256;

    private static final Map<CacheKey, IpcProjection> CACHE = new LinkedHashMap<>(16, 0.75f, true)
    {
        @Override
        protected boolean removeEldestEntry(Map.Entry<CacheKey, IpcProjection> eldest)
        {
            return size() > CACHE_SIZE;
        }
    };

    private final Schema fullSchema;
    private final int[] selectedFieldIndexes;
    private final Schema projectedSchema;
    private final int fullBufferCount;
    // per field of the full schema: where its buffers start, and how many it has
    private final int[] firstBuffer;
    private final int[] bufferCounts;

    /**
     * @param fullSchema the schema of the messages to project
     * @param selectedFieldIndexes positions in {@code fullSchema} of the fields to keep, in the order
     *     the projected message lists them
     * @throws IllegalArgumentException if the schema has a nested or dictionary-encoded field, or an
     *     index is out of range or repeated
     */
    public IpcProjection(Schema fullSchema, int... selectedFieldIndexes)
    {
        this.fullSchema = requireNonNull(fullSchema, "fullSchema is null");
        requireNonNull(selectedFieldIndexes, "selectedFieldIndexes is null");
        this.selectedFieldIndexes = selectedFieldIndexes.clone();
        List<Field> fields = fullSchema.getFields();
        firstBuffer = new int[fields.size()];
        bufferCounts = new int[fields.size()];
        int buffers = 0;
        for (int i = 0; i < fields.size(); i++) {
            firstBuffer[i] = buffers;
            bufferCounts[i] = bufferCount(fields.get(i));
            buffers += bufferCounts[i];
        }
        fullBufferCount = buffers;

        boolean[] selected = new boolean[fields.size()];
        List<Field> projectedFields = new ArrayList<>(selectedFieldIndexes.length);
        for (int index : this.selectedFieldIndexes) {
            if (index < 0 || index >= fields.size()) {
                throw new IllegalArgumentException("Field index %d is out of range: the schema has %d fields".formatted(index, fields.size()));
            }
            if (selected[index]) {
                throw new IllegalArgumentException("Field index %d ('%s') is selected twice".formatted(index, fields.get(index).getName()));
            }
            selected[index] = true;
            projectedFields.add(fields.get(index));
        }
        projectedSchema = new Schema(projectedFields, fullSchema.getCustomMetadata());
    }

    /**
     * The projection for this schema and selection, shared with earlier calls while it is among the
     * most recently used.
     */
    public static IpcProjection of(Schema fullSchema, int... selectedFieldIndexes)
    {
        requireNonNull(fullSchema, "fullSchema is null");
        requireNonNull(selectedFieldIndexes, "selectedFieldIndexes is null");
        CacheKey key = new CacheKey(fullSchema, List.of(Arrays.stream(selectedFieldIndexes).boxed().toArray(Integer[]::new)));
        synchronized (CACHE) {
            IpcProjection cached = CACHE.get(key);
            if (cached != null) {
                return cached;
            }
        }
        // built outside the lock: construction checks the schema, and two threads building the same
        // projection at once only waste a little work
        IpcProjection projection = new IpcProjection(fullSchema, selectedFieldIndexes);
        synchronized (CACHE) {
            return CACHE.computeIfAbsent(key, _ -> projection);
        }
    }

    /**
     * The number of buffers a flat field has in an IPC record batch (Arrow's columnar format,
     * "Buffer Layouts"): validity plus data for fixed-width types (Bool is bit-packed data, Decimal
     * is 16 or 32 bytes a value), validity plus offsets plus data for variable-width binary and
     * string types.
     *
     * @throws IllegalArgumentException for nested, dictionary-encoded and other unsupported fields
     */
    static int bufferCount(Field field)
    {
        requireNonNull(field, "field is null");
        ArrowType type = field.getType();
        if (field.getDictionary() != null) {
            throw new IllegalArgumentException("Field '%s' is dictionary-encoded; IpcProjection supports plain flat fields only".formatted(field.getName()));
        }
        int count = switch (type.getTypeID()) {
            case Bool, Int, FloatingPoint, Decimal, Date, Time, Timestamp, Interval, Duration, FixedSizeBinary -> 2;
            case Utf8, Binary, LargeUtf8, LargeBinary -> 3;
            case Struct, List, LargeList, FixedSizeList, ListView, LargeListView, Map, Union, RunEndEncoded ->
                    throw new IllegalArgumentException("Field '%s' has nested type %s; IpcProjection supports flat types only".formatted(field.getName(), type));
            default -> throw new IllegalArgumentException("Field '%s' has type %s, which IpcProjection does not support".formatted(field.getName(), type));
        };
        if (!field.getChildren().isEmpty()) {
            throw new IllegalArgumentException("Field '%s' of type %s has child fields; IpcProjection supports flat types only".formatted(field.getName(), type));
        }
        return count;
    }

    public Schema fullSchema()
    {
        return fullSchema;
    }

    public Schema projectedSchema()
    {
        return projectedSchema;
    }

    public int[] selectedFieldIndexes()
    {
        return selectedFieldIndexes.clone();
    }

    /**
     * Projects one message.
     *
     * @param encapsulatedRecordBatch exactly one message between position and limit; not modified
     * @return a new little-endian heap buffer holding exactly the projected message
     * @throws InvalidIpcMessageException if the message is invalid or does not have the full
     *     schema's field and buffer counts
     */
    public ByteBuffer project(ByteBuffer encapsulatedRecordBatch)
    {
        Plan plan = plan(encapsulatedRecordBatch);
        long size = plan.size();
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("The projected message of %d bytes does not fit a ByteBuffer; use project(ByteBuffer, WritableByteChannel)".formatted(size));
        }
        ByteBuffer out = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        out.put(plan.head());
        ByteBuffer source = plan.source().message();
        int bodyStart = out.position();
        for (int i = 0; i < plan.sourceOffsets().length; i++) {
            // gaps between buffers stay zero: the array starts zeroed
            out.put(bodyStart + Math.toIntExact(plan.targetOffsets()[i]), source, Math.toIntExact(plan.sourceOffsets()[i]), Math.toIntExact(plan.lengths()[i]));
        }
        return out.clear();
    }

    /**
     * Projects one message into a blocking channel: the new prefix and metadata, then slices of
     * the given buffer for the selected buffers (no copy on this side), with zero padding between
     * them.
     *
     * @param encapsulatedRecordBatch exactly one message between position and limit; not modified
     * @return the number of bytes written
     * @throws InvalidIpcMessageException if the message is invalid or does not have the full
     *     schema's field and buffer counts
     */
    public long project(ByteBuffer encapsulatedRecordBatch, WritableByteChannel out)
            throws IOException
    {
        requireNonNull(out, "out is null");
        Plan plan = plan(encapsulatedRecordBatch);
        ByteBuffer source = plan.source().message();
        long written = writeFully(out, plan.head());
        long bodyPosition = 0;
        for (int i = 0; i < plan.sourceOffsets().length; i++) {
            written += writeZeros(out, plan.targetOffsets()[i] - bodyPosition);
            int start = Math.toIntExact(plan.sourceOffsets()[i]);
            int length = Math.toIntExact(plan.lengths()[i]);
            written += writeFully(out, source.slice(start, length));
            bodyPosition = plan.targetOffsets()[i] + length;
        }
        written += writeZeros(out, plan.bodyLength() - bodyPosition);
        return written;
    }

    /** Same as {@link #load(ByteBuffer, BufferAllocator, CompressionCodec.Factory)} for uncompressed messages. */
    public VectorSchemaRoot load(ByteBuffer encapsulatedRecordBatch, BufferAllocator allocator)
    {
        return load(encapsulatedRecordBatch, allocator, NoCompressionCodec.Factory.INSTANCE);
    }

    /**
     * Loads the selected fields of one message into a new root of {@link #projectedSchema()},
     * without writing a projected message first: the vectors' buffers are taken from the message
     * as they are.
     *
     * <p>A direct buffer (including a memory-mapped file region) is used in place: no byte is
     * copied, only the pages of the selected buffers are ever touched, the returned vectors point
     * into it, and it must stay unchanged until the root is closed (treat the vectors as
     * read-only). From a heap buffer only the selected buffers are copied, into one Arrow buffer of
     * the allocator. A compressed message has each selected buffer decompressed by a codec from
     * {@code codecs}.
     *
     * @param encapsulatedRecordBatch exactly one message between position and limit; not modified
     * @return a root the caller must close
     * @throws InvalidIpcMessageException if the message is invalid or does not have the full
     *     schema's field and buffer counts
     */
    public VectorSchemaRoot load(ByteBuffer encapsulatedRecordBatch, BufferAllocator allocator, CompressionCodec.Factory codecs)
    {
        requireNonNull(codecs, "codecs is null");
        try (ArrowRecordBatch batch = recordBatch(encapsulatedRecordBatch, allocator)) {
            VectorSchemaRoot root = VectorSchemaRoot.create(projectedSchema, allocator);
            try {
                new VectorLoader(root, codecs).load(batch);
            }
            catch (RuntimeException e) {
                root.close();
                throw e;
            }
            return root;
        }
    }

    /**
     * The selected fields of one message as a record batch of {@link #projectedSchema()}, ready for
     * a {@link VectorLoader}: field nodes (with the null counts the message states) and buffers
     * taken from the message as {@link #load} describes, in place for a direct buffer. Loading it
     * into a root that is already there (a Flight stream's) skips making vectors for it first.
     *
     * @param encapsulatedRecordBatch exactly one message between position and limit; not modified
     * @return a batch the caller must close; its buffers stay valid while it or a vector loaded
     *     from it holds them
     * @throws InvalidIpcMessageException if the message is invalid or does not have the full
     *     schema's field and buffer counts
     */
    public ArrowRecordBatch recordBatch(ByteBuffer encapsulatedRecordBatch, BufferAllocator allocator)
    {
        requireNonNull(allocator, "allocator is null");
        RecordBatchMessage message = checkedParse(encapsulatedRecordBatch);
        if (message.rowCount() > Integer.MAX_VALUE) {
            throw RecordBatchMessage.invalid("the message has %d rows; Arrow Java loads at most %d", message.rowCount(), Integer.MAX_VALUE);
        }
        List<ArrowFieldNode> nodes = new ArrayList<>(selectedFieldIndexes.length);
        int selectedBuffers = 0;
        for (int field : selectedFieldIndexes) {
            nodes.add(new ArrowFieldNode(message.nodeLength(field), message.nodeNullCount(field)));
            selectedBuffers += bufferCounts[field];
        }
        ByteBuffer source = message.message();
        int bodyStart = message.bodyStart();
        ArrowBuf backing;
        long[] positions = new long[selectedBuffers];
        long[] lengths = new long[selectedBuffers];
        if (source.isDirect()) {
            // the whole message, in place; the selected buffers are slices of it
            backing = ArrowIpc.wrap(source, allocator);
            int next = 0;
            for (int field : selectedFieldIndexes) {
                for (int b = firstBuffer[field]; b < firstBuffer[field] + bufferCounts[field]; b++) {
                    positions[next] = bodyStart + message.bufferOffset(b);
                    lengths[next] = message.bufferLength(b);
                    next++;
                }
            }
        }
        else {
            long size = 0;
            int next = 0;
            for (int field : selectedFieldIndexes) {
                for (int b = firstBuffer[field]; b < firstBuffer[field] + bufferCounts[field]; b++) {
                    positions[next] = size;
                    lengths[next] = message.bufferLength(b);
                    size += RecordBatchMessage.align(lengths[next]);
                    next++;
                }
            }
            backing = allocator.buffer(size);
            try {
                next = 0;
                for (int field : selectedFieldIndexes) {
                    for (int b = firstBuffer[field]; b < firstBuffer[field] + bufferCounts[field]; b++) {
                        backing.setBytes(positions[next], source, Math.toIntExact(bodyStart + message.bufferOffset(b)), Math.toIntExact(lengths[next]));
                        next++;
                    }
                }
            }
            catch (RuntimeException e) {
                backing.close();
                throw e;
            }
        }
        try (backing) {
            List<ArrowBuf> buffers = new ArrayList<>(selectedBuffers);
            for (int i = 0; i < selectedBuffers; i++) {
                buffers.add(backing.slice(positions[i], lengths[i]));
            }
            ArrowBodyCompression compression = message.compressed()
                    ? new ArrowBodyCompression(message.compressionCodec(), message.compressionMethod())
                    : NoCompressionCodec.DEFAULT_BODY_COMPRESSION;
            // retains the slices, which share the backing buffer's reference count: once the
            // backing buffer is closed here, the batch (and the vectors it is loaded into) own it
            return new ArrowRecordBatch((int) message.rowCount(), nodes, buffers, compression, true, true);
        }
    }

    private RecordBatchMessage checkedParse(ByteBuffer encapsulatedRecordBatch)
    {
        RecordBatchMessage message = RecordBatchMessage.parse(encapsulatedRecordBatch);
        int fields = fullSchema.getFields().size();
        if (message.nodeCount() != fields) {
            throw RecordBatchMessage.invalid("the message has %d field nodes, but the schema has %d fields", message.nodeCount(), fields);
        }
        if (message.bufferCount() != fullBufferCount) {
            throw RecordBatchMessage.invalid("the message has %d buffers, but the schema's fields have %d", message.bufferCount(), fullBufferCount);
        }
        return message;
    }

    private Plan plan(ByteBuffer encapsulatedRecordBatch)
    {
        RecordBatchMessage message = checkedParse(encapsulatedRecordBatch);

        int selectedBuffers = 0;
        for (int field : selectedFieldIndexes) {
            selectedBuffers += bufferCounts[field];
        }
        long[] sourceOffsets = new long[selectedBuffers];
        long[] targetOffsets = new long[selectedBuffers];
        long[] lengths = new long[selectedBuffers];
        int bodyStart = message.bodyStart();
        long bodyLength = 0;
        int next = 0;
        for (int field : selectedFieldIndexes) {
            for (int b = firstBuffer[field]; b < firstBuffer[field] + bufferCounts[field]; b++) {
                sourceOffsets[next] = bodyStart + message.bufferOffset(b);
                targetOffsets[next] = bodyLength;
                lengths[next] = message.bufferLength(b);
                // every buffer starts 8-aligned in the new body, as Arrow's writers lay them out
                bodyLength += RecordBatchMessage.align(lengths[next]);
                next++;
            }
        }
        ByteBuffer head = head(message, targetOffsets, lengths, bodyLength);
        return new Plan(message, head, sourceOffsets, targetOffsets, lengths, bodyLength);
    }

    /** The prefix and the new metadata, padded so that the body starts 8-aligned. */
    private ByteBuffer head(RecordBatchMessage message, long[] targetOffsets, long[] lengths, long bodyLength)
    {
        FlatBufferBuilder builder = new FlatBufferBuilder(128 + 32 * (selectedFieldIndexes.length + lengths.length));

        // Tables and vectors referenced by a table must be built before it starts.
        int customMetadata = 0;
        if (message.customMetadataCount() > 0) {
            int[] entries = new int[message.customMetadataCount()];
            for (int i = 0; i < entries.length; i++) {
                String key = message.customMetadataKey(i);
                String value = message.customMetadataValue(i);
                int keyOffset = key == null ? 0 : builder.createString(key);
                int valueOffset = value == null ? 0 : builder.createString(value);
                KeyValue.startKeyValue(builder);
                if (key != null) {
                    KeyValue.addKey(builder, keyOffset);
                }
                if (value != null) {
                    KeyValue.addValue(builder, valueOffset);
                }
                entries[i] = KeyValue.endKeyValue(builder);
            }
            customMetadata = Message.createCustomMetadataVector(builder, entries);
        }

        // Vectors of structs are written back to front.
        RecordBatch.startNodesVector(builder, selectedFieldIndexes.length);
        for (int i = selectedFieldIndexes.length - 1; i >= 0; i--) {
            int node = selectedFieldIndexes[i];
            FieldNode.createFieldNode(builder, message.nodeLength(node), message.nodeNullCount(node));
        }
        int nodes = builder.endVector();
        RecordBatch.startBuffersVector(builder, lengths.length);
        for (int i = lengths.length - 1; i >= 0; i--) {
            Buffer.createBuffer(builder, targetOffsets[i], lengths[i]);
        }
        int buffers = builder.endVector();
        int compression = 0;
        if (message.compressed()) {
            compression = BodyCompression.createBodyCompression(builder, message.compressionCodec(), message.compressionMethod());
        }

        RecordBatch.startRecordBatch(builder);
        RecordBatch.addLength(builder, message.rowCount());
        RecordBatch.addNodes(builder, nodes);
        RecordBatch.addBuffers(builder, buffers);
        if (message.compressed()) {
            RecordBatch.addCompression(builder, compression);
        }
        int recordBatch = RecordBatch.endRecordBatch(builder);

        Message.startMessage(builder);
        Message.addVersion(builder, message.version());
        Message.addHeaderType(builder, MessageHeader.RecordBatch);
        Message.addHeader(builder, recordBatch);
        Message.addBodyLength(builder, bodyLength);
        if (customMetadata != 0) {
            Message.addCustomMetadata(builder, customMetadata);
        }
        Message.finishMessageBuffer(builder, Message.endMessage(builder));

        ByteBuffer flatbuffer = builder.dataBuffer();
        int metadataLength = (int) RecordBatchMessage.align(flatbuffer.remaining());
        ByteBuffer head = ByteBuffer.allocate(RecordBatchMessage.PREFIX_LENGTH + metadataLength).order(ByteOrder.LITTLE_ENDIAN);
        head.putInt(RecordBatchMessage.CONTINUATION_MARKER);
        head.putInt(metadataLength);
        head.put(flatbuffer);
        return head.clear();
    }

    private static long writeFully(WritableByteChannel out, ByteBuffer bytes)
            throws IOException
    {
        long written = 0;
        while (bytes.hasRemaining()) {
            written += out.write(bytes);
        }
        return written;
    }

    private static long writeZeros(WritableByteChannel out, long count)
            throws IOException
    {
        // at most 7 bytes: padding to the next 8-byte boundary
        return count == 0 ? 0 : writeFully(out, ByteBuffer.allocate(Math.toIntExact(count)));
    }

    private record Plan(RecordBatchMessage source, ByteBuffer head, long[] sourceOffsets, long[] targetOffsets, long[] lengths, long bodyLength)
    {
        long size()
        {
            return head.remaining() + bodyLength;
        }
    }

    private record CacheKey(Schema schema, List<Integer> selection) {}
}
