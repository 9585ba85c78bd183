/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.bench;

import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMilliVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * What an application holding columnar data does before a columnar append or upsert: fills a
 * chunk of Arrow vectors from its rows with each column's typed setter (unboxing, UTF-8 encoding).
 * The benchmarks do it inside their timed passes, as Kafka's serializer and the RocksDB
 * baseline's encoder run inside theirs.
 */
final class ColumnarChunks
{
    private ColumnarChunks() {}

    /** Fills {@code chunk} (reset first) with rows {@code [start, start + count)}; values in the vectors' column order. */
    static void fill(VectorSchemaRoot chunk, List<Object[]> rows, int start, int count)
    {
        List<FieldVector> vectors = chunk.getFieldVectors();
        for (FieldVector vector : vectors) {
            vector.reset();
        }
        for (int r = 0; r < count; r++) {
            Object[] row = rows.get(start + r);
            for (int c = 0; c < row.length; c++) {
                Object value = row[c];
                if (value == null) {
                    vectors.get(c).setNull(r);
                    continue;
                }
                switch (vectors.get(c)) {
                    case BigIntVector v -> v.setSafe(r, (Long) value);
                    case IntVector v -> v.setSafe(r, (Integer) value);
                    case Float8Vector v -> v.setSafe(r, (Double) value);
                    case TimeStampMilliVector v -> v.setSafe(r, ((LocalDateTime) value).toInstant(ZoneOffset.UTC).toEpochMilli());
                    case VarCharVector v -> v.setSafe(r, ((String) value).getBytes(StandardCharsets.UTF_8));
                    default -> throw new IllegalStateException("no setter for " + vectors.get(c));
                }
            }
        }
        chunk.setRowCount(count);
    }
}
