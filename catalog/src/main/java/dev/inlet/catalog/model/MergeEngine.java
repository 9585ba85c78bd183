/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.model;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How a primary-key table combines a write with the row already stored for its key.
 *
 * @param kind the engine
 * @param versionColumn for {@link Kind#VERSIONED}: the column whose larger value wins
 * @param aggregations for {@link Kind#AGGREGATION}: the function per non-key column; columns not
 *     listed keep {@link AggregateFunction#LAST_VALUE}
 */
public record MergeEngine(Kind kind, Optional<String> versionColumn, Map<String, AggregateFunction> aggregations)
{
    public static final MergeEngine LAST_ROW = new MergeEngine(Kind.LAST_ROW, Optional.empty(), Map.of());
    public static final MergeEngine FIRST_ROW = new MergeEngine(Kind.FIRST_ROW, Optional.empty(), Map.of());

    public enum Kind
    {
        /** The newest write of a key replaces the stored row (the default). */
        LAST_ROW,
        /** The first write of a key is kept; later writes are ignored. */
        FIRST_ROW,
        /** A write replaces the stored row only if its version column is larger. */
        VERSIONED,
        /** Each column is folded with its aggregate function. */
        AGGREGATION;

        public static Kind parse(String text)
        {
            String normalized = text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
            try {
                return valueOf(normalized);
            }
            catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Unknown merge engine '" + text + "'; use last_row, first_row, versioned or aggregation", e);
            }
        }

        public String id()
        {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public MergeEngine
    {
        Objects.requireNonNull(kind, "kind is null");
        Objects.requireNonNull(versionColumn, "versionColumn is null");
        aggregations = Map.copyOf(Objects.requireNonNull(aggregations, "aggregations is null"));
        if (kind == Kind.VERSIONED && versionColumn.isEmpty()) {
            throw new IllegalArgumentException("the versioned merge engine needs a version column");
        }
        if (kind != Kind.VERSIONED && versionColumn.isPresent()) {
            throw new IllegalArgumentException("only the versioned merge engine takes a version column, not " + kind.id());
        }
        if (kind != Kind.AGGREGATION && !aggregations.isEmpty()) {
            throw new IllegalArgumentException("only the aggregation merge engine takes aggregate functions, not " + kind.id());
        }
    }

    public static MergeEngine versioned(String versionColumn)
    {
        return new MergeEngine(Kind.VERSIONED, Optional.of(versionColumn), Map.of());
    }

    public static MergeEngine aggregation(Map<String, AggregateFunction> aggregations)
    {
        return new MergeEngine(Kind.AGGREGATION, Optional.empty(), aggregations);
    }
}
