/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.model;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a {@link TableDescriptor} is a valid table, and returns it with every name
 * lower-cased. Each error names the table and the column or setting that is wrong. Stateless and
 * thread-safe.
 */
public final class TableValidator
{
    public static final int MAX_BUCKETS = 1024;
    public static final Duration MIN_FRESHNESS = Duration.ofSeconds(1);

    /** Options Inlet sets on the lake table itself; a user value would break bucket alignment. */
    static final Set<String> MANAGED_LAKE_OPTIONS = Set.of("bucket", "bucket-key", "primary-key", "partition", "merge-engine",
            "sequence.field", "changelog-producer", "identifier-field-ids", "bucket-function.type");

    private static final Set<TypeRoot> NOT_A_KEY = EnumSet.of(TypeRoot.FLOAT, TypeRoot.DOUBLE);
    private static final Set<TypeRoot> NOT_A_BUCKET_KEY = EnumSet.of(TypeRoot.FLOAT, TypeRoot.DOUBLE, TypeRoot.BOOLEAN);
    private static final Set<TypeRoot> NOT_A_PARTITION_KEY = EnumSet.of(TypeRoot.FLOAT, TypeRoot.DOUBLE, TypeRoot.BYTES);
    private static final Set<TypeRoot> VERSION_TYPES = EnumSet.of(TypeRoot.TINYINT, TypeRoot.SMALLINT, TypeRoot.INT, TypeRoot.BIGINT,
            TypeRoot.TIMESTAMP, TypeRoot.TIMESTAMP_LTZ);

    private TableValidator() {}

    /**
     * @return the descriptor with lower-cased names
     * @throws InletException {@link InletErrorCode#INVALID_TABLE_DEFINITION} or
     *     {@link InletErrorCode#INVALID_NAME} naming what is wrong
     */
    public static TableDescriptor validate(TablePath path, TableDescriptor descriptor)
    {
        TableDescriptor d = normalize(path, descriptor);
        new Check(path, d).run();
        return d;
    }

    private static TableDescriptor normalize(TablePath path, TableDescriptor d)
    {
        List<Column> columns = new ArrayList<>();
        for (Column c : d.columns()) {
            String name = c.name().toLowerCase(Locale.ROOT);
            if (name.startsWith("_")) {
                throw invalid(path, "column name '" + c.name() + "' is reserved: names starting with '_' are kept for system columns");
            }
            try {
                TablePath.checkIdentifier("column", c.name());
            }
            catch (InletException e) {
                throw invalid(path, e.getMessage());
            }
            columns.add(new Column(c.id(), name, c.type(), c.nullable(), c.comment()));
        }
        MergeEngine engine = d.mergeEngine();
        if (engine.kind() == MergeEngine.Kind.VERSIONED) {
            engine = MergeEngine.versioned(lower(engine.versionColumn().orElseThrow()));
        }
        else if (engine.kind() == MergeEngine.Kind.AGGREGATION) {
            Map<String, AggregateFunction> aggregations = new LinkedHashMap<>();
            engine.aggregations().forEach((k, v) -> aggregations.put(lower(k), v));
            engine = MergeEngine.aggregation(aggregations);
        }
        return new TableDescriptor(columns, lower(d.primaryKey()), lower(d.partitionKeys()), d.bucketCount(), lower(d.bucketKey()),
                engine, d.autoIncrementColumn().map(TableValidator::lower), d.changelogMode(), d.lakeFormat(), d.lakeOptions(), d.freshness(),
                d.hotRetention(), d.comment());
    }

    private static String lower(String name)
    {
        return name.strip().toLowerCase(Locale.ROOT);
    }

    private static List<String> lower(List<String> names)
    {
        return names.stream().map(TableValidator::lower).toList();
    }

    static InletException invalid(TablePath path, String problem)
    {
        return new InletException(InletErrorCode.INVALID_TABLE_DEFINITION, "Invalid table " + path + ": " + problem);
    }

    private record Check(TablePath path, TableDescriptor d)
    {
        void run()
        {
            columns();
            primaryKey();
            partitionKeys();
            buckets();
            mergeEngine();
            autoIncrement();
            lake();
            durations();
        }

