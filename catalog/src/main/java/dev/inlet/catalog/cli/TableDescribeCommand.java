/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.cli;

import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.config.Durations;
import dev.inlet.catalog.model.ChangelogMode;
import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.MergeEngine;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TableInfo;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.catalog.model.TieredOffset;
import dev.inlet.catalog.store.DescriptorCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "describe", description = "Show a table: columns, keys, buckets, merge engine, lake table and tiered offsets.", mixinStandardHelpOptions = true)
public final class TableDescribeCommand
        implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigMixin config;

    @Parameters(index = "0", paramLabel = "DATABASE.TABLE")
    String name;

    @Option(names = "--json", description = "Print the stored definition as JSON.")
    boolean json;

    @Override
    public Integer call()
    {
        PrintWriter out = spec.commandLine().getOut();
        try (InletCatalog catalog = config.openCatalog()) {
            TableInfo info = catalog.getTable(TablePath.parse(name));
            if (json) {
                out.println(DescriptorCodec.encode(info.descriptor()));
                return ExitCodes.OK;
            }
            TableDescriptor d = info.descriptor();
            out.println("Table:        " + info.path() + " (id " + info.tableId() + ", schema " + info.schemaId() + ", version " + info.version() + ")");
            out.println("Kind:         " + (d.hasPrimaryKey() ? "primary-key table" : "log table"));
            d.comment().ifPresent(c -> out.println("Comment:      " + c));
            out.println("Columns:");
            TextTable columns = new TextTable("  #", "NAME", "TYPE", "NULL", "ROLE", "COMMENT");
            for (Column c : d.columns()) {
                columns.row("  " + c.id(), c.name(), c.type().toString(), c.nullable() ? "yes" : "no", role(d, c), c.comment().orElse(""));
            }
            columns.print(out);
            out.println("Primary key:  " + list(d.primaryKey()));
            out.println("Partitions:   " + list(d.partitionKeys()));
            out.println("Buckets:      " + d.bucketCount() + (d.effectiveBucketKey().isEmpty() ? " (no bucket key: rows spread over buckets)" : " by " + list(d.effectiveBucketKey())));
            out.println("Merge engine: " + mergeEngine(d.mergeEngine()));
            d.autoIncrementColumn().ifPresent(c -> out.println("Auto-incr.:   " + c));
            if (d.hasPrimaryKey()) {
                out.println("Changelog:    " + d.changelogMode().id() + (d.changelogMode() == ChangelogMode.FULL ? " (-U and +U)" : " (+U only)"));
            }
            out.println("Lake:         " + d.lakeFormat().id() + catalog.lakeLocation(info).map(l -> " at " + l).orElse("") + (d.lakeOptions().isEmpty() ? "" : " " + d.lakeOptions()));
            out.println("Freshness:    " + Durations.format(d.freshness()));
            out.println("Hot retention:" + " " + Durations.format(d.hotRetention()));
            List<TieredOffset> offsets = catalog.store().tieredOffsets(info.tableId());
            if (offsets.isEmpty()) {
                out.println("Tiered:       nothing yet");
            }
            else {
                out.println("Tiered:");
                TextTable tiered = new TextTable("  PARTITION", "BUCKET", "OFFSET", "LAKE SNAPSHOT", "AT");
                offsets.forEach(o -> tiered.row("  " + (o.partition().isEmpty() ? "-" : o.partition()), Integer.toString(o.bucket()), Long.toString(o.offset()),
                        Long.toString(o.lakeSnapshotId()), o.updatedAt().toString()));
                tiered.print(out);
            }
        }
        return ExitCodes.OK;
    }

    private static String role(TableDescriptor d, Column c)
    {
        List<String> roles = new java.util.ArrayList<>();
        if (d.primaryKey().contains(c.name())) {
            roles.add("key");
        }
        if (d.partitionKeys().contains(c.name())) {
            roles.add("partition");
        }
        if (d.effectiveBucketKey().contains(c.name())) {
            roles.add("bucket");
        }
        if (d.autoIncrementColumn().filter(c.name()::equals).isPresent()) {
            roles.add("auto-increment");
        }
        if (d.mergeEngine().versionColumn().filter(c.name()::equals).isPresent()) {
            roles.add("version");
        }
        if (d.mergeEngine().aggregations().containsKey(c.name())) {
            roles.add(d.mergeEngine().aggregations().get(c.name()).id());
        }
        return String.join(",", roles);
    }

    private static String list(List<String> names)
    {
        return names.isEmpty() ? "-" : String.join(", ", names);
    }

    private static String mergeEngine(MergeEngine engine)
    {
        return engine.kind().id() + engine.versionColumn().map(v -> " by " + v).orElse("");
    }
}
