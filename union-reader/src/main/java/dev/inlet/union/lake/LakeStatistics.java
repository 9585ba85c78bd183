/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union.lake;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a lake snapshot's file metadata says of its rows, per column: how many are null, and the
 * smallest and largest value, where the format keeps them (Iceberg's column metrics, Paimon's
 * value statistics). Read from manifests only, no data file is opened. Estimates: a primary-key
 * table's files may hold rows a later file replaces, and bounds of long strings are truncated
 * (left out here).
 *
 * @param rows rows of the files the statistics cover
 */
public record LakeStatistics(long rows, Map<String, Column> columns)
{
    public LakeStatistics
    {
        columns = Map.copyOf(columns);
    }

    /**
     * @param nulls null values, or empty if a file did not record them
     * @param min the smallest value (the column type's Java value, see {@code ArrowValues}), or empty if unknown
     * @param max the largest value, or empty if unknown
     */
    public record Column(Optional<Long> nulls, Optional<Object> min, Optional<Object> max) {}

    /** Gathers the statistics of a snapshot file by file. */
    public static final class Builder
    {
        private long rows;
        private final Map<String, long[]> nulls = new HashMap<>();
        private final Map<String, Object> min = new HashMap<>();
        private final Map<String, Object> max = new HashMap<>();
        // columns some file had no null count, or no bounds, for
        private final Set<String> nullsUnknown = new HashSet<>();
        private final Set<String> boundsUnknown = new HashSet<>();
        private final List<String> names;

        public Builder(List<String> names)
        {
            this.names = List.copyOf(names);
        }

        /** Adds one file's rows. */
        public Builder rows(long fileRows)
        {
            rows += fileRows;
            return this;
        }

        /**
         * One file's statistics of a column: its null count and bounds, each null if the file does
         * not have it (a file of nulls only has no bounds, and narrows nothing).
         */
        public Builder column(String name, long fileRows, Long fileNulls, Object fileMin, Object fileMax)
        {
            if (fileNulls == null) {
                nullsUnknown.add(name);
            }
            else {
                nulls.computeIfAbsent(name, n -> new long[1])[0] += fileNulls;
            }
            if (fileMin == null || fileMax == null) {
                if (fileNulls == null || fileNulls != fileRows) {
                    boundsUnknown.add(name);
                }
                return this;
            }
            min.merge(name, fileMin, (a, b) -> compare(a, b) <= 0 ? a : b);
            max.merge(name, fileMax, (a, b) -> compare(a, b) >= 0 ? a : b);
            return this;
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private static int compare(Object a, Object b)
        {
            return ((Comparable) a).compareTo(b);
        }

        public LakeStatistics build()
        {
            Map<String, Column> columns = new HashMap<>();
            for (String name : names) {
                Optional<Long> n = nullsUnknown.contains(name) || !nulls.containsKey(name) ? Optional.empty() : Optional.of(nulls.get(name)[0]);
                boolean bounds = !boundsUnknown.contains(name) && min.containsKey(name);
                columns.put(name, new Column(n, bounds ? Optional.of(min.get(name)) : Optional.empty(), bounds ? Optional.of(max.get(name)) : Optional.empty()));
            }
            return new LakeStatistics(rows, columns);
        }
    }
}
