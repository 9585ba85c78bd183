/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.model;

/**
 * The kinds of column type an Inlet table can hold.
 *
 * <p>Each kind has one Java value class, used wherever Inlet code passes single values around
 * (bucket functions, lookups, the CLI): see {@link #javaClass()}.
 */
public enum TypeRoot
{
    BOOLEAN(Boolean.class),
    TINYINT(Byte.class),
    SMALLINT(Short.class),
    INT(Integer.class),
    BIGINT(Long.class),
    FLOAT(Float.class),
    DOUBLE(Double.class),
    /** {@link java.math.BigDecimal} with exactly the column's scale. */
    DECIMAL(java.math.BigDecimal.class),
    STRING(String.class),
    BYTES(byte[].class),
    DATE(java.time.LocalDate.class),
    /** A wall-clock timestamp without time zone. */
    TIMESTAMP(java.time.LocalDateTime.class),
    /** An instant on the time line, shown in the session's time zone. */
    TIMESTAMP_LTZ(java.time.Instant.class);

    private final Class<?> javaClass;

    TypeRoot(Class<?> javaClass)
    {
        this.javaClass = javaClass;
    }

    /** The class of a non-null value of this type. */
    public Class<?> javaClass()
    {
        return javaClass;
    }

    public boolean isIntegral()
    {
        return this == TINYINT || this == SMALLINT || this == INT || this == BIGINT;
    }
}
