/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.error;

/**
 * Every error Inlet reports, with a fixed number. Numbers are never reused: a retired code stays
 * here as a comment. Ranges: 1xxx table model and catalog, 2xxx hot store, 3xxx tiering,
 * 4xxx union read, 5xxx connector, 6xxx backfill, 9xxx configuration.
 */
public enum InletErrorCode
{
    DATABASE_NOT_FOUND(1001, ErrorType.USER_ERROR),
    DATABASE_ALREADY_EXISTS(1002, ErrorType.USER_ERROR),
    DATABASE_NOT_EMPTY(1003, ErrorType.USER_ERROR),
    TABLE_NOT_FOUND(1004, ErrorType.USER_ERROR),
    TABLE_ALREADY_EXISTS(1005, ErrorType.USER_ERROR),
    INVALID_TABLE_DEFINITION(1006, ErrorType.USER_ERROR),
    INVALID_NAME(1007, ErrorType.USER_ERROR),
    INVALID_SCHEMA_CHANGE(1008, ErrorType.USER_ERROR),
    CONCURRENT_MODIFICATION(1009, ErrorType.CONFLICT),
    CATALOG_STORE_FAILURE(1010, ErrorType.EXTERNAL),
    CATALOG_SCHEMA_TOO_NEW(1011, ErrorType.USER_ERROR),
    LAKE_FAILURE(1012, ErrorType.EXTERNAL),
    LAKE_TABLE_MISMATCH(1013, ErrorType.USER_ERROR),

    BATCH_SCHEMA_MISMATCH(2001, ErrorType.USER_ERROR),
    OFFSET_OUT_OF_RANGE(2002, ErrorType.USER_ERROR),
    BATCH_TOO_LARGE(2003, ErrorType.USER_ERROR),
    MALFORMED_REQUEST(2004, ErrorType.USER_ERROR),
    OUT_OF_ORDER_SEQUENCE(2005, ErrorType.USER_ERROR),
    WRONG_BUCKET(2006, ErrorType.USER_ERROR),
    WRONG_PARTITION(2007, ErrorType.USER_ERROR),
    UNAUTHENTICATED(2008, ErrorType.USER_ERROR),
    PARTITION_NOT_FOUND(2009, ErrorType.USER_ERROR),
    CORRUPT_LOG(2010, ErrorType.INTERNAL),
    SERVER_UNAVAILABLE(2011, ErrorType.EXTERNAL),
    INVALID_ROW(2012, ErrorType.USER_ERROR),
    INVALID_WRITE(2013, ErrorType.USER_ERROR),

    /** A tiering process lost the table's lease, or another committed to the lake meanwhile. */
    TIERING_FENCED(3001, ErrorType.CONFLICT),

    /** A scan names a column the table lacks, or a filter value of the wrong type. */
    INVALID_SCAN(4001, ErrorType.USER_ERROR),
    /** The data a scan plan points at is gone (lake snapshot expired, hot data deleted): plan again. */
    SCAN_PLAN_STALE(4002, ErrorType.CONFLICT),

    /** A backfill's source cannot be listed or is not what the command said (no such folder, unknown format). */
    BACKFILL_INVALID_SOURCE(6001, ErrorType.USER_ERROR),
    /** A backfill's file has a bad row, a value its column cannot take, or is corrupt. */
    BACKFILL_INVALID_INPUT(6002, ErrorType.USER_ERROR),
    /** A file loaded by an earlier backfill has changed since (another size). */
    BACKFILL_SOURCE_CHANGED(6003, ErrorType.USER_ERROR),
    /** The tiering lease was not handed to a backfill in time, or was lost while it committed. */
    BACKFILL_LEASE_UNAVAILABLE(6004, ErrorType.CONFLICT),
    /** An overwrite of a partition whose hot rows are not all tiered yet (they would come back after it). */
    BACKFILL_PARTITION_NOT_TIERED(6005, ErrorType.CONFLICT),

    INVALID_CONFIGURATION(9001, ErrorType.USER_ERROR);

    private final int code;
    private final ErrorType type;

    InletErrorCode(int code, ErrorType type)
    {
        this.code = code;
        this.type = type;
    }

    public int code()
    {
        return code;
    }

    public ErrorType type()
    {
        return type;
    }
}
