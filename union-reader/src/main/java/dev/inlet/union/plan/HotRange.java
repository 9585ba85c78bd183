/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union.plan;

import static java.util.Objects.requireNonNull;

/** Rows {@code [from, to)} of one bucket's log in the hot store: the part of the bucket the lake does not hold yet. */
public record HotRange(String partition, int bucket, long from, long to)
{
    public HotRange
    {
        requireNonNull(partition, "partition is null");
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("bad range [" + from + ", " + to + ") of bucket " + bucket);
        }
    }

    public long rows()
    {
        return to - from;
    }
}
