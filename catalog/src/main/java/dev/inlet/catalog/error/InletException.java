/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.error;

import static java.util.Objects.requireNonNull;

/**
 * The one exception type Inlet throws for a reported error. The message names what was wrong
 * (table, column, bucket, offset, key or file); the code says what kind of error it is and keeps
 * its meaning when the error crosses a process boundary.
 */
public class InletException
        extends RuntimeException
{
    private final InletErrorCode errorCode;

    public InletException(InletErrorCode errorCode, String message)
    {
        super(requireNonNull(message, "message is null"));
        this.errorCode = requireNonNull(errorCode, "errorCode is null");
    }

    public InletException(InletErrorCode errorCode, String message, Throwable cause)
    {
        super(requireNonNull(message, "message is null"), cause);
        this.errorCode = requireNonNull(errorCode, "errorCode is null");
    }

    public InletErrorCode errorCode()
    {
        return errorCode;
    }
}
