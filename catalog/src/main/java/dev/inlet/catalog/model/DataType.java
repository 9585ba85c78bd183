/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.model;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A column type: a {@link TypeRoot} plus precision and scale where the root takes them.
 * Nullability belongs to the {@link Column}, not to the type.
 *
 * <p>Immutable. {@link #toString()} gives the SQL spelling that {@link #parse(String)} reads back,
 * e.g. {@code DECIMAL(12,2)} or {@code TIMESTAMP(3)}.
 */
public record DataType(TypeRoot root, int precision, int scale)
{
    public static final int MAX_DECIMAL_PRECISION = 38;
    public static final int MAX_TIMESTAMP_PRECISION = 9;
    public static final int DEFAULT_TIMESTAMP_PRECISION = 6;

    private static final Pattern SQL = Pattern.compile(
            "\\s*([A-Za-z_]+(?:\\s+[A-Za-z_]+)*?)\\s*(?:\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\))?\\s*");

    public DataType
    {
        Objects.requireNonNull(root, "root is null");
        switch (root) {
            case DECIMAL -> {
                if (precision < 1 || precision > MAX_DECIMAL_PRECISION) {
                    throw new IllegalArgumentException("DECIMAL precision must be between 1 and 38, got " + precision);
                }
                if (scale < 0 || scale > precision) {
                    throw new IllegalArgumentException("DECIMAL scale must be between 0 and the precision " + precision + ", got " + scale);
                }
            }
            case TIMESTAMP, TIMESTAMP_LTZ -> {
                if (precision < 0 || precision > MAX_TIMESTAMP_PRECISION) {
                    throw new IllegalArgumentException(root.name() + " precision must be between 0 and 9, got " + precision);
                }
                if (scale != 0) {
                    throw new IllegalArgumentException(root.name() + " takes no scale");
                }
            }
            default -> {
                if (precision != 0 || scale != 0) {
                    throw new IllegalArgumentException(root.name() + " takes no precision or scale");
                }
            }
        }
    }

    public static DataType of(TypeRoot root)
    {
        return new DataType(root, 0, 0);
    }

    public static DataType booleanType() { return of(TypeRoot.BOOLEAN); }

    public static DataType tinyint() { return of(TypeRoot.TINYINT); }

    public static DataType smallint() { return of(TypeRoot.SMALLINT); }

    public static DataType integer() { return of(TypeRoot.INT); }

    public static DataType bigint() { return of(TypeRoot.BIGINT); }

    public static DataType floatType() { return of(TypeRoot.FLOAT); }

    public static DataType doubleType() { return of(TypeRoot.DOUBLE); }

    public static DataType string() { return of(TypeRoot.STRING); }

    public static DataType bytes() { return of(TypeRoot.BYTES); }

    public static DataType date() { return of(TypeRoot.DATE); }

    public static DataType decimal(int precision, int scale)
    {
        return new DataType(TypeRoot.DECIMAL, precision, scale);
    }

    public static DataType timestamp(int precision)
    {
        return new DataType(TypeRoot.TIMESTAMP, precision, 0);
    }

    public static DataType timestampLtz(int precision)
    {
        return new DataType(TypeRoot.TIMESTAMP_LTZ, precision, 0);
    }

    /**
     * Reads a type's SQL spelling. Accepts the usual synonyms ({@code INTEGER}, {@code VARCHAR},
     * {@code TEXT}, {@code VARBINARY}, {@code REAL}, {@code TIMESTAMP WITH LOCAL TIME ZONE}, ...).
     *
     * @throws IllegalArgumentException naming the text that is not a type
     */
    public static DataType parse(String text)
    {
        Objects.requireNonNull(text, "text is null");
        Matcher m = SQL.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("Not a type: '" + text.strip() + "'");
        }
        String name = m.group(1).toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
        Integer p = m.group(2) == null ? null : Integer.valueOf(m.group(2));
        Integer s = m.group(3) == null ? null : Integer.valueOf(m.group(3));
        TypeRoot root = switch (name) {
            case "BOOLEAN", "BOOL" -> TypeRoot.BOOLEAN;
            case "TINYINT" -> TypeRoot.TINYINT;
            case "SMALLINT" -> TypeRoot.SMALLINT;
            case "INT", "INTEGER" -> TypeRoot.INT;
            case "BIGINT" -> TypeRoot.BIGINT;
            case "FLOAT", "REAL" -> TypeRoot.FLOAT;
            case "DOUBLE", "DOUBLE PRECISION" -> TypeRoot.DOUBLE;
            case "DECIMAL", "NUMERIC" -> TypeRoot.DECIMAL;
            case "STRING", "VARCHAR", "TEXT" -> TypeRoot.STRING;
            case "BYTES", "VARBINARY", "BINARY" -> TypeRoot.BYTES;
            case "DATE" -> TypeRoot.DATE;
            case "TIMESTAMP", "TIMESTAMP WITHOUT TIME ZONE" -> TypeRoot.TIMESTAMP;
            case "TIMESTAMP_LTZ", "TIMESTAMP WITH LOCAL TIME ZONE", "TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE" -> TypeRoot.TIMESTAMP_LTZ;
            default -> throw new IllegalArgumentException("Unknown type '" + text.strip() + "'; known types: BOOLEAN, TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE, DECIMAL(p,s), STRING, BYTES, DATE, TIMESTAMP(p), TIMESTAMP_LTZ(p)");
        };
        // VARCHAR(n) is accepted and widened: Inlet strings carry no length limit.
        if (root == TypeRoot.STRING || root == TypeRoot.BYTES) {
            return of(root);
        }
        return switch (root) {
            case DECIMAL -> decimal(p == null ? MAX_DECIMAL_PRECISION : p, s == null ? 0 : s);
            case TIMESTAMP, TIMESTAMP_LTZ -> {
                if (s != null) {
                    throw new IllegalArgumentException(root.name() + " takes no scale: '" + text.strip() + "'");
                }
                yield new DataType(root, p == null ? DEFAULT_TIMESTAMP_PRECISION : p, 0);
            }
            default -> {
                if (p != null) {
                    throw new IllegalArgumentException(root.name() + " takes no precision: '" + text.strip() + "'");
                }
                yield of(root);
            }
        };
    }

    @Override
    public String toString()
    {
        return switch (root) {
            case DECIMAL -> "DECIMAL(" + precision + "," + scale + ")";
            case TIMESTAMP, TIMESTAMP_LTZ -> root.name() + "(" + precision + ")";
            default -> root.name();
        };
    }
}
