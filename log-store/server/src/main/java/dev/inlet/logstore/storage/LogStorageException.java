/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.storage;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;

/**
 * The bucket log cannot be used: it is closed, or a write or fsync failed and left the files in a
 * state only recovery can sort out. After a failed fsync the page cache may have dropped the dirty
 * pages, so retrying the fsync proves nothing; the log stays offline until it is reopened, and
 * reopening recovers it from the bytes that did reach the disk.
 */
public class LogStorageException
        extends InletException
{
    public LogStorageException(String message)
    {
        super(InletErrorCode.SERVER_UNAVAILABLE, message);
    }

    public LogStorageException(String message, Throwable cause)
    {
        super(InletErrorCode.SERVER_UNAVAILABLE, message, cause);
    }
}
