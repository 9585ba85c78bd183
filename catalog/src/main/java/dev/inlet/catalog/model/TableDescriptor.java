/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a table is: its columns and the rules that place, merge and tier its rows. Immutable; built
 * with {@link #builder()}. A descriptor is only a description: {@link TableValidator} decides
 * whether it is a valid table, and the catalog refuses invalid ones.
 *
 * @param columns the columns in order
 * @param primaryKey primary-key columns; empty for a log (append-only) table
 * @param partitionKeys partition columns; empty for an unpartitioned table
 * @param bucketCount buckets per partition
 * @param bucketKey columns whose hash picks a row's bucket; empty means the default, see
 *     {@link #effectiveBucketKey()}
 * @param mergeEngine how writes to one key combine (primary-key tables)
 * @param autoIncrementColumn an INT/BIGINT column the server fills on a key's first insert
 * @param changelogMode whether a primary-key table's changelog carries before-images of updates
 * @param lakeFormat where tiering writes this table
 * @param lakeOptions options passed to the lake table as they are (e.g. Paimon's
 *     {@code file.format}, Iceberg's {@code format-version})
 * @param freshness how old the lake snapshot may get before tiering writes a new one
 * @param hotRetention how long hot data is kept after it has been tiered
 * @param comment optional free text
 */
public record TableDescriptor(
        List<Column> columns,
        List<String> primaryKey,
        List<String> partitionKeys,
        int bucketCount,
        List<String> bucketKey,
        MergeEngine mergeEngine,
        Optional<String> autoIncrementColumn,
        ChangelogMode changelogMode,
        LakeFormat lakeFormat,
        Map<String, String> lakeOptions,
        Duration freshness,
        Duration hotRetention,
        Optional<String> comment)
{
    public static final Duration DEFAULT_FRESHNESS = Duration.ofSeconds(30);
    public static final Duration DEFAULT_HOT_RETENTION = Duration.ofDays(7);
    public static final int DEFAULT_BUCKET_COUNT = 4;

    public TableDescriptor
    {
        columns = List.copyOf(Objects.requireNonNull(columns, "columns is null"));
        primaryKey = List.copyOf(Objects.requireNonNull(primaryKey, "primaryKey is null"));
        partitionKeys = List.copyOf(Objects.requireNonNull(partitionKeys, "partitionKeys is null"));
        bucketKey = List.copyOf(Objects.requireNonNull(bucketKey, "bucketKey is null"));
        Objects.requireNonNull(mergeEngine, "mergeEngine is null");
        Objects.requireNonNull(autoIncrementColumn, "autoIncrementColumn is null");
        Objects.requireNonNull(changelogMode, "changelogMode is null");
        Objects.requireNonNull(lakeFormat, "lakeFormat is null");
        lakeOptions = Map.copyOf(Objects.requireNonNull(lakeOptions, "lakeOptions is null"));
        Objects.requireNonNull(freshness, "freshness is null");
        Objects.requireNonNull(hotRetention, "hotRetention is null");
        Objects.requireNonNull(comment, "comment is null");
    }

    public static Builder builder()
    {
        return new Builder();
    }

    public boolean hasPrimaryKey()
    {
        return !primaryKey.isEmpty();
    }

    public boolean isPartitioned()
    {
        return !partitionKeys.isEmpty();
    }

    public Optional<Column> column(String name)
    {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public List<String> columnNames()
    {
        return columns.stream().map(Column::name).toList();
    }

    /**
     * The columns that pick a row's bucket: the declared bucket key, or else the primary key minus
     * the partition keys. Empty for a log table without a bucket key: its rows go to any bucket.
     */
    public List<String> effectiveBucketKey()
    {
        if (!bucketKey.isEmpty()) {
            return bucketKey;
        }
        return primaryKey.stream().filter(k -> !partitionKeys.contains(k)).toList();
    }

    /** The largest column id ever handed out is at least this; new columns get larger ids. */
    public int maxColumnId()
    {
        return columns.stream().mapToInt(Column::id).max().orElse(0);
    }

    public TableDescriptor withColumns(List<Column> newColumns)
    {
        return new TableDescriptor(newColumns, primaryKey, partitionKeys, bucketCount, bucketKey, mergeEngine,
                autoIncrementColumn, changelogMode, lakeFormat, lakeOptions, freshness, hotRetention, comment);
    }

    public Builder toBuilder()
    {
        Builder b = new Builder();
        b.columns.addAll(columns);
        b.primaryKey = primaryKey;
        b.partitionKeys = partitionKeys;
        b.bucketCount = bucketCount;
        b.bucketKey = bucketKey;
        b.mergeEngine = mergeEngine;
        b.autoIncrementColumn = autoIncrementColumn;
        b.changelogMode = changelogMode;
        b.lakeFormat = lakeFormat;
        b.lakeOptions.putAll(lakeOptions);
        b.freshness = freshness;
        b.hotRetention = hotRetention;
        b.comment = comment;
        return b;
    }

    /** Builds a descriptor; columns added by name get ids 1, 2, 3, ... in order. */
    public static final class Builder
    {
        private final List<Column> columns = new ArrayList<>();
        private List<String> primaryKey = List.of();
        private List<String> partitionKeys = List.of();
        private int bucketCount = DEFAULT_BUCKET_COUNT;
        private List<String> bucketKey = List.of();
        private MergeEngine mergeEngine = MergeEngine.LAST_ROW;
        private Optional<String> autoIncrementColumn = Optional.empty();
        private ChangelogMode changelogMode = ChangelogMode.FULL;
        private LakeFormat lakeFormat = LakeFormat.NONE;
        private final Map<String, String> lakeOptions = new LinkedHashMap<>();
        private Duration freshness = DEFAULT_FRESHNESS;
        private Duration hotRetention = DEFAULT_HOT_RETENTION;
        private Optional<String> comment = Optional.empty();

        private Builder() {}

        public Builder column(String name, DataType type)
        {
            return column(name, type, true);
        }

        public Builder column(String name, DataType type, boolean nullable)
        {
            int id = columns.stream().mapToInt(Column::id).max().orElse(0) + 1;
            columns.add(new Column(id, name, type, nullable));
            return this;
        }

        public Builder column(Column column)
        {
            columns.add(column);
            return this;
        }

        public Builder columns(List<Column> newColumns)
        {
            columns.clear();
            columns.addAll(newColumns);
            return this;
        }

        public Builder primaryKey(String... names)
        {
            return primaryKey(List.of(names));
        }

        public Builder primaryKey(List<String> names)
        {
            this.primaryKey = List.copyOf(names);
            return this;
        }

        public Builder partitionKeys(String... names)
        {
            return partitionKeys(List.of(names));
        }

        public Builder partitionKeys(List<String> names)
        {
            this.partitionKeys = List.copyOf(names);
            return this;
        }

        public Builder bucketCount(int count)
        {
            this.bucketCount = count;
            return this;
        }

        public Builder bucketKey(String... names)
        {
            return bucketKey(List.of(names));
        }

        public Builder bucketKey(List<String> names)
        {
            this.bucketKey = List.copyOf(names);
            return this;
        }

        public Builder mergeEngine(MergeEngine engine)
        {
            this.mergeEngine = engine;
            return this;
        }

        public Builder changelogMode(ChangelogMode mode)
        {
            this.changelogMode = Objects.requireNonNull(mode, "mode is null");
            return this;
        }

        public Builder autoIncrementColumn(String name)
        {
            this.autoIncrementColumn = Optional.ofNullable(name);
            return this;
        }

        public Builder lakeFormat(LakeFormat format)
        {
            this.lakeFormat = format;
            return this;
        }

        public Builder lakeOption(String key, String value)
        {
            this.lakeOptions.put(key, value);
            return this;
        }

        public Builder lakeOptions(Map<String, String> options)
        {
            this.lakeOptions.clear();
            this.lakeOptions.putAll(options);
            return this;
        }

        public Builder freshness(Duration value)
        {
            this.freshness = value;
            return this;
        }

        public Builder hotRetention(Duration value)
        {
            this.hotRetention = value;
            return this;
        }

        public Builder comment(String value)
        {
            this.comment = Optional.ofNullable(value);
            return this;
        }

        public TableDescriptor build()
        {
            return new TableDescriptor(columns, primaryKey, partitionKeys, bucketCount, bucketKey, mergeEngine,
                    autoIncrementColumn, changelogMode, lakeFormat, lakeOptions, freshness, hotRetention, comment);
        }
    }
}