        private void columns()
        {
            if (d.columns().isEmpty()) {
                throw invalid(path, "a table needs at least one column");
            }
            Set<String> names = new HashSet<>();
            Set<Integer> ids = new HashSet<>();
            for (Column c : d.columns()) {
                if (!names.add(c.name())) {
                    throw invalid(path, "duplicate column name '" + c.name() + "'");
                }
                if (!ids.add(c.id())) {
                    throw invalid(path, "duplicate column id " + c.id() + " (column '" + c.name() + "')");
                }
            }
        }

        private Column column(String role, String name)
        {
            return d.column(name).orElseThrow(() -> invalid(path, role + " column '" + name + "' is not a column of the table; columns are " + d.columnNames()));
        }

        private void noDuplicates(String role, List<String> names)
        {
            Set<String> seen = new HashSet<>();
            for (String n : names) {
                if (!seen.add(n)) {
                    throw invalid(path, role + " names column '" + n + "' twice");
                }
            }
        }

        private void primaryKey()
        {
            noDuplicates("primary key", d.primaryKey());
            for (String k : d.primaryKey()) {
                Column c = column("primary-key", k);
                if (c.nullable()) {
                    throw invalid(path, "primary-key column '" + k + "' is nullable; declare it NOT NULL");
                }
                if (NOT_A_KEY.contains(c.type().root())) {
                    throw invalid(path, "primary-key column '" + k + "' has type " + c.type() + ", which cannot be a key (floating-point values do not compare exactly)");
                }
            }
        }

        private void partitionKeys()
        {
            noDuplicates("partition key", d.partitionKeys());
            for (String k : d.partitionKeys()) {
                Column c = column("partition-key", k);
                if (NOT_A_PARTITION_KEY.contains(c.type().root())) {
                    throw invalid(path, "partition-key column '" + k + "' has type " + c.type() + ", which cannot partition a table");
                }
                if (d.hasPrimaryKey() && !d.primaryKey().contains(k)) {
                    throw invalid(path, "partition-key column '" + k + "' is not part of the primary key " + d.primaryKey()
                            + "; every partition key of a primary-key table must be in its primary key");
                }
            }
            if (d.hasPrimaryKey() && !d.primaryKey().isEmpty() && d.partitionKeys().containsAll(d.primaryKey())) {
                throw invalid(path, "the primary key " + d.primaryKey() + " has no column outside the partition keys, so rows cannot be spread over buckets");
            }
        }

        private void buckets()
        {
            if (d.bucketCount() < 1 || d.bucketCount() > MAX_BUCKETS) {
                throw invalid(path, "bucket count must be between 1 and " + MAX_BUCKETS + ", got " + d.bucketCount());
            }
            noDuplicates("bucket key", d.bucketKey());
            for (String k : d.bucketKey()) {
                Column c = column("bucket-key", k);
                if (NOT_A_BUCKET_KEY.contains(c.type().root())) {
                    throw invalid(path, "bucket-key column '" + k + "' has type " + c.type() + ", which cannot be hashed into buckets");
                }
                if (d.partitionKeys().contains(k)) {
                    throw invalid(path, "bucket-key column '" + k + "' is a partition key; a bucket key must vary within a partition");
                }
                if (d.hasPrimaryKey() && !d.primaryKey().contains(k)) {
                    throw invalid(path, "bucket-key column '" + k + "' is not part of the primary key " + d.primaryKey()
                            + "; rows of one key must always reach the same bucket");
                }
            }
        }

