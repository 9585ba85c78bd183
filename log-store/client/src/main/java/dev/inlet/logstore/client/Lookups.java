/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.client;

import dev.inlet.catalog.model.Column;
import dev.inlet.logstore.arrow.ArrowIpc;
import dev.inlet.logstore.arrow.ArrowSchemas;
import dev.inlet.logstore.arrow.ArrowValues;
import dev.inlet.logstore.protocol.Actions;
import dev.inlet.logstore.protocol.LookupMessages;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The client side of the {@code lookup} action ({@link LookupMessages}). */
final class Lookups
{
    private Lookups() {}

    static List<Object[]> point(InletClient client, TableHandle table, List<Object[]> keys, boolean insertIfAbsent)
    {
        List<Object[]> answer = new ArrayList<>(Arrays.asList(new Object[keys.size()][]));
        request(client, table, keys, false, insertIfAbsent, (index, row) -> answer.set(index, row));
        return answer;
    }

    static List<List<Object[]>> prefix(InletClient client, TableHandle table, List<Object[]> prefixes)
    {
        List<List<Object[]>> answer = new ArrayList<>();
        prefixes.forEach(p -> answer.add(new ArrayList<>()));
        request(client, table, prefixes, true, false, (index, row) -> answer.get(index).add(row));
        return answer;
    }

    private interface RowSink
    {
        void accept(int keyIndex, Object[] row);
    }

    private static void request(InletClient client, TableHandle table, List<Object[]> keys, boolean prefix, boolean insertIfAbsent, RowSink sink)
    {
        List<Column> keyColumns = LookupMessages.keyColumns(table.descriptor(), prefix);
        ByteBuffer keyBatch;
        try (VectorSchemaRoot root = ArrowValues.allocate(ArrowSchemas.toArrowSchema(keyColumns), keys.size(), client.allocator())) {
            List<FieldVector> vectors = root.getFieldVectors();
            for (int r = 0; r < keys.size(); r++) {
                Object[] key = keys.get(r);
                if (key.length != keyColumns.size()) {
                    throw new IllegalArgumentException("lookup key " + r + " of " + table.path() + " has " + key.length + " values; expected the columns "
                            + keyColumns.stream().map(Column::name).toList());
                }
                for (int c = 0; c < key.length; c++) {
                    ArrowValues.set(vectors.get(c), r, key[c]);
                }
            }
            root.setRowCount(keys.size());
            keyBatch = ArrowIpc.serialize(root);
        }
        LookupMessages.Header header = new LookupMessages.Header(LookupMessages.Header.VERSION, table.path().toString(), prefix, insertIfAbsent, table.schemaId());
        byte[] result = client.binaryAction(Actions.LOOKUP, LookupMessages.encodeRequest(header, keyBatch));
        int columns = table.descriptor().columns().size();
        try (VectorSchemaRoot rows = ArrowIpc.load(LookupMessages.resultSchema(table.descriptor()), ByteBuffer.wrap(result), client.allocator())) {
            List<FieldVector> vectors = rows.getFieldVectors();
            IntVector index = (IntVector) vectors.get(columns);
            for (int r = 0; r < rows.getRowCount(); r++) {
                Object[] row = new Object[columns];
                for (int c = 0; c < columns; c++) {
                    row[c] = ArrowValues.get(vectors.get(c), r);
                }
                sink.accept(index.get(r), row);
            }
        }
    }
}
