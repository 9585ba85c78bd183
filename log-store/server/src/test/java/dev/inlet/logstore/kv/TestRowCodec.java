/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.kv;

import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.DataType;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.logstore.arrow.ArrowSchemas;
import dev.inlet.logstore.arrow.ArrowValues;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The in-place encoding of rows (from Arrow vectors, into Arrow vectors, overlaying a stored
 * value) gives exactly what the object encoding gives, for every type, nulls, values before 1970
 * and rows of an older schema.
 */
class TestRowCodec
{
    private static final TableDescriptor TABLE = TableDescriptor.builder()
            .column("id", DataType.integer(), false)
            .column("k2", DataType.string(), false)
            .column("b", DataType.booleanType())
            .column("t", DataType.tinyint())
            .column("s", DataType.smallint())
            .column("l", DataType.bigint())
            .column("f", DataType.floatType())
            .column("d", DataType.doubleType())
            .column("dec", DataType.decimal(12, 3))
            .column("str", DataType.string())
            .column("bin", DataType.bytes())
            .column("day", DataType.date())
            .column("ts3", DataType.timestamp(3))
            .column("ts6", DataType.timestamp(6))
            .column("ts9", DataType.timestamp(9))
            .column("ltz", DataType.timestampLtz(6))
            .primaryKey("id", "k2")
            .bucketCount(1)
            .build();
    private static final TableSchema SCHEMA = new TableSchema(1, TABLE);

    private final BufferAllocator allocator = new RootAllocator();

    @AfterEach
    void closeAllocator()
    {
        allocator.close();
    }

    @Test
    void rowsEncodedFromVectorsEqualRowsEncodedFromObjectsAndDecodeBack()
    {
        RowCodec codec = new RowCodec(id -> TABLE);
        KeyEncoder keys = new KeyEncoder(TABLE);
        List<Object[]> rows = randomRows(500, new SplittableRandom(7));
        boolean[] all = new boolean[TABLE.columns().size()];
        Arrays.fill(all, true);
        try (VectorSchemaRoot batch = toVectors(rows); VectorSchemaRoot decoded = ArrowValues.allocate(ArrowSchemas.toArrowSchema(TABLE), 1, allocator)) {
            FieldVector[] columns = batch.getFieldVectors().toArray(FieldVector[]::new);
            for (int r = 0; r < rows.size(); r++) {
                byte[] expected = codec.encode(rows.get(r), SCHEMA);
                assertThat(codec.encode(SCHEMA, columns, r, all, null, -1, 0)).as("row %s", r).isEqualTo(expected);
                assertThat(keys.encode(columns, r)).as("key of row %s", r).isEqualTo(keys.encode(rows.get(r)));

                codec.decodeInto(expected, SCHEMA, decoded.getFieldVectors(), r);
                decoded.setRowCount(r + 1);
                assertThat(valuesAt(decoded, r)).as("row %s decoded into vectors", r).isEqualTo(rows.get(r));
                assertThat(codec.decodeColumn(expected, SCHEMA, 13)).isEqualTo(rows.get(r)[13]);
            }
        }
    }

    @Test
    void aPartialRowOverlaysTheStoredValueAndAnIdFillsItsColumn()
    {
        RowCodec codec = new RowCodec(id -> TABLE);
        List<Object[]> stored = randomRows(200, new SplittableRandom(11));
        List<Object[]> written = randomRows(200, new SplittableRandom(12));
        boolean[] target = new boolean[TABLE.columns().size()];
        for (int c : new int[] {0, 1, 3, 9, 12, 15}) {
            target[c] = true;
        }
        try (VectorSchemaRoot batch = toVectors(written)) {
            FieldVector[] columns = batch.getFieldVectors().toArray(FieldVector[]::new);
            for (int r = 0; r < stored.size(); r++) {
                Object[] expected = stored.get(r).clone();
                for (int c = 0; c < target.length; c++) {
                    if (target[c]) {
                        expected[c] = written.get(r)[c];
                    }
                }
                byte[] merged = codec.encode(SCHEMA, columns, r, target, codec.encode(stored.get(r), SCHEMA), -1, 0);
                assertThat(codec.decode(merged, SCHEMA)).as("row %s", r).isEqualTo(expected);

                Object[] inserted = new Object[target.length];
                for (int c = 0; c < target.length; c++) {
                    inserted[c] = target[c] ? written.get(r)[c] : null;
                }
                inserted[5] = 1000L + r;
                assertThat(codec.decode(codec.encode(SCHEMA, columns, r, target, null, 5, 1000L + r), SCHEMA)).as("new row %s", r).isEqualTo(inserted);
            }
        }
    }

