/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.cli;

import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.model.TableInfo;
import dev.inlet.catalog.model.TablePath;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "list", description = "List tables, of one database or of all.", mixinStandardHelpOptions = true)
public final class TableListCommand
        implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigMixin config;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DATABASE", description = "Only this database's tables.")
    String database;

    @Override
    public Integer call()
    {
        PrintWriter out = spec.commandLine().getOut();
        try (InletCatalog catalog = config.openCatalog()) {
            List<String> databases = database == null ? catalog.listDatabases() : List.of(database);
            TextTable table = new TextTable("TABLE", "KIND", "BUCKETS", "LAKE", "COLUMNS");
            for (String db : databases) {
                for (TablePath path : catalog.listTables(db)) {
                    TableInfo info = catalog.getTable(path);
                    var d = info.descriptor();
                    table.row(path.toString(), d.hasPrimaryKey() ? "primary-key" : "log", Integer.toString(d.bucketCount()), d.lakeFormat().id(),
                            Integer.toString(d.columns().size()));
                }
            }
            if (table.isEmpty()) {
                out.println(database == null ? "No tables." : "No tables in database " + database + ".");
            }
            else {
                table.print(out);
            }
        }
        return ExitCodes.OK;
    }
}
