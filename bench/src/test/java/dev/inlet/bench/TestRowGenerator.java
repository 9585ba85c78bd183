/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TestRowGenerator
{
    @Test
    void sameSeedSameRows()
    {
        List<Object[]> first = RowGenerator.generate(200, 7);
        List<Object[]> second = RowGenerator.generate(200, 7);
        assertThat(first).hasSize(200);
        for (int i = 0; i < first.size(); i++) {
            assertThat(second.get(i)).containsExactly(first.get(i));
        }
        assertThat(RowGenerator.generate(1, 8).getFirst()).isNotEqualTo(first.getFirst());
    }

    @Test
    void rowsHaveTheSchemaTypesAndAboutOneKilobyte()
    {
        List<Object[]> rows = RowGenerator.generate(2_000, 42);
        for (int i = 0; i < rows.size(); i++) {
            Object[] row = rows.get(i);
            assertThat(row).hasSize(20);
            assertThat(row[0]).isEqualTo((long) i);
            for (int column = 0; column < row.length; column++) {
                assertThat(row[column]).isInstanceOf(BenchSchema.COLUMNS.get(column).type().javaType());
            }
        }
        double average = (double) BenchSchema.payloadBytes(rows) / rows.size();
        assertThat(average).isBetween(950.0, 1_100.0);
        long pruned = BenchSchema.payloadBytes(rows, BenchSchema.PRUNED_COLUMNS);
        assertThat(pruned).isEqualTo(16L * rows.size());
    }
}
