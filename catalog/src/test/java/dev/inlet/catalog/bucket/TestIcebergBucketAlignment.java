/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.bucket;

import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.DataType;
import dev.inlet.catalog.model.TypeRoot;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.transforms.Transforms;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.DateTimeUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

import static dev.inlet.catalog.model.DataType.bigint;
import static dev.inlet.catalog.model.DataType.date;
import static dev.inlet.catalog.model.DataType.decimal;
import static dev.inlet.catalog.model.DataType.integer;
import static dev.inlet.catalog.model.DataType.string;
import static dev.inlet.catalog.model.DataType.timestamp;
import static dev.inlet.catalog.model.DataType.timestampLtz;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Proves that {@link IcebergBucketFunction} assigns every value the bucket of Iceberg 1.12.0's own
 * {@code bucket[N]} transform, bound to the Iceberg type Inlet's column maps to, and, end to end,
 * the bucket that a {@code bucket(N, col)} partition spec gives a {@link GenericRecord}.
 */
class TestIcebergBucketAlignment
{
    private static final int[] BUCKET_COUNTS = {1, 3, 4, 16, 128};
    private static final int RANDOM_KEYS = 3_000;

    static List<DataType> keyTypes()
    {
        return List.of(
                DataType.tinyint(),
                DataType.smallint(),
                integer(),
                bigint(),
                decimal(10, 2),
                decimal(18, 4),
                decimal(19, 0),
                decimal(30, 5),
                decimal(38, 10),
                string(),
                DataType.bytes(),
                date(),
                timestamp(0),
                timestamp(3),
                timestamp(6),
                timestamp(9),
                timestampLtz(3),
                timestampLtz(6),
                timestampLtz(9));
    }

    @ParameterizedTest(name = "{0} NOT NULL")
    @MethodSource("keyTypes")
    void notNullColumn(DataType type)
    {
        assertAligned(new Column(1, "k", type, false), icebergType(type), value -> toIceberg(type, value));
    }

