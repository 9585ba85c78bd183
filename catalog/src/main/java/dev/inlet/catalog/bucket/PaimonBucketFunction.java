/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.bucket;

import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.DataType;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Paimon 1.4's default bucket assignment for a fixed-bucket table ({@code bucket} = N,
 * {@code bucket-key} = the columns, {@code bucket-function.type} = {@code default}).
 *
 * <p>Paimon projects the record onto its bucket-key columns as a {@code BinaryRow}, hashes the
 * row's bytes, header and null bits included, with {@code MurmurHashUtils.hashBytesByWords} (seed
 * 42) and takes {@code Math.abs(hash % N)} ({@code DefaultBucketFunction}). This class builds the
 * same bytes ({@link PaimonBinaryRow}) and hash ({@link Murmur3#hashWords}) itself, so it needs no
 * Paimon classes.
 *
 * <p>Every Inlet type can be hashed, BOOLEAN, FLOAT and DOUBLE included, though Inlet refuses them
 * as bucket keys. Values are normalised first: see {@code BucketKeyValues}.
 */
public final class PaimonBucketFunction
        implements BucketFunction
{
    private final List<Column> columns;
    private final List<DataType> types;
    private final int bucketCount;

    /**
     * @param bucketKeyColumns the bucket-key columns, in bucket-key order
     * @param bucketCount Paimon's {@code bucket} option
     */
    public PaimonBucketFunction(List<Column> bucketKeyColumns, int bucketCount)
    {
        this.columns = List.copyOf(requireNonNull(bucketKeyColumns, "bucketKeyColumns is null"));
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("a bucket function needs at least one bucket-key column");
        }
        if (bucketCount < 1) {
            throw new IllegalArgumentException("bucketCount must be positive, got " + bucketCount);
        }
        this.types = columns.stream().map(Column::type).toList();
        this.bucketCount = bucketCount;
    }

    @Override
    public int bucket(Object[] bucketKeyValues)
    {
        requireNonNull(bucketKeyValues, "bucketKeyValues is null");
        BucketKeyValues.checkCount(columns, bucketKeyValues);
        Object[] values = new Object[bucketKeyValues.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = BucketKeyValues.normalize(columns.get(i), bucketKeyValues[i]);
        }
        return bucketOf(PaimonBinaryRow.toBytes(types, values), bucketCount);
    }

    /** Paimon's {@code DefaultBucketFunction} applied to the bytes of a bucket-key row. */
    static int bucketOf(byte[] binaryRow, int bucketCount)
    {
        int hash = Murmur3.hashWords(binaryRow, 0, binaryRow.length, Murmur3.PAIMON_SEED);
        // Paimon's own expression: abs of the remainder, not floorMod (the two differ for negative hashes)
        return Math.abs(hash % bucketCount);
    }

    @Override
    public int bucketCount()
    {
        return bucketCount;
    }

    @Override
    public String toString()
    {
        return "PaimonBucketFunction{columns=" + columns.stream().map(Column::toSql).toList() + ", bucketCount=" + bucketCount + "}";
    }
}
