/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.testing;

import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.lake.iceberg.IcebergLakeBridge;
import dev.inlet.catalog.lake.paimon.PaimonLakeBridge;
import dev.inlet.catalog.model.LakeFormat;
import dev.inlet.catalog.model.TablePath;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.paimon.data.InternalRow;
import org.apache.paimon.reader.RecordReader;
import org.apache.paimon.table.Table;
import org.apache.paimon.table.source.ReadBuilder;
import org.apache.paimon.types.DataField;
import org.apache.paimon.types.RowType;

import java.io.IOException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Every row of an Inlet table's lake table, read by the lake format's own library (Paimon's
 * reader; Iceberg's generic reader, deletes applied), as Java values in column order: what tests
 * compare with the rows they wrote.
 */
public final class LakeRows
{
    private LakeRows() {}

    public static List<List<Object>> read(InletCatalog catalog, TablePath path)
            throws IOException
    {
        return switch (catalog.getTable(path).descriptor().lakeFormat()) {
            case PAIMON -> paimon(((PaimonLakeBridge) catalog.bridge(LakeFormat.PAIMON)).loadTable(path));
            case ICEBERG -> iceberg(((IcebergLakeBridge) catalog.bridge(LakeFormat.ICEBERG)).loadTable(path));
            case NONE -> throw new IllegalArgumentException(path + " has no lake table");
        };
    }

    public static List<List<Object>> iceberg(org.apache.iceberg.Table table)
            throws IOException
    {
        table.refresh();
        List<List<Object>> rows = new ArrayList<>();
        try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
            for (Record record : records) {
                List<Object> values = new ArrayList<>();
                for (int i = 0; i < record.size(); i++) {
                    values.add(record.get(i));
                }
                rows.add(values);
            }
        }
        return rows;
    }

    public static List<List<Object>> paimon(Table table)
            throws IOException
    {
        ReadBuilder read = table.newReadBuilder();
        RowType type = table.rowType();
        List<List<Object>> rows = new ArrayList<>();
        try (RecordReader<InternalRow> reader = read.newRead().createReader(read.newScan().plan().splits())) {
            reader.forEachRemaining(row -> rows.add(values(type, row)));
        }
        return rows;
    }

    private static List<Object> values(RowType type, InternalRow row)
    {
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < type.getFieldCount(); i++) {
            DataField field = type.getFields().get(i);
            if (row.isNullAt(i)) {
                values.add(null);
                continue;
            }
            values.add(switch (field.type().getTypeRoot()) {
                case INTEGER -> row.getInt(i);
                case BIGINT -> row.getLong(i);
                case DOUBLE -> row.getDouble(i);
                case BOOLEAN -> row.getBoolean(i);
                case VARCHAR -> row.getString(i).toString();
                case DECIMAL -> {
                    org.apache.paimon.types.DecimalType decimal = (org.apache.paimon.types.DecimalType) field.type();
                    yield row.getDecimal(i, decimal.getPrecision(), decimal.getScale()).toBigDecimal();
                }
                case TIMESTAMP_WITHOUT_TIME_ZONE -> row.getTimestamp(i, 6).toLocalDateTime();
                case TIMESTAMP_WITH_LOCAL_TIME_ZONE -> row.getTimestamp(i, 6).toLocalDateTime().toInstant(ZoneOffset.UTC);
                default -> throw new IllegalArgumentException("no test mapping for " + field);
            });
        }
        return values;
    }
}
