/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.arrow;

import dev.inlet.logstore.arrow.TestBatches.Parsed;
import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static dev.inlet.logstore.arrow.TestBatches.SCHEMA;
import static dev.inlet.logstore.arrow.TestBatches.assertSameValues;
import static dev.inlet.logstore.arrow.TestBatches.randomBatch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestArrowIpc
{
    private static final int[] ALL = IntStream.range(0, 20).toArray();

    private BufferAllocator allocator;

    @BeforeEach
    void setUp()
    {
        allocator = new RootAllocator();
    }

    @AfterEach
    void tearDown()
    {
        // fails the test if a load leaked Arrow memory
        allocator.close();
    }

    @Test
    void testRoundTrip()
    {
        for (int rows : new int[] {0, 1, 10_000}) {
            try (VectorSchemaRoot original = randomBatch(allocator, rows, rows)) {
                ByteBuffer message = ArrowIpc.serialize(original);
                assertThat(ArrowIpc.rowCount(message)).isEqualTo(rows);
                try (VectorSchemaRoot loaded = ArrowIpc.load(SCHEMA, message, allocator)) {
                    assertSameValues(original, ALL, loaded);
                }
            }
        }
    }

    @Test
    void testGatheredPartsAreTheSerializedBytes()
    {
        for (int rows : new int[] {0, 1, 7, 300, 5_000}) {
            ByteBuffer gathered;
            ByteBuffer expected;
            try (VectorSchemaRoot original = randomBatch(allocator, rows, 100 + rows)) {
                expected = ArrowIpc.serialize(original);
                try (GatheredMessage message = ArrowIpc.gather(original)) {
                    assertThat(message.size()).isEqualTo(expected.remaining());
                    assertThat(message.rowCount()).isEqualTo(rows);
                    // the root may go before the parts are written
                    original.close();
                    gathered = ByteBuffer.allocate(Math.toIntExact(message.size()));
                    for (ByteBuffer part : message.parts()) {
                        gathered.put(part);
                    }
                    // every call gives fresh views
                    assertThat(java.util.Arrays.stream(message.parts()).mapToLong(ByteBuffer::remaining).sum()).isEqualTo(message.size());
                }
            }
            assertThat(gathered.flip()).as("%d rows", rows).isEqualTo(expected);
        }
    }

    @Test
    void testGatheredMessageClosed()
    {
        try (VectorSchemaRoot original = randomBatch(allocator, 10, 1)) {
            GatheredMessage message = ArrowIpc.gather(original);
            message.close();
            message.close();
            assertThatThrownBy(message::parts).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void testSerializedAsArrowWritesIt()
            throws IOException
    {
        try (VectorSchemaRoot original = randomBatch(allocator, 300, 11)) {
            ByteBuffer message = ArrowIpc.serialize(original);
            Parsed parsed = Parsed.of(message);
            assertThat(message.getInt(0)).isEqualTo(0xFFFFFFFF);
            assertThat(message.remaining()).isEqualTo(8 + parsed.metadataLength() + parsed.bodyLength());
            assertThat(parsed.metadataLength() % 8).isZero();
            assertThat(parsed.recordBatch().compression()).isNull();
            // Arrow's own reader reads it back
            byte[] bytes = new byte[message.remaining()];
            message.duplicate().get(bytes);
            try (ArrowRecordBatch batch = MessageSerializer.deserializeRecordBatch(new ReadChannel(Channels.newChannel(new ByteArrayInputStream(bytes))), allocator)) {
                assertThat(batch.getLength()).isEqualTo(300);
                assertThat(batch.getNodes()).hasSize(20);
            }
        }
    }

    @Test
    void testDirectBufferLoadedInPlace()
    {
        try (VectorSchemaRoot original = randomBatch(allocator, 1_000, 8)) {
            ByteBuffer heap = ArrowIpc.serialize(original);
            ByteBuffer direct = ByteBuffer.allocateDirect(heap.remaining());
            direct.put(heap.duplicate()).flip();
            long start = MemoryUtil.getByteBufferAddress(direct);
            long end = start + direct.remaining();

            try (BufferAllocator child = allocator.newChildAllocator("load", 0, Long.MAX_VALUE);
                    VectorSchemaRoot loaded = ArrowIpc.load(SCHEMA, direct, child)) {
                assertSameValues(original, ALL, loaded);
                // no buffer was allocated: the message is accounted as it is, and every vector
                // buffer points into it
                assertThat(child.getAllocatedMemory()).isEqualTo(direct.remaining());
                for (FieldVector vector : loaded.getFieldVectors()) {
                    for (var buffer : vector.getFieldBuffers()) {
                        assertThat(buffer.memoryAddress()).as(vector.getName()).isBetween(start, end);
                    }
                }
            }
        }
    }

    @Test
    void testHeapBufferCopiedOnce()
    {
        try (VectorSchemaRoot original = randomBatch(allocator, 1_000, 9)) {
            ByteBuffer message = ArrowIpc.serialize(original);
            try (BufferAllocator child = allocator.newChildAllocator("load", 0, Long.MAX_VALUE);
                    VectorSchemaRoot loaded = ArrowIpc.load(SCHEMA, message, child)) {
                assertSameValues(original, ALL, loaded);
                // one allocation for the whole message (rounded up to a power of two by the allocator)
                assertThat(child.getAllocatedMemory()).isEqualTo(Long.highestOneBit(message.remaining() - 1) << 1);
                assertThat(message.position()).isZero();
            }
        }
    }

    @Test
    void testCompressed()
    {
        try (VectorSchemaRoot original = randomBatch(allocator, 500, 10)) {
            ByteBuffer message = ArrowIpc.serialize(original, CommonsCompressionFactory.INSTANCE.createCodec(CompressionUtil.CodecType.ZSTD));
            assertThat(Parsed.of(message).recordBatch().compression().codec()).isEqualTo(CompressionUtil.CodecType.ZSTD.getType());
            try (VectorSchemaRoot loaded = ArrowIpc.load(SCHEMA, message, allocator, CommonsCompressionFactory.INSTANCE)) {
                assertSameValues(original, ALL, loaded);
            }
            assertThatThrownBy(() -> ArrowIpc.load(SCHEMA, message, allocator))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("ZSTD");
        }
    }

    @Test
    void testWrongSchema()
    {
        try (VectorSchemaRoot original = randomBatch(allocator, 5, 1)) {
            ByteBuffer message = ArrowIpc.serialize(original);
            Schema other = new Schema(List.of(Field.nullable("a", new ArrowType.Int(32, true))));
            assertThatThrownBy(() -> ArrowIpc.load(other, message, allocator))
                    .isInstanceOf(InvalidIpcMessageException.class)
                    .hasMessage("Invalid Arrow IPC record batch message: the message has 20 field nodes, but the schema has 1");
            // same field count, but the string column has three buffers where an int has two
            List<Field> fields = new ArrayList<>(SCHEMA.getFields());
            fields.set(9, Field.nullable("c_string", new ArrowType.Int(32, true)));
            assertThatThrownBy(() -> ArrowIpc.load(new Schema(fields), message, allocator))
                    .isInstanceOf(InvalidIpcMessageException.class)
                    .hasMessage("Invalid Arrow IPC record batch message: the message has 43 buffers, but the schema's fields have 42");
        }
    }

    @Test
    void testCorruptInput()
    {
        try (VectorSchemaRoot original = randomBatch(allocator, 5, 1)) {
            ByteBuffer message = ArrowIpc.serialize(original);
            assertThatThrownBy(() -> ArrowIpc.load(SCHEMA, message.slice(0, message.remaining() - 8), allocator))
                    .isInstanceOf(InvalidIpcMessageException.class)
                    .hasMessageStartingWith("Invalid Arrow IPC record batch message: the message is truncated: the body length is ");
            assertThatThrownBy(() -> ArrowIpc.rowCount(message.slice(0, 4)))
                    .isInstanceOf(InvalidIpcMessageException.class)
                    .hasMessage("Invalid Arrow IPC record batch message: the message is truncated: 4 bytes, but its prefix alone takes 8");
        }
    }
}
