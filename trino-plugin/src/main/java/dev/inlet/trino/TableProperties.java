/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.trino;

import dev.inlet.catalog.config.Durations;
import dev.inlet.catalog.model.LakeFormat;
import dev.inlet.catalog.model.MergeEngine;
import dev.inlet.catalog.model.TableDescriptor;
import io.trino.spi.session.PropertyMetadata;
import io.trino.spi.type.ArrayType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static io.trino.spi.type.VarcharType.VARCHAR;

/**
 * The {@code WITH (...)} properties of {@code CREATE TABLE}, which {@code SHOW CREATE TABLE}
 * prints back: an Inlet table's keys, buckets, lake format, freshness, merge engine and
 * auto-increment column.
 */
final class TableProperties
{
    static final String PRIMARY_KEY = "primary_key";
    static final String PARTITIONED_BY = "partitioned_by";
    static final String BUCKET_COUNT = "bucket_count";
    static final String BUCKET_KEY = "bucket_key";
    static final String LAKE_FORMAT = "lake_format";
    static final String FRESHNESS = "freshness";
    static final String MERGE_ENGINE = "merge_engine";
    static final String AUTO_INCREMENT_COLUMN = "auto_increment_column";

    private TableProperties() {}

    static List<PropertyMetadata<?>> all()
    {
        return List.of(
                columns(PRIMARY_KEY, "Primary-key columns: a primary-key table keeps one row per key (upserts, deletes)"),
                columns(PARTITIONED_BY, "Partition-key columns"),
                PropertyMetadata.integerProperty(BUCKET_COUNT, "Buckets per partition", TableDescriptor.DEFAULT_BUCKET_COUNT, false),
                columns(BUCKET_KEY, "Columns that choose a row's bucket (default: the primary key)"),
                PropertyMetadata.stringProperty(LAKE_FORMAT, "Lake format the table is tiered into: paimon, iceberg or none", LakeFormat.NONE.id(), false),
                PropertyMetadata.stringProperty(FRESHNESS, "How old the lake table may get, e.g. 30s or 5m", Durations.format(TableDescriptor.DEFAULT_FRESHNESS), false),
                PropertyMetadata.stringProperty(MERGE_ENGINE, "Merge engine of a primary-key table: last_row, first_row or versioned(<column>)", MergeEngine.Kind.LAST_ROW.id(), false),
                PropertyMetadata.stringProperty(AUTO_INCREMENT_COLUMN, "BIGINT column the hot store numbers on the first insert of a key", null, false));
    }

    @SuppressWarnings("unchecked")
    private static PropertyMetadata<List<String>> columns(String name, String description)
    {
        return new PropertyMetadata<>(name, description, new ArrayType(VARCHAR), (Class<List<String>>) (Class<?>) List.class, List.of(), false,
                value -> ((List<?>) value).stream().map(v -> ((String) v).toLowerCase(Locale.ROOT)).toList(),
                value -> value);
    }

    /** Sets a descriptor builder's properties from {@code CREATE TABLE ... WITH (...)}. */
    @SuppressWarnings("unchecked")
    static void apply(Map<String, Object> properties, TableDescriptor.Builder table)
    {
        table.primaryKey((List<String>) properties.getOrDefault(PRIMARY_KEY, List.of()));
        table.partitionKeys((List<String>) properties.getOrDefault(PARTITIONED_BY, List.of()));
        table.bucketCount((Integer) properties.getOrDefault(BUCKET_COUNT, TableDescriptor.DEFAULT_BUCKET_COUNT));
        table.bucketKey((List<String>) properties.getOrDefault(BUCKET_KEY, List.of()));
        table.lakeFormat(LakeFormat.parse((String) properties.getOrDefault(LAKE_FORMAT, LakeFormat.NONE.id())));
        Optional.ofNullable((String) properties.get(FRESHNESS)).ifPresent(f -> table.freshness(Durations.parse(f)));
        Optional.ofNullable((String) properties.get(MERGE_ENGINE)).ifPresent(m -> table.mergeEngine(mergeEngine(m)));
        Optional.ofNullable((String) properties.get(AUTO_INCREMENT_COLUMN)).ifPresent(c -> table.autoIncrementColumn(c.toLowerCase(Locale.ROOT)));
    }

    private static MergeEngine mergeEngine(String text)
    {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.startsWith("versioned(") && t.endsWith(")")) {
            return MergeEngine.versioned(t.substring("versioned(".length(), t.length() - 1).strip());
        }
        return switch (MergeEngine.Kind.parse(t)) {
            case LAST_ROW -> MergeEngine.LAST_ROW;
            case FIRST_ROW -> MergeEngine.FIRST_ROW;
            case VERSIONED -> throw new IllegalArgumentException("merge_engine versioned needs its version column: 'versioned(<column>)'");
            case AGGREGATION -> throw new IllegalArgumentException("the aggregation merge engine is set per column; create the table with 'inlet table create --merge-engine aggregation'");
        };
    }

    /** The properties {@code SHOW CREATE TABLE} prints for a table. */
    static Map<String, Object> of(TableDescriptor table)
    {
        Map<String, Object> properties = new LinkedHashMap<>();
        if (!table.primaryKey().isEmpty()) {
            properties.put(PRIMARY_KEY, table.primaryKey());
        }
        if (!table.partitionKeys().isEmpty()) {
            properties.put(PARTITIONED_BY, table.partitionKeys());
        }
        properties.put(BUCKET_COUNT, table.bucketCount());
        if (!table.bucketKey().isEmpty()) {
            properties.put(BUCKET_KEY, table.bucketKey());
        }
        properties.put(LAKE_FORMAT, table.lakeFormat().id());
        properties.put(FRESHNESS, Durations.format(table.freshness()));
        if (table.hasPrimaryKey()) {
            MergeEngine engine = table.mergeEngine();
            properties.put(MERGE_ENGINE, engine.kind() == MergeEngine.Kind.VERSIONED ? "versioned(" + engine.versionColumn().orElseThrow() + ")" : engine.kind().id());
        }
        table.autoIncrementColumn().ifPresent(c -> properties.put(AUTO_INCREMENT_COLUMN, c));
        return properties;
    }
}
