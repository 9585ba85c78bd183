/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.cli;

import dev.inlet.catalog.error.InletException;
import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * Turns an exception from a command into one line on stderr and an exit code from
 * {@link ExitCodes}. The stack trace is printed only with {@code --verbose} (or for a bug).
 */
public final class CliErrors
        implements CommandLine.IExecutionExceptionHandler
{
    @Override
    public int handleExecutionException(Exception e, CommandLine command, CommandLine.ParseResult parseResult)
    {
        PrintWriter err = command.getErr();
        boolean verbose = parseResult.originalArgs().contains("--verbose") || parseResult.originalArgs().contains("-v");
        Throwable cause = e;
        if (cause instanceof InletException inlet) {
            err.println("inlet: error: " + inlet.getMessage() + " [" + inlet.errorCode() + "]");
            if (verbose) {
                e.printStackTrace(err);
            }
            err.flush();
            return ExitCodes.of(inlet);
        }
        if (cause instanceof IllegalArgumentException) {
            err.println("inlet: error: " + cause.getMessage());
            if (verbose) {
                e.printStackTrace(err);
            }
            err.flush();
            return ExitCodes.USER_ERROR;
        }
        err.println("inlet: internal error: " + e + " (this is a bug; the stack trace follows)");
        e.printStackTrace(err);
        err.flush();
        return ExitCodes.INTERNAL;
    }
}