    @Test
    void aRowOfAnOlderSchemaDecodesIntoTheNewOneByColumnId()
    {
        TableDescriptor narrow = TABLE.withColumns(TABLE.columns().subList(0, 10));
        List<Column> added = new ArrayList<>(TABLE.columns());
        added.add(new Column(100, "note", DataType.string(), true));
        TableDescriptor wide = TABLE.withColumns(added);
        RowCodec codec = new RowCodec(id -> id == 1 ? narrow : wide);
        TableSchema newer = new TableSchema(2, wide);
        Object[] row = Arrays.copyOf(randomRows(1, new SplittableRandom(3)).getFirst(), 10);
        byte[] old = codec.encode(row, new TableSchema(1, narrow));
        try (VectorSchemaRoot decoded = ArrowValues.allocate(ArrowSchemas.toArrowSchema(wide), 1, allocator)) {
            codec.decodeInto(old, newer, decoded.getFieldVectors(), 0);
            decoded.setRowCount(1);
            assertThat(valuesAt(decoded, 0)).isEqualTo(Arrays.copyOf(row, wide.columns().size()));
        }
        // an overlay of an old row writes the new schema: the untargeted new column stays null
        boolean[] target = new boolean[wide.columns().size()];
        target[0] = true;
        target[1] = true;
        target[16] = true;
        Object[] written = Arrays.copyOf(row, wide.columns().size());
        written[16] = "a note";
        try (VectorSchemaRoot batch = ArrowValues.allocate(ArrowSchemas.toArrowSchema(wide), 1, allocator)) {
            for (int c = 0; c < written.length; c++) {
                ArrowValues.set(batch.getFieldVectors().get(c), 0, written[c]);
            }
            batch.setRowCount(1);
            byte[] merged = codec.encode(newer, batch.getFieldVectors().toArray(FieldVector[]::new), 0, target, old, -1, 0);
            assertThat(codec.decode(merged, newer)).isEqualTo(written);
        }
    }

    private VectorSchemaRoot toVectors(List<Object[]> rows)
    {
        VectorSchemaRoot root = ArrowValues.allocate(ArrowSchemas.toArrowSchema(TABLE), rows.size(), allocator);
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < rows.get(r).length; c++) {
                ArrowValues.set(root.getFieldVectors().get(c), r, rows.get(r)[c]);
            }
        }
        root.setRowCount(rows.size());
        return root;
    }

    private static Object[] valuesAt(VectorSchemaRoot root, int row)
    {
        return root.getFieldVectors().stream().map(v -> ArrowValues.get(v, row)).toArray();
    }

    private static List<Object[]> randomRows(int count, SplittableRandom random)
    {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            // seconds on both sides of 1970, nanos cut to each column's precision
            long seconds = random.nextLong(-5_000_000_000L, 5_000_000_000L);
            int nanos = random.nextInt(1_000_000_000);
            Object[] row = {
                    random.nextInt(),
                    "k" + random.nextInt(1000) + "é",
                    random.nextBoolean(),
                    (byte) random.nextInt(-128, 128),
                    (short) random.nextInt(-32768, 32768),
                    random.nextLong(),
                    (float) random.nextDouble(-1e6, 1e6),
                    random.nextDouble(-1e12, 1e12),
                    BigDecimal.valueOf(random.nextLong(-999_999_999L, 999_999_999L), 3),
                    "text ✓ " + random.nextInt(),
                    ("bytes" + random.nextInt()).getBytes(StandardCharsets.UTF_8),
                    LocalDate.ofEpochDay(random.nextInt(-30_000, 30_000)),
                    LocalDateTime.ofEpochSecond(seconds, nanos / 1_000_000 * 1_000_000, java.time.ZoneOffset.UTC),
                    LocalDateTime.ofEpochSecond(seconds, nanos / 1_000 * 1_000, java.time.ZoneOffset.UTC),
                    LocalDateTime.ofEpochSecond(seconds, nanos, java.time.ZoneOffset.UTC),
                    Instant.ofEpochSecond(seconds, nanos / 1_000 * 1_000),
            };
            for (int c = 2; c < row.length; c++) {
                if (random.nextInt(5) == 0) {
                    row[c] = null;
                }
            }
            rows.add(row);
        }
        return rows;
    }
}
