/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering;

/** Called as a round reaches each {@link RoundPoint}; a test hook may throw to crash the round there. */
@FunctionalInterface
public interface RoundHooks
{
    RoundHooks NONE = (point, table) -> {};

    void reached(RoundPoint point, String table);
}
