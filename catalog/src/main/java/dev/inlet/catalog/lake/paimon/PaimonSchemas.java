/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.lake.paimon;

import dev.inlet.catalog.lake.LakeTableBridge;
import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.DataType;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TableInfo;
import org.apache.paimon.CoreOptions;
import org.apache.paimon.schema.Schema;
import org.apache.paimon.types.DataTypes;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maps an Inlet table to its Paimon schema and options. Every Inlet type has a Paimon type of the
 * same name and precision (see {@code docs/type-mapping.md}).
 *
 * <p>Buckets: a table with a bucket key gets Paimon's fixed-bucket mode with {@code bucket = N}
 * and {@code bucket-key} set to Inlet's effective bucket key, so Paimon's own bucket function
 * places each row in the bucket the hot store used. A log table without a bucket key gets
 * {@code bucket = -1} (Paimon's unaware-bucket append table): its rows have no key to align.
 * The lake table always keeps Paimon's default {@code deduplicate} merge engine, because the hot
 * store has already merged every row: tiering writes full rows, and the last one per key wins.
 */
public final class PaimonSchemas
{
    public static final String DEFAULT_FILE_FORMAT = "parquet";
    static final String BUCKET_FUNCTION_TYPE = "bucket-function.type";

    private PaimonSchemas() {}

    public static Schema schema(TableInfo table)
    {
        TableDescriptor d = table.descriptor();
        Schema.Builder builder = Schema.newBuilder();
        for (Column c : d.columns()) {
            builder.column(c.name(), type(c), c.comment().orElse(null));
        }
        builder.primaryKey(d.primaryKey());
        builder.partitionKeys(d.partitionKeys());
        builder.options(options(table));
        d.comment().ifPresent(builder::comment);
        return builder.build();
    }

    public static Map<String, String> options(TableInfo table)
    {
        TableDescriptor d = table.descriptor();
        Map<String, String> options = new LinkedHashMap<>(d.lakeOptions());
        options.putIfAbsent(CoreOptions.FILE_FORMAT.key(), DEFAULT_FILE_FORMAT);
        if (d.effectiveBucketKey().isEmpty()) {
            options.put(CoreOptions.BUCKET.key(), "-1");
        }
        else {
            options.put(CoreOptions.BUCKET.key(), Integer.toString(d.bucketCount()));
            options.put(CoreOptions.BUCKET_KEY.key(), String.join(",", d.effectiveBucketKey()));
            // pinned: PaimonBucketFunction reproduces exactly this function in the hot store
            options.put(BUCKET_FUNCTION_TYPE, "default");
        }
        options.put(LakeTableBridge.TABLE_ID_PROPERTY, Long.toString(table.tableId()));
        return options;
    }

    public static org.apache.paimon.types.DataType type(Column column)
    {
        org.apache.paimon.types.DataType type = type(column.type());
        return column.nullable() ? type.nullable() : type.notNull();
    }

    public static org.apache.paimon.types.DataType type(DataType t)
    {
        return switch (t.root()) {
            case BOOLEAN -> DataTypes.BOOLEAN();
            case TINYINT -> DataTypes.TINYINT();
            case SMALLINT -> DataTypes.SMALLINT();
            case INT -> DataTypes.INT();
            case BIGINT -> DataTypes.BIGINT();
            case FLOAT -> DataTypes.FLOAT();
            case DOUBLE -> DataTypes.DOUBLE();
            case DECIMAL -> DataTypes.DECIMAL(t.precision(), t.scale());
            case STRING -> DataTypes.STRING();
            case BYTES -> DataTypes.BYTES();
            case DATE -> DataTypes.DATE();
            case TIMESTAMP -> DataTypes.TIMESTAMP(t.precision());
            case TIMESTAMP_LTZ -> DataTypes.TIMESTAMP_WITH_LOCAL_TIME_ZONE(t.precision());
        };
    }
}
