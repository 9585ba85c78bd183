/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.storage;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;

/**
 * A batch's payload is larger than the configured maximum ({@link LogConfig#maxBatchBytes()}). Nothing was
 * written; the writer has to split the batch.
 */
public class RecordBatchTooLargeException
        extends InletException
{
    public RecordBatchTooLargeException(String message)
    {
        super(InletErrorCode.BATCH_TOO_LARGE, message);
    }
}
