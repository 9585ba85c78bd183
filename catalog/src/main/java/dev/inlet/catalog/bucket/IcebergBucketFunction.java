/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.bucket;

import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.TypeRoot;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Iceberg's {@code bucket[N]} partition transform on one column: {@code (murmur3_x86_32(bytes,
 * seed 0) & Integer.MAX_VALUE) % N}, where the bytes are, by type:
 * <ul>
 *   <li>TINYINT, SMALLINT, INT, BIGINT: the value as a long, 8 bytes little-endian (Iceberg has no
 *       8- or 16-bit integers; Inlet stores them as Iceberg ints, which hash as longs);
 *   <li>DATE: epoch days, as a long;
 *   <li>TIMESTAMP, TIMESTAMP_LTZ: microseconds since the epoch (UTC for TIMESTAMP), as a long. Iceberg
 *       hashes a nanosecond {@code timestamp_ns} by its microseconds rounded down ({@code floorDiv}),
 *       so a TIMESTAMP(7..9) gets one bucket whether the lake column holds nanoseconds or the
 *       microseconds rounded down;
 *   <li>STRING: its UTF-8 bytes; BYTES: the bytes as they are;
 *   <li>DECIMAL: the unscaled value's minimal two's-complement big-endian bytes
 *       ({@code BigInteger.toByteArray()}).
 * </ul>
 *
 * <p>Iceberg does not bucket BOOLEAN, FLOAT or DOUBLE; this class refuses them too.
 *
 * <p>Null: Iceberg gives a null value no bucket number but the null partition value. The hot store
 * still has to place the row, so Inlet puts it in <b>bucket 0</b>; whoever pairs hot and lake
 * buckets must read Iceberg's null bucket together with bucket 0. Only log tables can meet this:
 * primary-key columns, and so the bucket key of a primary-key table, are NOT NULL.
 */
public final class IcebergBucketFunction
        implements BucketFunction
{
    /** The bucket of a row whose bucket-key value is null. */
    public static final int NULL_BUCKET = 0;

    private static final Set<TypeRoot> NOT_BUCKETABLE = EnumSet.of(TypeRoot.BOOLEAN, TypeRoot.FLOAT, TypeRoot.DOUBLE);

    private final Column column;
    private final List<Column> columns;
    private final int bucketCount;

    /**
     * @param bucketKeyColumn the single bucket-key column
     * @param bucketCount N of Iceberg's {@code bucket[N]}
     */
    public IcebergBucketFunction(Column bucketKeyColumn, int bucketCount)
    {
        this.column = requireNonNull(bucketKeyColumn, "bucketKeyColumn is null");
        if (NOT_BUCKETABLE.contains(column.type().root())) {
            throw new IllegalArgumentException("Iceberg cannot bucket column '" + column.name() + "' of type " + column.type());
        }
        if (bucketCount < 1) {
            throw new IllegalArgumentException("bucketCount must be positive, got " + bucketCount);
        }
        this.columns = List.of(column);
        this.bucketCount = bucketCount;
    }

    @Override
    public int bucket(Object[] bucketKeyValues)
    {
        requireNonNull(bucketKeyValues, "bucketKeyValues is null");
        BucketKeyValues.checkCount(columns, bucketKeyValues);
        Object value = BucketKeyValues.normalize(column, bucketKeyValues[0]);
        if (value == null) {
            return NULL_BUCKET;
        }
        return (hash(value) & Integer.MAX_VALUE) % bucketCount;
    }

    /** The Murmur3 hash Iceberg computes for a normalised, non-null value of the column. */
    private int hash(Object value)
    {
        return switch (column.type().root()) {
            case TINYINT -> hashLong((Byte) value);
            case SMALLINT -> hashLong((Short) value);
            case INT -> hashLong((Integer) value);
            case BIGINT -> hashLong((Long) value);
            case DATE -> hashLong(Math.toIntExact(((LocalDate) value).toEpochDay()));
            case TIMESTAMP -> {
                LocalDateTime dateTime = (LocalDateTime) value;
                yield hashLong(micros(dateTime.toEpochSecond(ZoneOffset.UTC), dateTime.getNano()));
            }
            case TIMESTAMP_LTZ -> {
                Instant instant = (Instant) value;
                yield hashLong(micros(instant.getEpochSecond(), instant.getNano()));
            }
            case STRING -> hashBytes(((String) value).getBytes(StandardCharsets.UTF_8));
            case BYTES -> hashBytes((byte[]) value);
            case DECIMAL -> hashBytes(((BigDecimal) value).unscaledValue().toByteArray());
            case BOOLEAN, FLOAT, DOUBLE -> throw new IllegalStateException("not bucketable: " + column.type());
        };
    }

    // nano-of-second is never negative, so this is floor(nanos since epoch / 1000), as Iceberg's
    // DateTimeUtil.nanosToMicros; exact for precision <= 6
    private static long micros(long epochSecond, int nanoOfSecond)
    {
        return Math.addExact(Math.multiplyExact(epochSecond, 1_000_000L), nanoOfSecond / 1_000);
    }

    private static int hashLong(long value)
    {
        return Murmur3.hashLong(value, Murmur3.ICEBERG_SEED);
    }

    private static int hashBytes(byte[] bytes)
    {
        return Murmur3.hash32(bytes, Murmur3.ICEBERG_SEED);
    }

    @Override
    public int bucketCount()
    {
        return bucketCount;
    }

    @Override
    public String toString()
    {
        return "IcebergBucketFunction{column=" + column.toSql() + ", bucketCount=" + bucketCount + "}";
    }
}
