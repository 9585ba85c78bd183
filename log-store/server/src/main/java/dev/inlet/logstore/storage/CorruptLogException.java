/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.storage;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;

/**
 * Bytes on disk are not what the log wrote: a CRC mismatch, an impossible header, a batch whose
 * offset does not follow its predecessor. The message names the file and the byte position. Torn
 * writes at the tail of the active segment are not reported this way; recovery cuts them off.
 */
public class CorruptLogException
        extends InletException
{
    public CorruptLogException(String message)
    {
        super(InletErrorCode.CORRUPT_LOG, message);
    }

    public CorruptLogException(String message, Throwable cause)
    {
        super(InletErrorCode.CORRUPT_LOG, message, cause);
    }
}
