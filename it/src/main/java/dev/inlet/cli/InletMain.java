/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.cli;

import dev.inlet.catalog.cli.CliErrors;
import dev.inlet.catalog.cli.DatabaseCommand;
import dev.inlet.catalog.cli.ExitCodes;
import dev.inlet.catalog.cli.TableCommand;
import dev.inlet.local.LocalCommand;
import dev.inlet.logstore.cli.LookupCommand;
import dev.inlet.logstore.cli.TailCommand;
import dev.inlet.logstore.cli.WriteCommand;
import dev.inlet.logstore.server.ServerCommand;
import dev.inlet.tiering.TieringCommand;
import dev.inlet.tiering.backfill.BackfillCommand;
import dev.inlet.union.cli.ScanCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code inlet} command. Each module contributes its own subcommands; this class only puts
 * them together. Exit codes are listed in {@link ExitCodes}.
 */
@Command(name = "inlet",
        description = "Inlet: streaming storage for real-time analytics. A hot store queryable within a second, tiered into Paimon and Iceberg on S3.",
        mixinStandardHelpOptions = true,
        versionProvider = InletMain.Version.class,
        subcommands = {
                LocalCommand.class,
                ServerCommand.class,
                TieringCommand.class,
                BackfillCommand.class,
                DatabaseCommand.class,
                TableCommand.class,
                WriteCommand.class,
                TailCommand.class,
                LookupCommand.class,
                ScanCommand.class,
                SqlCommand.class,
        },
        footer = {"", "Exit codes: 0 ok, 1 bad request, 2 bad command line, 3 conflict (retry), 4 S3 or catalog database failed (retry later), 70 internal error, 130 interrupted."})
public final class InletMain
        implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args)
    {
        System.exit(execute(args));
    }

    /** Runs a command line and returns the exit code (tests call this instead of {@link #main}). */
    public static int execute(String... args)
    {
        return commandLine().execute(args);
    }

    public static CommandLine commandLine()
    {
        CommandLine commandLine = new CommandLine(new InletMain());
        commandLine.setExecutionExceptionHandler(new CliErrors());
        commandLine.setParameterExceptionHandler((e, cmdArgs) -> {
            var err = e.getCommandLine().getErr();
            err.println("inlet: " + e.getMessage());
            err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more information.");
            return ExitCodes.USAGE;
        });
        return commandLine;
    }

    @Override
    public void run()
    {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version
            implements CommandLine.IVersionProvider
    {
        @Override
        public String[] getVersion()
        {
            String version = InletMain.class.getPackage().getImplementationVersion();
            return new String[] {"inlet " + (version == null ? "development build" : version), "Java " + Runtime.version()};
        }
    }
}
