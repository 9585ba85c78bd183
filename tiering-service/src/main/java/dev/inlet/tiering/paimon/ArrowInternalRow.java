/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering.paimon;

import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.paimon.data.BinaryString;
import org.apache.paimon.data.Blob;
import org.apache.paimon.data.Decimal;
import org.apache.paimon.data.InternalArray;
import org.apache.paimon.data.InternalMap;
import org.apache.paimon.data.InternalRow;
import org.apache.paimon.data.InternalVector;
import org.apache.paimon.data.Timestamp;
import org.apache.paimon.data.variant.Variant;
import org.apache.paimon.types.RowKind;

import java.util.List;

/**
 * A Paimon row that reads one row of Arrow vectors in place: the writer is handed a view, not a
 * row of objects per record (Paimon serializes it before the next {@link #at}). Field {@code i}
 * is the vector of the lake table's column {@code i}, or null (a column the batch lacks, e.g. one
 * added after the batch was written: null values).
 */
final class ArrowInternalRow
        implements InternalRow
{
    private final FieldVector[] fields;
    private int row;
    private RowKind kind = RowKind.INSERT;

    /** @param columns the lake table's columns, by name, in order */
    ArrowInternalRow(VectorSchemaRoot batch, List<String> columns)
    {
        this.fields = new FieldVector[columns.size()];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = batch.getVector(columns.get(i));
        }
    }

    /** Points the view at row {@code row} of the batch, as a row of {@code kind}. */
    ArrowInternalRow at(int row, RowKind kind)
    {
        this.row = row;
        this.kind = kind;
        return this;
    }

    @Override
    public int getFieldCount()
    {
        return fields.length;
    }

    @Override
    public RowKind getRowKind()
    {
        return kind;
    }

    @Override
    public void setRowKind(RowKind kind)
    {
        this.kind = kind;
    }

    @Override
    public boolean isNullAt(int pos)
    {
        return fields[pos] == null || fields[pos].isNull(row);
    }

    @Override
    public boolean getBoolean(int pos)
    {
        return ((BitVector) fields[pos]).get(row) != 0;
    }

    @Override
    public byte getByte(int pos)
    {
        return ((TinyIntVector) fields[pos]).get(row);
    }

    @Override
    public short getShort(int pos)
    {
        return ((SmallIntVector) fields[pos]).get(row);
    }

    @Override
    public int getInt(int pos)
    {
        // INT, and DATE as epoch days
        return fields[pos] instanceof DateDayVector date ? date.get(row) : ((IntVector) fields[pos]).get(row);
    }

    @Override
    public long getLong(int pos)
    {
        return ((BigIntVector) fields[pos]).get(row);
    }

    @Override
    public float getFloat(int pos)
    {
        return ((Float4Vector) fields[pos]).get(row);
    }

    @Override
    public double getDouble(int pos)
    {
        return ((Float8Vector) fields[pos]).get(row);
    }

    @Override
    public BinaryString getString(int pos)
    {
        return BinaryString.fromBytes(((VarCharVector) fields[pos]).get(row));
    }

    @Override
    public Decimal getDecimal(int pos, int precision, int scale)
    {
        return Decimal.fromBigDecimal(((DecimalVector) fields[pos]).getObject(row), precision, scale);
    }

    @Override
    public Timestamp getTimestamp(int pos, int precision)
    {
        TimeStampVector vector = (TimeStampVector) fields[pos];
        long value = vector.get(row);
        return switch (((ArrowType.Timestamp) vector.getField().getType()).getUnit()) {
            case SECOND -> Timestamp.fromEpochMillis(Math.multiplyExact(value, 1000L));
            case MILLISECOND -> Timestamp.fromEpochMillis(value);
            case MICROSECOND -> Timestamp.fromMicros(value);
            case NANOSECOND -> Timestamp.fromEpochMillis(Math.floorDiv(value, 1_000_000L), (int) Math.floorMod(value, 1_000_000L));
        };
    }

    @Override
    public byte[] getBinary(int pos)
    {
        return ((VarBinaryVector) fields[pos]).get(row);
    }

    @Override
    public Variant getVariant(int pos)
    {
        throw unsupported("VARIANT");
    }

    @Override
    public Blob getBlob(int pos)
    {
        throw unsupported("BLOB");
    }

    @Override
    public InternalArray getArray(int pos)
    {
        throw unsupported("ARRAY");
    }

    @Override
    public InternalVector getVector(int pos)
    {
        throw unsupported("VECTOR");
    }

    @Override
    public InternalMap getMap(int pos)
    {
        throw unsupported("MAP");
    }

    @Override
    public InternalRow getRow(int pos, int numFields)
    {
        throw unsupported("ROW");
    }

    // Inlet has none of these types: a lake table with one was not made by Inlet's catalog
    private static UnsupportedOperationException unsupported(String type)
    {
        return new UnsupportedOperationException("Inlet columns have no " + type + " type");
    }
}
