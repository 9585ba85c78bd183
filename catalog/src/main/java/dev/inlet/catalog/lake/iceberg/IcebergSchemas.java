/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.lake.iceberg;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.DataType;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TablePath;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Maps an Inlet table to its Iceberg schema and partition spec. The mapping is in
 * {@code docs/type-mapping.md}: TINYINT and SMALLINT widen to Iceberg's {@code int} (Iceberg has
 * no narrower integers); TIMESTAMP(7..9) needs format version 3 ({@code timestamp_ns}).
 */
public final class IcebergSchemas
{
    /** Name of the partition field holding a row's bucket: {@code <column>_bucket}. */
    public static final String BUCKET_FIELD_SUFFIX = "_bucket";

    private IcebergSchemas() {}

    public static Schema schema(TablePath path, TableDescriptor d, int formatVersion)
    {
        List<Types.NestedField> fields = new ArrayList<>();
        Set<Integer> identifierIds = new HashSet<>();
        int id = 1;
        for (Column c : d.columns()) {
            Type type = type(path, c, formatVersion);
            Types.NestedField field = c.nullable()
                    ? Types.NestedField.optional(id, c.name(), type, c.comment().orElse(null))
                    : Types.NestedField.required(id, c.name(), type, c.comment().orElse(null));
            fields.add(field);
            if (d.primaryKey().contains(c.name())) {
                identifierIds.add(id);
            }
            id++;
        }
        return new Schema(fields, identifierIds);
    }

    public static PartitionSpec spec(Schema schema, TableDescriptor d)
    {
        PartitionSpec.Builder spec = PartitionSpec.builderFor(schema);
        for (String key : d.partitionKeys()) {
            spec.identity(key);
        }
        List<String> bucketKey = d.effectiveBucketKey();
        if (bucketKey.size() == 1) {
            spec.bucket(bucketKey.getFirst(), d.bucketCount(), bucketKey.getFirst() + BUCKET_FIELD_SUFFIX);
        }
        return spec.build();
    }

    public static Type type(TablePath path, Column column, int formatVersion)
    {
        DataType t = column.type();
        return switch (t.root()) {
            case BOOLEAN -> Types.BooleanType.get();
            case TINYINT, SMALLINT, INT -> Types.IntegerType.get();
            case BIGINT -> Types.LongType.get();
            case FLOAT -> Types.FloatType.get();
            case DOUBLE -> Types.DoubleType.get();
            case DECIMAL -> Types.DecimalType.of(t.precision(), t.scale());
            case STRING -> Types.StringType.get();
            case BYTES -> Types.BinaryType.get();
            case DATE -> Types.DateType.get();
            case TIMESTAMP -> t.precision() <= 6 ? Types.TimestampType.withoutZone() : nanos(path, column, formatVersion, false);
            case TIMESTAMP_LTZ -> t.precision() <= 6 ? Types.TimestampType.withZone() : nanos(path, column, formatVersion, true);
        };
    }

    private static Type nanos(TablePath path, Column column, int formatVersion, boolean withZone)
    {
        if (formatVersion < 3) {
            throw new InletException(InletErrorCode.INVALID_TABLE_DEFINITION, "Invalid table " + path + ": column '" + column.name() + "' has type " + column.type()
                    + ", which Iceberg stores only from format version 3 (timestamp_ns); set lake option format-version=3 or use a precision of at most 6");
        }
        return withZone ? Types.TimestampNanoType.withZone() : Types.TimestampNanoType.withoutZone();
    }
}
