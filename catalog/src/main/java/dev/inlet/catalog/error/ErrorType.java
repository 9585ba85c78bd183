/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.error;

/** Who has to act on an error. */
public enum ErrorType
{
    /** The request was wrong; retrying it unchanged fails again. */
    USER_ERROR,
    /** Someone else changed the same thing first; re-read and retry. */
    CONFLICT,
    /** A system Inlet depends on (S3, the catalog database) failed; retry later. */
    EXTERNAL,
    /** A bug or corrupt state inside Inlet. */
    INTERNAL,
}
