/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.server;

/** Where an appended batch landed; {@code duplicate} if a retried batch was already there. */
record AppendOutcome(long baseOffset, long lastOffset, boolean duplicate) {}
