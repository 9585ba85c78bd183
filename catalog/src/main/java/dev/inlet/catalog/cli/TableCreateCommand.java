/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.cli;

import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.config.Durations;
import dev.inlet.catalog.model.AggregateFunction;
import dev.inlet.catalog.model.ChangelogMode;
import dev.inlet.catalog.model.ColumnListParser;
import dev.inlet.catalog.model.LakeFormat;
import dev.inlet.catalog.model.MergeEngine;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TableInfo;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.catalog.model.TableValidator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "create",
        description = "Create a table (and its lake table). The database is created if it does not exist.",
        mixinStandardHelpOptions = true,
        footer = {"", "Example:",
                "  inlet table create shop.orders --columns \"order_id BIGINT NOT NULL, user_id STRING, amount DECIMAL(12,2), ts TIMESTAMP(3)\" \\",
                "      --primary-key order_id --buckets 4 --lake paimon"})
public final class TableCreateCommand
        implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigMixin config;

    @Parameters(index = "0", paramLabel = "DATABASE.TABLE", description = "The table to create.")
    String name;

    @Option(names = "--columns", required = true, paramLabel = "LIST",
            description = "Columns: \"name TYPE [NOT NULL] [COMMENT 'text'], ...\". Types: BOOLEAN, TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE, DECIMAL(p,s), STRING, BYTES, DATE, TIMESTAMP(p), TIMESTAMP_LTZ(p).")
    String columns;

    @Option(names = "--primary-key", split = ",", paramLabel = "COLUMN", description = "Primary-key columns (NOT NULL); makes an upsert table. Without it the table is an append-only log table.")
    List<String> primaryKey = List.of();

    @Option(names = "--partition-by", split = ",", paramLabel = "COLUMN", description = "Partition columns; for a primary-key table they must be part of the key.")
    List<String> partitionKeys = List.of();

    @Option(names = "--buckets", paramLabel = "N", description = "Buckets per partition (default: ${DEFAULT-VALUE}).")
    int buckets = TableDescriptor.DEFAULT_BUCKET_COUNT;

    @Option(names = "--bucket-key", split = ",", paramLabel = "COLUMN", description = "Columns whose hash picks the bucket (default: the primary key minus the partition columns; none for a log table).")
    List<String> bucketKey = List.of();

    @Option(names = "--merge-engine", paramLabel = "ENGINE", description = "last_row (default), first_row, versioned or aggregation.")
    String mergeEngine = "last_row";

    @Option(names = "--version-column", paramLabel = "COLUMN", description = "For --merge-engine versioned: the column whose larger value wins.")
    String versionColumn;

    @Option(names = "--aggregate", split = ",", paramLabel = "COLUMN=FUNCTION",
            description = "For --merge-engine aggregation: sum, min, max, count, last_non_null, first_non_null, last_value, bool_and or bool_or per column.")
    Map<String, String> aggregates = new LinkedHashMap<>();

    @Option(names = "--auto-increment", paramLabel = "COLUMN", description = "An INT or BIGINT column the server fills on a key's first insert.")
    String autoIncrement;

    @Option(names = "--changelog", paramLabel = "MODE", description = "Primary-key tables: full (default; updates as -U and +U) or upsert (+U only, no before-images).")
    String changelog = "full";

    @Option(names = "--lake", paramLabel = "FORMAT", description = "paimon, iceberg or none (default: ${DEFAULT-VALUE}).")
    String lake = "none";

    @Option(names = "--lake-option", paramLabel = "KEY=VALUE", description = "Option passed to the lake table, e.g. file.format=orc or format-version=3; repeatable.")
    Map<String, String> lakeOptions = new LinkedHashMap<>();

    @Option(names = "--freshness", paramLabel = "DURATION", description = "How old the lake snapshot may get, e.g. 10s or 5m (default: 30s).")
    String freshness;

    @Option(names = "--hot-retention", paramLabel = "DURATION", description = "How long tiered data stays in the hot store, e.g. 6h or 7d (default: 7d).")
    String hotRetention;

    @Option(names = "--comment", description = "Free text describing the table.")
    String comment;

    @Option(names = "--if-not-exists", description = "Succeed without change if the table exists.")
    boolean ifNotExists;

    @Override
    public Integer call()
    {
        TablePath path = TablePath.parse(name);
        TableDescriptor.Builder b = TableDescriptor.builder()
                .columns(ColumnListParser.parse(path.toString(), columns))
                .primaryKey(primaryKey)
                .partitionKeys(partitionKeys)
                .bucketCount(buckets)
                .bucketKey(bucketKey)
                .mergeEngine(mergeEngine())
                .autoIncrementColumn(autoIncrement)
                .changelogMode(ChangelogMode.parse(changelog))
                .lakeFormat(LakeFormat.parse(lake))
                .lakeOptions(lakeOptions)
                .comment(comment);
        if (freshness != null) {
            b.freshness(Durations.parse(freshness));
        }
        if (hotRetention != null) {
            b.hotRetention(Durations.parse(hotRetention));
        }
        // validate before creating the database, so that a bad definition changes nothing at all
        TableDescriptor descriptor = TableValidator.validate(path, b.build());
        try (InletCatalog catalog = config.openCatalog()) {
            if (catalog.createDatabase(path.database(), true)) {
                spec.commandLine().getOut().println("Created database " + path.database());
            }
            boolean existed = catalog.findTable(path).isPresent();
            TableInfo table = catalog.createTable(path, descriptor, ifNotExists);
            var out = spec.commandLine().getOut();
            out.println((existed ? "Table exists: " : "Created table ") + table.path() + " (id " + table.tableId() + ")");
            catalog.lakeLocation(table).ifPresent(location -> out.println("Lake table (" + table.descriptor().lakeFormat().id() + "): " + location));
        }
        return ExitCodes.OK;
    }

    private MergeEngine mergeEngine()
    {
        MergeEngine.Kind kind = MergeEngine.Kind.parse(mergeEngine);
        if (kind != MergeEngine.Kind.VERSIONED && versionColumn != null) {
            throw new IllegalArgumentException("--version-column needs --merge-engine versioned");
        }
        if (kind != MergeEngine.Kind.AGGREGATION && !aggregates.isEmpty()) {
            throw new IllegalArgumentException("--aggregate needs --merge-engine aggregation");
        }
        return switch (kind) {
            case LAST_ROW -> MergeEngine.LAST_ROW;
            case FIRST_ROW -> MergeEngine.FIRST_ROW;
            case VERSIONED -> {
                if (versionColumn == null) {
                    throw new IllegalArgumentException("--merge-engine versioned needs --version-column");
                }
                yield MergeEngine.versioned(versionColumn);
            }
            case AGGREGATION -> {
                Map<String, AggregateFunction> functions = new LinkedHashMap<>();
                aggregates.forEach((column, function) -> functions.put(column, AggregateFunction.parse(function)));
                yield MergeEngine.aggregation(functions);
            }
        };
    }
}