        private void mergeEngine()
        {
            MergeEngine engine = d.mergeEngine();
            if (!d.hasPrimaryKey()) {
                if (engine.kind() != MergeEngine.Kind.LAST_ROW) {
                    throw invalid(path, "merge engine " + engine.kind().id() + " needs a primary key; a log table only appends");
                }
                return;
            }
            switch (engine.kind()) {
                case VERSIONED -> {
                    String name = engine.versionColumn().orElseThrow();
                    Column c = column("version", name);
                    if (!VERSION_TYPES.contains(c.type().root())) {
                        throw invalid(path, "version column '" + name + "' has type " + c.type() + "; use an integer or timestamp column");
                    }
                    if (d.primaryKey().contains(name)) {
                        throw invalid(path, "version column '" + name + "' is part of the primary key");
                    }
                }
                case AGGREGATION -> engine.aggregations().forEach((name, function) -> {
                    Column c = column("aggregated", name);
                    if (d.primaryKey().contains(name)) {
                        throw invalid(path, "primary-key column '" + name + "' cannot be aggregated");
                    }
                    if (!accepts(function, c.type().root())) {
                        throw invalid(path, "aggregate function " + function.id() + " does not apply to column '" + name + "' of type " + c.type());
                    }
                });
                default -> {}
            }
        }

        private static boolean accepts(AggregateFunction function, TypeRoot root)
        {
            return switch (function) {
                case SUM -> root.isIntegral() || root == TypeRoot.FLOAT || root == TypeRoot.DOUBLE || root == TypeRoot.DECIMAL;
                case MIN, MAX -> root != TypeRoot.BOOLEAN && root != TypeRoot.BYTES;
                case COUNT -> root == TypeRoot.INT || root == TypeRoot.BIGINT;
                case BOOL_AND, BOOL_OR -> root == TypeRoot.BOOLEAN;
                case LAST_NON_NULL, FIRST_NON_NULL, LAST_VALUE -> true;
            };
        }

        private void autoIncrement()
        {
            if (d.changelogMode() != ChangelogMode.FULL && !d.hasPrimaryKey()) {
                throw invalid(path, "changelog mode " + d.changelogMode().id() + " needs a primary key; a log table has no updates");
            }
            Optional<String> auto = d.autoIncrementColumn();
            if (auto.isEmpty()) {
                return;
            }
            String name = auto.get();
            if (!d.hasPrimaryKey()) {
                throw invalid(path, "auto-increment column '" + name + "' needs a primary-key table: ids are assigned on a key's first insert");
            }
            Column c = column("auto-increment", name);
            if (c.type().root() != TypeRoot.INT && c.type().root() != TypeRoot.BIGINT) {
                throw invalid(path, "auto-increment column '" + name + "' has type " + c.type() + "; use INT or BIGINT");
            }
            if (d.primaryKey().contains(name)) {
                throw invalid(path, "auto-increment column '" + name + "' is part of the primary key; the key is what the server assigns an id to");
            }
            if (d.mergeEngine().versionColumn().filter(name::equals).isPresent() || d.mergeEngine().aggregations().containsKey(name)) {
                throw invalid(path, "auto-increment column '" + name + "' is filled by the server and cannot also drive the merge engine");
            }
        }

        private void lake()
        {
            for (String key : d.lakeOptions().keySet()) {
                if (MANAGED_LAKE_OPTIONS.contains(key)) {
                    throw invalid(path, "lake option '" + key + "' is set by Inlet from the table definition and cannot be given");
                }
            }
            if (d.lakeFormat() == LakeFormat.NONE && !d.lakeOptions().isEmpty()) {
                throw invalid(path, "lake options " + d.lakeOptions().keySet() + " given, but the table has no lake format");
            }
            if (d.lakeFormat() == LakeFormat.ICEBERG && d.effectiveBucketKey().size() > 1) {
                throw invalid(path, "bucket key " + d.effectiveBucketKey() + " has " + d.effectiveBucketKey().size()
                        + " columns, but Iceberg's bucket transform takes one; declare a single-column bucket key (e.g. --bucket-key "
                        + d.effectiveBucketKey().getFirst() + ") or use the paimon lake format");
            }
        }

        private void durations()
        {
            if (d.freshness().compareTo(MIN_FRESHNESS) < 0) {
                throw invalid(path, "freshness must be at least 1s, got " + d.freshness());
            }
            if (d.hotRetention().isNegative()) {
                throw invalid(path, "hot retention must not be negative, got " + d.hotRetention());
            }
        }
    }
}
