/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.cli;

import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.config.Durations;
import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.ColumnListParser;
import dev.inlet.catalog.model.TableInfo;
import dev.inlet.catalog.model.TablePath;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "alter", description = "Add a nullable column at the end (it reaches the lake table too), or change freshness, hot retention or the comment.",
        mixinStandardHelpOptions = true,
        footer = {"", "Examples:", "  inlet table alter shop.orders --add-column \"note STRING COMMENT 'free text'\"", "  inlet table alter shop.orders --freshness 30s"})
public final class TableAlterCommand
        implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigMixin config;

    @Parameters(index = "0", paramLabel = "DATABASE.TABLE")
    String name;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Change change;

    static final class Change
    {
        @Option(names = "--add-column", paramLabel = "\"NAME TYPE [COMMENT 'text']\"", description = "Add a nullable column at the end.")
        String addColumn;

        @Option(names = "--freshness", paramLabel = "DURATION", description = "New freshness, e.g. 30s.")
        String freshness;

        @Option(names = "--hot-retention", paramLabel = "DURATION", description = "New hot retention, e.g. 1d.")
        String hotRetention;

        @Option(names = "--comment", description = "New table comment.")
        String comment;
    }

    @Override
    public Integer call()
    {
        PrintWriter out = spec.commandLine().getOut();
        TablePath path = TablePath.parse(name);
        try (InletCatalog catalog = config.openCatalog()) {
            TableInfo updated;
            if (change.addColumn != null) {
                Column column = ColumnListParser.parseOne(path.toString(), change.addColumn, 1);
                updated = catalog.addColumn(path, column.name(), column.type(), column.nullable(), column.comment());
                out.println("Added column " + column.toSql() + " to " + path + " (schema " + updated.schemaId() + ")");
            }
            else if (change.freshness != null) {
                var value = Durations.parse(change.freshness);
                updated = catalog.alterProperties(path, d -> d.toBuilder().freshness(value).build());
                out.println("Freshness of " + path + " is now " + Durations.format(updated.descriptor().freshness()));
            }
            else if (change.hotRetention != null) {
                var value = Durations.parse(change.hotRetention);
                updated = catalog.alterProperties(path, d -> d.toBuilder().hotRetention(value).build());
                out.println("Hot retention of " + path + " is now " + Durations.format(updated.descriptor().hotRetention()));
            }
            else {
                updated = catalog.alterProperties(path, d -> d.toBuilder().comment(change.comment).build());
                out.println("Comment of " + path + " changed");
            }
        }
        return ExitCodes.OK;
    }
}