    @ParameterizedTest(name = "{0} NULL")
    @MethodSource("keyTypes")
    void nullableColumn(DataType type)
    {
        assertAligned(new Column(1, "k", type, true), icebergType(type), value -> toIceberg(type, value));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keyTypes")
    void nanosecondTimestampColumns(DataType type)
    {
        // whether the lake column holds nanoseconds (timestamp_ns, format v3) or the microseconds
        // rounded down, Iceberg gives the value one bucket, and so does Inlet
        if (type.root() == TypeRoot.TIMESTAMP && type.precision() > 6) {
            assertAligned(new Column(1, "k", type, true), Types.TimestampNanoType.withoutZone(),
                    value -> value == null ? null : DateTimeUtil.nanosFromTimestamp((LocalDateTime) value),
                    value -> value == null || fitsInNanos(((LocalDateTime) value).toInstant(ZoneOffset.UTC)));
        }
        if (type.root() == TypeRoot.TIMESTAMP_LTZ && type.precision() > 6) {
            assertAligned(new Column(1, "k", type, true), Types.TimestampNanoType.withZone(),
                    value -> value == null ? null : DateTimeUtil.nanosFromTimestamptz(((Instant) value).atOffset(ZoneOffset.UTC)),
                    value -> value == null || fitsInNanos((Instant) value));
        }
    }

    @Test
    void partitionSpecOnGenericRecords()
    {
        for (DataType type : keyTypes()) {
            Types.NestedField field = Types.NestedField.optional(2, "k", icebergType(type));
            Schema schema = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()), field);
            Column column = new Column(2, "k", type, true);
            List<Object[]> keys = BucketKeySamples.keys(List.of(column), 500);
            for (int buckets : BUCKET_COUNTS) {
                PartitionSpec spec = PartitionSpec.builderFor(schema).bucket("k", buckets).build();
                PartitionKey partitionKey = new PartitionKey(spec, schema);
                InternalRecordWrapper wrapper = new InternalRecordWrapper(schema.asStruct());
                IcebergBucketFunction function = new IcebergBucketFunction(column, buckets);
                GenericRecord record = GenericRecord.create(schema);
                long id = 0;
                for (Object[] key : keys) {
                    record.setField("id", id++);
                    record.setField("k", toIcebergGeneric(type, key[0]));
                    partitionKey.partition(wrapper.wrap(record));
                    Integer expected = partitionKey.get(0, Integer.class);
                    assertThat(function.bucket(key))
                            .as("bucket of %s for %s with bucket(%d, k)", BucketKeySamples.describe(key), type, buckets)
                            .isEqualTo(expected == null ? IcebergBucketFunction.NULL_BUCKET : expected);
                }
            }
        }
    }

    @Test
    void nullGoesToBucketZero()
    {
        IcebergBucketFunction function = new IcebergBucketFunction(new Column(1, "k", bigint(), true), 16);
        assertThat(function.bucket(new Object[] {null})).isZero();
        assertThat(Transforms.bucket(16).bind(Types.LongType.get()).apply(null)).isNull();
    }

    @Test
    void refusesWhatIcebergCannotBucket()
    {
        for (DataType type : List.of(DataType.booleanType(), DataType.floatType(), DataType.doubleType())) {
            assertThatThrownBy(() -> new IcebergBucketFunction(new Column(1, "k", type, false), 4))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Iceberg cannot bucket column 'k' of type " + type);
        }
    }

    private static void assertAligned(Column column, Type icebergType, Function<Object, Object> toIceberg)
    {
        assertAligned(column, icebergType, toIceberg, value -> true);
    }

    @SuppressWarnings("unchecked")
    private static void assertAligned(Column column, Type icebergType, Function<Object, Object> toIceberg, Predicate<Object> representable)
    {
        List<Object[]> keys = BucketKeySamples.keys(List.of(column), RANDOM_KEYS).stream()
                .filter(key -> representable.test(key[0]))
                .toList();
        assertThat(keys).hasSizeGreaterThan(RANDOM_KEYS / 2);
        for (int buckets : BUCKET_COUNTS) {
            Function<Object, Integer> transform = (Function<Object, Integer>) Transforms.bucket(buckets).bind(icebergType);
            IcebergBucketFunction function = new IcebergBucketFunction(column, buckets);
            for (Object[] key : keys) {
                Integer expected = transform.apply(toIceberg.apply(key[0]));
                assertThat(function.bucket(key))
                        .as("bucket of %s for %s as Iceberg %s with bucket[%d]", BucketKeySamples.describe(key), column.toSql(), icebergType, buckets)
                        .isEqualTo(expected == null ? IcebergBucketFunction.NULL_BUCKET : expected);
            }
        }
    }

    /** The Iceberg type Inlet maps a column to; 8- and 16-bit integers widen to int. */
    private static Type icebergType(DataType type)
    {
        return switch (type.root()) {
            case TINYINT, SMALLINT, INT -> Types.IntegerType.get();
            case BIGINT -> Types.LongType.get();
            case DECIMAL -> Types.DecimalType.of(type.precision(), type.scale());
            case STRING -> Types.StringType.get();
            case BYTES -> Types.BinaryType.get();
            case DATE -> Types.DateType.get();
            case TIMESTAMP -> Types.TimestampType.withoutZone();
            case TIMESTAMP_LTZ -> Types.TimestampType.withZone();
            case BOOLEAN, FLOAT, DOUBLE -> throw new IllegalArgumentException("not a bucket key: " + type);
        };
    }

    /** Iceberg's internal value (what a bound transform takes), converted with Iceberg's own utilities. */
    private static Object toIceberg(DataType type, Object value)
    {
        if (value == null) {
            return null;
        }
        return switch (type.root()) {
            case TINYINT -> ((Byte) value).intValue();
            case SMALLINT -> ((Short) value).intValue();
            case BYTES -> ByteBuffer.wrap((byte[]) value);
            case DATE -> DateTimeUtil.daysFromDate((LocalDate) value);
            // a micros column holds precision 7..9 values rounded down to microseconds
            case TIMESTAMP -> DateTimeUtil.microsFromTimestamp(floorToMicros((LocalDateTime) value));
            case TIMESTAMP_LTZ -> DateTimeUtil.microsFromInstant(floorToMicros((Instant) value));
            default -> value;
        };
    }

    /** The value as a {@link GenericRecord} holds it; {@link InternalRecordWrapper} converts it. */
    private static Object toIcebergGeneric(DataType type, Object value)
    {
        if (value == null) {
            return null;
        }
        return switch (type.root()) {
            case TINYINT -> ((Byte) value).intValue();
            case SMALLINT -> ((Short) value).intValue();
            case BYTES -> ByteBuffer.wrap((byte[]) value);
            // a micros column cannot hold nanoseconds: round down as the tiering writer must
            case TIMESTAMP -> floorToMicros((LocalDateTime) value);
            case TIMESTAMP_LTZ -> floorToMicros((Instant) value).atOffset(ZoneOffset.UTC);
            default -> value;
        };
    }

    // java.time's nano-of-second counts forwards from the second, so dropping digits rounds down
    private static LocalDateTime floorToMicros(LocalDateTime value)
    {
        return value.withNano(value.getNano() - value.getNano() % 1_000);
    }

    private static Instant floorToMicros(Instant value)
    {
        return Instant.ofEpochSecond(value.getEpochSecond(), value.getNano() - value.getNano() % 1_000);
    }

    private static boolean fitsInNanos(Instant value)
    {
        // a long of nanoseconds spans 1677-09-21 to 2262-04-11
        return value.isAfter(Instant.parse("1677-09-22T00:00:00Z")) && value.isBefore(Instant.parse("2262-04-10T00:00:00Z"));
    }
}
