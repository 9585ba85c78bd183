/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.cli;

import dev.inlet.catalog.InletCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.concurrent.Callable;

/** {@code inlet database ...}: create, list and drop databases. */
@Command(name = "database", description = "Create, list and drop databases.", mixinStandardHelpOptions = true,
        subcommands = {DatabaseCommand.Create.class, DatabaseCommand.ListDatabases.class, DatabaseCommand.Drop.class})
public final class DatabaseCommand
        implements Runnable
{
    @Spec
    CommandSpec spec;

    @Override
    public void run()
    {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: create, list or drop");
    }

    @Command(name = "create", description = "Create a database.", mixinStandardHelpOptions = true)
    static final class Create
            implements Callable<Integer>
    {
        @Spec
        CommandSpec spec;

        @Mixin
        ConfigMixin config;

        @Parameters(index = "0", paramLabel = "DATABASE")
        String name;

        @Option(names = "--if-not-exists", description = "Succeed if it exists.")
        boolean ifNotExists;

        @Override
        public Integer call()
        {
            try (InletCatalog catalog = config.openCatalog()) {
                boolean created = catalog.createDatabase(name, ifNotExists);
                spec.commandLine().getOut().println(created ? "Created database " + name.toLowerCase(java.util.Locale.ROOT) : "Database " + name + " exists");
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", description = "List databases.", mixinStandardHelpOptions = true)
    static final class ListDatabases
            implements Callable<Integer>
    {
        @Spec
        CommandSpec spec;

        @Mixin
        ConfigMixin config;

        @Override
        public Integer call()
        {
            try (InletCatalog catalog = config.openCatalog()) {
                catalog.listDatabases().forEach(spec.commandLine().getOut()::println);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "drop", description = "Drop a database; with --cascade, its tables first.", mixinStandardHelpOptions = true)
    static final class Drop
            implements Callable<Integer>
    {
        @Spec
        CommandSpec spec;

        @Mixin
        ConfigMixin config;

        @Parameters(index = "0", paramLabel = "DATABASE")
        String name;

        @Option(names = "--cascade", description = "Drop its tables (and their lake tables) too.")
        boolean cascade;

        @Option(names = "--if-exists", description = "Succeed if it does not exist.")
        boolean ifExists;

        @Override
        public Integer call()
        {
            try (InletCatalog catalog = config.openCatalog()) {
                boolean dropped = catalog.dropDatabase(name, ifExists, cascade);
                spec.commandLine().getOut().println(dropped ? "Dropped database " + name : "Database " + name + " does not exist");
            }
            return ExitCodes.OK;
        }
    }
}
