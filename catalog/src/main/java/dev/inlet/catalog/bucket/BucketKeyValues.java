/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.bucket;

import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.DataType;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;

/**
 * Checks bucket-key values against their columns and brings them to the one form that both lake
 * formats hash, so that equal SQL values always land in one bucket.
 */
final class BucketKeyValues
{
    private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000};

    private BucketKeyValues() {}

    static void checkCount(List<Column> columns, Object[] values)
    {
        if (values.length != columns.size()) {
            throw new IllegalArgumentException("expected " + columns.size() + " bucket-key values for columns "
                    + columns.stream().map(Column::name).toList() + ", got " + values.length);
        }
    }

    /**
     * Returns the value as it is hashed, or null for SQL NULL.
     *
     * <ul>
     *   <li>A decimal is brought to the column's scale with {@code HALF_UP}, as Paimon's
     *       {@code Decimal.fromBigDecimal} does when a value is written; one that then needs more
     *       digits than the column's precision is refused, as the lake would refuse it.
     *   <li>A timestamp is truncated to the column's precision: that is the value the table holds
     *       (a TIMESTAMP(3) keeps no microseconds), and sub-precision digits must not move a row to
     *       another bucket than the one its stored value hashes to.
     * </ul>
     *
     * @throws IllegalArgumentException if the value does not have the column type's Java class, or is
     *     null for a NOT NULL column
     */
    static Object normalize(Column column, Object value)
    {
        DataType type = column.type();
        if (value == null) {
            if (!column.nullable()) {
                throw new IllegalArgumentException("bucket-key column '" + column.name() + "' is NOT NULL, got null");
            }
            return null;
        }
        Class<?> javaClass = type.root().javaClass();
        if (!javaClass.isInstance(value)) {
            throw new IllegalArgumentException("bucket-key column '" + column.name() + "' of type " + type + " takes "
                    + javaClass.getSimpleName() + " values, got " + value.getClass().getName());
        }
        return switch (type.root()) {
            case DECIMAL -> decimal(column, (BigDecimal) value);
            case TIMESTAMP -> {
                LocalDateTime dateTime = (LocalDateTime) value;
                yield dateTime.withNano(truncateNanos(dateTime.getNano(), type.precision()));
            }
            case TIMESTAMP_LTZ -> {
                Instant instant = (Instant) value;
                yield Instant.ofEpochSecond(instant.getEpochSecond(), truncateNanos(instant.getNano(), type.precision()));
            }
            default -> value;
        };
    }

    private static BigDecimal decimal(Column column, BigDecimal value)
    {
        DataType type = column.type();
        BigDecimal scaled = value.setScale(type.scale(), RoundingMode.HALF_UP);
        if (scaled.precision() > type.precision()) {
            throw new IllegalArgumentException("bucket-key column '" + column.name() + "' of type " + type + " cannot hold " + value.toPlainString());
        }
        return scaled;
    }

    // nano-of-second is never negative (java.time counts it forwards from the second), so dropping
    // the low digits rounds towards the past, as the lake formats' own conversions do
    private static int truncateNanos(int nanoOfSecond, int precision)
    {
        int unit = POWERS_OF_TEN[DataType.MAX_TIMESTAMP_PRECISION - precision];
        return nanoOfSecond - nanoOfSecond % unit;
    }
}
