/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process run of the {@code inlet} command line: exit code, stdout and stderr. */
record CliRun(int exitCode, String out, String err)
{
    static CliRun of(String... args)
    {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var commandLine = InletMain.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int code = commandLine.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
