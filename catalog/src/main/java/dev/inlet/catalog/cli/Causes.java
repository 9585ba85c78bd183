/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.cli;

/** Looking through an exception's causes, for commands that turn a known cause into a fix-it message. */
public final class Causes
{
    private Causes() {}

    /** Whether {@code t} or one of its causes is a {@code type}. */
    public static boolean has(Throwable t, Class<? extends Throwable> type)
    {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
