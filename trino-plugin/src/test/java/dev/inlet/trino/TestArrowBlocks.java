/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.trino;

import io.trino.spi.block.Block;
import io.trino.spi.type.Type;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.trino.spi.type.BigintType.BIGINT;
import static io.trino.spi.type.DoubleType.DOUBLE;
import static io.trino.spi.type.IntegerType.INTEGER;
import static io.trino.spi.type.VarcharType.VARCHAR;
import static org.assertj.core.api.Assertions.assertThat;

/** Arrow vectors as Trino blocks, with and without nulls, by the bulk copies and value by value. */
class TestArrowBlocks
{
    private final BufferAllocator allocator = new RootAllocator();

    @AfterEach
    void close()
    {
        allocator.close();
    }

    @Test
    void longsWithNulls()
    {
        try (BigIntVector vector = new BigIntVector("id", allocator)) {
            vector.allocateNew(4);
            vector.set(0, 7);
            vector.setNull(1);
            vector.set(2, -3);
            vector.setNull(3);
            vector.setValueCount(4);
            assertThat(values(BIGINT, vector, 4)).containsExactly(7L, null, -3L, null);
        }
    }

    @Test
    void doublesAndInts()
    {
        try (Float8Vector doubles = new Float8Vector("amount", allocator); IntVector ints = new IntVector("n", allocator)) {
            doubles.allocateNew(3);
            ints.allocateNew(3);
            doubles.set(0, 1.5);
            doubles.setNull(1);
            doubles.set(2, -0.25);
            ints.set(0, 1);
            ints.set(1, 2);
            ints.setNull(2);
            doubles.setValueCount(3);
            ints.setValueCount(3);
            assertThat(values(DOUBLE, doubles, 3)).containsExactly(1.5, null, -0.25);
            assertThat(values(INTEGER, ints, 3)).containsExactly(1L, 2L, null);
        }
    }

    @Test
    void stringsWithNullsIncludingTrailingOnesArrowDidNotFill()
    {
        try (VarCharVector vector = new VarCharVector("note", allocator)) {
            vector.allocateNew(5);
            vector.setSafe(0, "ab".getBytes(StandardCharsets.UTF_8));
            vector.setNull(1);
            vector.setSafe(2, "cde".getBytes(StandardCharsets.UTF_8));
            // positions 3 and 4 never set: nulls whose offsets Arrow has not filled (no setValueCount)
            assertThat(values(VARCHAR, vector, 5)).containsExactly("ab", null, "cde", null, null);
        }
    }

    @Test
    void stringsWithoutNullsFromAnOffsetSlice()
    {
        try (VarCharVector vector = new VarCharVector("note", allocator)) {
            vector.allocateNew(3);
            vector.setSafe(0, "x".getBytes(StandardCharsets.UTF_8));
            vector.setSafe(1, "".getBytes(StandardCharsets.UTF_8));
            vector.setSafe(2, "yz".getBytes(StandardCharsets.UTF_8));
            vector.setValueCount(3);
            assertThat(values(VARCHAR, vector, 3)).containsExactly("x", "", "yz");
        }
    }

    private static List<Object> values(Type type, FieldVector vector, int rows)
    {
        Block block = ArrowBlocks.toBlock(type, vector, rows);
        assertThat(block.getPositionCount()).isEqualTo(rows);
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            if (block.isNull(i)) {
                out.add(null);
            }
            else if (type == VARCHAR) {
                out.add(VARCHAR.getSlice(block, i).toStringUtf8());
            }
            else if (type == DOUBLE) {
                out.add(DOUBLE.getDouble(block, i));
            }
            else {
                out.add(type.getLong(block, i));
            }
        }
        return Arrays.asList(out.toArray());
    }
}
