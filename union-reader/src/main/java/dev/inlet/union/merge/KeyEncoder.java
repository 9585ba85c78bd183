/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union.merge;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * Encodes a row's primary-key columns as bytes straight from its Arrow vectors: per column a null
 * flag, then the value's fixed-width bytes, or its length and bytes. Lake and hot batches carry the
 * same Arrow types for a column, so one key has one encoding whichever side it came from.
 */
final class KeyEncoder
{
    private final FieldVector[] vectors;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(32);
    private final byte[] scratch = new byte[16];

    KeyEncoder(VectorSchemaRoot root, List<String> keyColumns)
    {
        this.vectors = new FieldVector[keyColumns.size()];
        for (int i = 0; i < vectors.length; i++) {
            FieldVector v = root.getVector(keyColumns.get(i));
            if (v == null) {
                throw new IllegalArgumentException("batch lacks primary-key column '" + keyColumns.get(i) + "'");
            }
            vectors[i] = v;
        }
    }

    Key key(int row)
    {
        out.reset();
        for (FieldVector v : vectors) {
            if (v.isNull(row)) {
                out.write(0);
                continue;
            }
            out.write(1);
            switch (v) {
                case BitVector bits -> out.write(bits.get(row));
                case BaseFixedWidthVector fixed -> {
                    int width = fixed.getTypeWidth();
                    ArrowBuf data = fixed.getDataBuffer();
                    byte[] buffer = width <= scratch.length ? scratch : new byte[width];
                    data.getBytes((long) row * width, buffer, 0, width);
                    out.write(buffer, 0, width);
                }
                case BaseVariableWidthVector variable -> {
                    byte[] bytes = variable.get(row);
                    int n = bytes.length;
                    out.write(n >>> 24);
                    out.write(n >>> 16);
                    out.write(n >>> 8);
                    out.write(n);
                    out.write(bytes, 0, n);
                }
                default -> throw new IllegalArgumentException("primary-key column '" + v.getName() + "' has unsupported vector " + v.getClass().getSimpleName());
            }
        }
        return new Key(out.toByteArray());
    }
}
