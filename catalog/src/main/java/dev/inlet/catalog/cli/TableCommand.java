/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.cli;

import picocli.CommandLine.Command;

/** {@code inlet table ...}: create, list, describe, alter and drop tables. */
@Command(name = "table",
        description = "Create, list, describe, alter and drop tables.",
        mixinStandardHelpOptions = true,
        subcommands = {
                TableCreateCommand.class,
                TableListCommand.class,
                TableDescribeCommand.class,
                TableAlterCommand.class,
                TableDropCommand.class,
        })
public final class TableCommand
        implements Runnable
{
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: create, list, describe, alter or drop");
    }
}
