/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.arrow;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A batch's string vectors are allocated for what the previous batch's strings took. */
class TestSizedBatches
{
    @Test
    void theNextBatchHasRoomForStringsLikeTheLast()
    {
        Schema schema = new Schema(List.of(Field.nullable("id", new ArrowType.Int(64, true)), Field.nullable("body", ArrowType.Utf8.INSTANCE)));
        byte[] body = "x".repeat(500).getBytes(StandardCharsets.UTF_8);
        try (BufferAllocator allocator = new RootAllocator()) {
            SizedBatches batches = new SizedBatches(schema, allocator);
            try (VectorSchemaRoot first = batches.allocate(100)) {
                // before any batch was seen: Arrow's default room, far less than 100 such strings
                assertThat(first.getVector("body").getDataBuffer().capacity()).isLessThan(100L * body.length);
                for (int r = 0; r < 100; r++) {
                    ((BigIntVector) first.getVector("id")).setSafe(r, r);
                    ((VarCharVector) first.getVector("body")).setSafe(r, body);
                }
                first.setRowCount(100);
                batches.filled(first);
            }
            try (VectorSchemaRoot second = batches.allocate(100)) {
                assertThat(second.getVector("body").getDataBuffer().capacity()).isGreaterThanOrEqualTo((long) (100 * body.length * 1.1));
                assertThat(second.getRowCount()).isZero();
            }
        }
    }
}
