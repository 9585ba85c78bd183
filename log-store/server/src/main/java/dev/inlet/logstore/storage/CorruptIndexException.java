/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.storage;

/**
 * An offset or time index does not match its segment. Indexes are derived data: the loader
 * answers this by rebuilding the index from the {@code .log} file.
 */
public class CorruptIndexException
        extends CorruptLogException
{
    public CorruptIndexException(String message)
    {
        super(message);
    }
}
