/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union.plan;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.List;

/**
 * A unit of a scan plan, read on its own (on any machine: {@link SplitCodec} gives its serialized
 * form). The rows of a plan are the union of its splits' rows; no two splits return a row twice.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Split.Lake.class, name = "lake"),
        @JsonSubTypes.Type(value = Split.Hot.class, name = "hot"),
        @JsonSubTypes.Type(value = Split.Merge.class, name = "merge"),
        @JsonSubTypes.Type(value = Split.Lookup.class, name = "lookup")})
public sealed interface Split
{
    TableScan scan();

    /** The work it stands for, for weighting splits: rows to read. */
    long weight();

    /** A piece of a log table's lake snapshot. */
    record Lake(TableScan scan, LakeTask task)
            implements Split
    {
        @Override
        public long weight()
        {
            return task.rows();
        }
    }

    /** A log table's hot rows of one bucket that the lake snapshot does not hold. */
    record Hot(TableScan scan, HotRange range)
            implements Split
    {
        @Override
        public long weight()
        {
            return range.rows();
        }
    }

    /**
     * A primary-key table's rows of one bucket (or of one partition, if its lake files do not keep
     * buckets apart): the lake rows whose key the hot tail does not touch, then each key's final
     * state in the tail.
     *
     * @param bucket the bucket, or -1 for every bucket of the partition
     */
    record Merge(TableScan scan, String partition, int bucket, List<LakeTask> lake, List<HotRange> hot)
            implements Split
    {
        public Merge
        {
            lake = List.copyOf(lake);
            hot = List.copyOf(hot);
        }

        @Override
        public long weight()
        {
            return lake.stream().mapToLong(LakeTask::rows).sum() + hot.stream().mapToLong(HotRange::rows).sum();
        }
    }

    /**
     * A primary-key table read by point lookups in the hot store: the filter fixes every key
     * column, so the current row of each key is the answer (the hot store holds every key's
     * current state; no lake file is read).
     *
     * @param keys each key's values as text, in primary-key order
     */
    record Lookup(TableScan scan, List<List<String>> keys)
            implements Split
    {
        public Lookup
        {
            keys = keys.stream().map(List::copyOf).toList();
        }

        @Override
        public long weight()
        {
            return keys.size();
        }
    }
}
