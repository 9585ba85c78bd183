/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.bench;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The table every hot-store benchmark writes: 20 columns, about 1 KB a row, bucketed by {@code id}.
 * Both targets get this schema, the same rows and the same bucket count; the payload size defined
 * here is the one byte count behind every MB/s figure, whichever store wrote the rows.
 */
public final class BenchSchema
{
    /** The column both targets route rows by: Kafka's record key, Inlet's bucket key. */
    public static final String BUCKET_KEY = "id";

    /** The two columns of the pruned fetch: a timestamp and a measure, what a dashboard query reads. */
    public static final List<String> PRUNED_COLUMNS = List.of("ts", "amount");

    public static final List<Column> COLUMNS = List.of(
            new Column("id", ColumnType.BIGINT),
            new Column("ts", ColumnType.TIMESTAMP_MILLIS),
            new Column("user_id", ColumnType.BIGINT),
            new Column("account_id", ColumnType.BIGINT),
            new Column("event_type", ColumnType.INTEGER),
            new Column("status_code", ColumnType.INTEGER),
            new Column("latency_ms", ColumnType.INTEGER),
            new Column("item_count", ColumnType.INTEGER),
            new Column("amount", ColumnType.DOUBLE),
            new Column("score", ColumnType.DOUBLE),
            new Column("latitude", ColumnType.DOUBLE),
            new Column("longitude", ColumnType.DOUBLE),
            new Column("country", ColumnType.STRING),
            new Column("device", ColumnType.STRING),
            new Column("session_id", ColumnType.STRING),
            new Column("url", ColumnType.STRING),
            new Column("user_agent", ColumnType.STRING),
            new Column("referrer", ColumnType.STRING),
            new Column("tags", ColumnType.STRING),
            new Column("body", ColumnType.STRING));

    private BenchSchema() {}

    /** The Java and SQL types of the benchmark's columns (no column is nullable in generated rows). */
    public enum ColumnType
    {
        BIGINT("BIGINT", Long.class, Long.BYTES),
        INTEGER("INT", Integer.class, Integer.BYTES),
        DOUBLE("DOUBLE", Double.class, Double.BYTES),
        /** Millisecond precision, no time zone; 8 bytes of payload (epoch milliseconds). */
        TIMESTAMP_MILLIS("TIMESTAMP(3)", LocalDateTime.class, Long.BYTES),
        /** Variable width; its payload is its UTF-8 length. */
        STRING("STRING", String.class, -1);

        private final String sqlType;
        private final Class<?> javaType;
        private final int fixedWidth;

        ColumnType(String sqlType, Class<?> javaType, int fixedWidth)
        {
            this.sqlType = sqlType;
            this.javaType = javaType;
            this.fixedWidth = fixedWidth;
        }

        /** The type as Inlet's DDL spells it. */
        public String sqlType()
        {
            return sqlType;
        }

        /** The class of this column's values in an {@code Object[]} row. */
        public Class<?> javaType()
        {
            return javaType;
        }
    }

    /** One column of the benchmark table. */
    public record Column(String name, ColumnType type)
    {
        public Column
        {
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
        }
    }

    public static List<String> columnNames()
    {
        return COLUMNS.stream().map(Column::name).toList();
    }

    public static int columnIndex(String name)
    {
        for (int i = 0; i < COLUMNS.size(); i++) {
            if (COLUMNS.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no such column: " + name);
    }

    /**
     * The payload bytes of a row: 8 for BIGINT, DOUBLE and TIMESTAMP(3), 4 for INT, the UTF-8 length
     * of a STRING. No store's framing is counted, so the figure is the same for every target.
     */
    public static long payloadBytes(Object[] row)
    {
        long bytes = 0;
        for (int i = 0; i < COLUMNS.size(); i++) {
            bytes += valueBytes(COLUMNS.get(i).type(), row[i]);
        }
        return bytes;
    }

    public static long payloadBytes(List<Object[]> rows)
    {
        long bytes = 0;
        for (Object[] row : rows) {
            bytes += payloadBytes(row);
        }
        return bytes;
    }

    /** The payload bytes of only the given columns of the rows (what a pruned fetch returns). */
    public static long payloadBytes(List<Object[]> rows, List<String> columns)
    {
        int[] indexes = columns.stream().mapToInt(BenchSchema::columnIndex).toArray();
        long bytes = 0;
        for (Object[] row : rows) {
            for (int index : indexes) {
                bytes += valueBytes(COLUMNS.get(index).type(), row[index]);
            }
        }
        return bytes;
    }

    private static long valueBytes(ColumnType type, Object value)
    {
        if (value == null) {
            return 0;
        }
        if (type == ColumnType.STRING) {
            String string = (String) value;
            // the generator writes ASCII only, where the UTF-8 length is the length; count exactly otherwise
            return isAscii(string) ? string.length() : string.getBytes(StandardCharsets.UTF_8).length;
        }
        return type.fixedWidth;
    }

    private static boolean isAscii(String string)
    {
        for (int i = 0; i < string.length(); i++) {
            if (string.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
