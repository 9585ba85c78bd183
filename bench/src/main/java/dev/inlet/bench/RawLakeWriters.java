/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.bench;

import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.FanoutDataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.paimon.data.BinaryString;
import org.apache.paimon.data.GenericRow;
import org.apache.paimon.data.Timestamp;
import org.apache.paimon.table.Table;
import org.apache.paimon.table.sink.BatchTableCommit;
import org.apache.paimon.table.sink.BatchTableWrite;
import org.apache.paimon.table.sink.BatchWriteBuilder;

import java.time.LocalDateTime;
import java.util.List;

/**
 * The baselines of the tiering benchmark: the same rows written straight into a lake table with
 * each library's own writer and committed once, as an application that holds the rows as Java
 * objects would do it (the conversion to the library's row type is inside the timing).
 */
final class RawLakeWriters
{
    private RawLakeWriters() {}

    /** Paimon's batch writer; it routes each row to its bucket itself. */
    static void paimon(Table table, List<Object[]> rows)
            throws Exception
    {
        BatchWriteBuilder builder = table.newBatchWriteBuilder();
        try (BatchTableWrite write = builder.newWrite(); BatchTableCommit commit = builder.newCommit()) {
            for (Object[] row : rows) {
                Object[] values = new Object[row.length];
                for (int i = 0; i < row.length; i++) {
                    values[i] = switch (row[i]) {
                        case String s -> BinaryString.fromString(s);
                        case LocalDateTime t -> Timestamp.fromLocalDateTime(t);
                        case null -> null;
                        default -> row[i];
                    };
                }
                write.write(GenericRow.of(values));
            }
            commit.commit(write.prepareCommit());
        }
    }

    /** Iceberg's generic Parquet writer, fanned out over the table's partitions (its buckets), one append. */
    static void iceberg(org.apache.iceberg.Table table, List<Object[]> rows)
            throws Exception
    {
        Schema schema = table.schema();
        GenericFileWriterFactory writers = new GenericFileWriterFactory.Builder(table).dataFileFormat(FileFormat.PARQUET).build();
        OutputFileFactory files = OutputFileFactory.builderFor(table, 1, System.nanoTime()).format(FileFormat.PARQUET).build();
        InternalRecordWrapper wrapper = new InternalRecordWrapper(schema.asStruct());
        PartitionKey partition = new PartitionKey(table.spec(), schema);
        FanoutDataWriter<Record> writer = new FanoutDataWriter<>(writers, files, table.io(), 128L << 20);
        try (writer) {
            for (Object[] row : rows) {
                GenericRecord record = GenericRecord.create(schema);
                for (int i = 0; i < row.length; i++) {
                    record.set(i, row[i]);
                }
                partition.partition(wrapper.wrap(record));
                writer.write(record, table.spec(), partition);
            }
        }
        var append = table.newAppend();
        writer.result().dataFiles().forEach(append::appendFile);
        append.commit();
    }
}
