/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.cli;

import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.model.TablePath;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.concurrent.Callable;

@Command(name = "drop", description = "Drop a table, its hot data and its lake table with the lake files.", mixinStandardHelpOptions = true)
public final class TableDropCommand
        implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigMixin config;

    @Parameters(index = "0", paramLabel = "DATABASE.TABLE")
    String name;

    @Option(names = "--if-exists", description = "Succeed if the table does not exist.")
    boolean ifExists;

    @Override
    public Integer call()
    {
        TablePath path = TablePath.parse(name);
        try (InletCatalog catalog = config.openCatalog()) {
            boolean dropped = catalog.dropTable(path, ifExists);
            spec.commandLine().getOut().println(dropped ? "Dropped table " + path : "Table " + path + " does not exist");
        }
        return ExitCodes.OK;
    }
}
