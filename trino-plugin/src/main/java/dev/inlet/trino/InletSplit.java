/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.trino;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.trino.spi.SplitWeight;
import io.trino.spi.connector.ConnectorSplit;

import static java.util.Objects.requireNonNull;

/**
 * A union-reader split in its serialized form ({@code SplitCodec}), with its weight (rows to
 * read, relative to a typical lake file) so that Trino spreads the work evenly.
 */
public final class InletSplit
        implements ConnectorSplit
{
    // a split of this many rows weighs 1.0
    private static final long STANDARD_ROWS = 100_000;

    private final String split;
    private final long rows;

    @JsonCreator
    public InletSplit(@JsonProperty("split") String split, @JsonProperty("rows") long rows)
    {
        this.split = requireNonNull(split, "split is null");
        this.rows = rows;
    }

    @JsonProperty
    public String getSplit()
    {
        return split;
    }

    @JsonProperty
    public long getRows()
    {
        return rows;
    }

    @Override
    public SplitWeight getSplitWeight()
    {
        return SplitWeight.fromProportion(Math.clamp((double) rows / STANDARD_ROWS, 0.01, 1.0));
    }

    @Override
    public long getRetainedSizeInBytes()
    {
        return 64L + split.length() * 2L;
    }
}
