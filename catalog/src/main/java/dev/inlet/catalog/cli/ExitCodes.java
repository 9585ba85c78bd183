/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.cli;

import dev.inlet.catalog.error.InletException;

/**
 * What {@code inlet}'s exit status means. Scripts can tell "fix your input" from "try again".
 */
public final class ExitCodes
{
    public static final int OK = 0;
    /** The request was wrong: unknown table, invalid definition, bad value. Retrying unchanged fails again. */
    public static final int USER_ERROR = 1;
    /** The command line itself was wrong (unknown option, missing argument). */
    public static final int USAGE = 2;
    /** Someone else changed the same thing first; re-read and retry. */
    public static final int CONFLICT = 3;
    /** S3, the catalog database or another service failed or could not be reached; retry later. */
    public static final int EXTERNAL = 4;
    /** Stopped by a signal before finishing (SIGINT/SIGTERM), after cleaning up. */
    public static final int INTERRUPTED = 130;
    /** A bug in Inlet. */
    public static final int INTERNAL = 70;

    private ExitCodes() {}

    public static int of(InletException e)
    {
        return switch (e.errorCode().type()) {
            case USER_ERROR -> USER_ERROR;
            case CONFLICT -> CONFLICT;
            case EXTERNAL -> EXTERNAL;
            case INTERNAL -> INTERNAL;
        };
    }
}
