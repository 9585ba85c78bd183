/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.arrow;

/**
 * An Arrow IPC message that is truncated, corrupt, or of a kind Inlet does not handle. The message
 * says what is wrong. Who passed the message decides what it means: on append it is the writer's
 * error, on a read from storage it is corruption.
 */
public class InvalidIpcMessageException
        extends IllegalArgumentException
{
    public InvalidIpcMessageException(String message)
    {
        super(message);
    }

    public InvalidIpcMessageException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
