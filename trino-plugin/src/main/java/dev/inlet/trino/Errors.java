/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.trino;

import dev.inlet.catalog.error.InletException;
import io.trino.spi.ErrorCodeSupplier;
import io.trino.spi.StandardErrorCode;
import io.trino.spi.TrinoException;

/** Inlet errors as Trino errors: the message (which names the table and column) is kept; the code says what kind. */
final class Errors
{
    private Errors() {}

    static TrinoException toTrino(InletException e)
    {
        ErrorCodeSupplier code = switch (e.errorCode()) {
            case TABLE_ALREADY_EXISTS, DATABASE_ALREADY_EXISTS -> StandardErrorCode.ALREADY_EXISTS;
            case TABLE_NOT_FOUND -> StandardErrorCode.TABLE_NOT_FOUND;
            case DATABASE_NOT_FOUND -> StandardErrorCode.SCHEMA_NOT_FOUND;
            case DATABASE_NOT_EMPTY -> StandardErrorCode.SCHEMA_NOT_EMPTY;
            case INVALID_TABLE_DEFINITION, INVALID_NAME -> StandardErrorCode.INVALID_TABLE_PROPERTY;
            case INVALID_SCHEMA_CHANGE, INVALID_ROW, INVALID_WRITE, INVALID_SCAN, BATCH_SCHEMA_MISMATCH -> StandardErrorCode.INVALID_ARGUMENTS;
            default -> switch (e.errorCode().type()) {
                case USER_ERROR -> StandardErrorCode.GENERIC_USER_ERROR;
                case CONFLICT -> StandardErrorCode.TRANSACTION_CONFLICT;
                case EXTERNAL, INTERNAL -> StandardErrorCode.GENERIC_INTERNAL_ERROR;
            };
        };
        return new TrinoException(code, e.getMessage() + " [" + e.errorCode() + "]", e);
    }
}
