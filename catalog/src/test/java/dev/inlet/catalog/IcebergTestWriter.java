/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog;

import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;

import java.io.IOException;
import java.util.List;

/** Appends records with Iceberg's own generic writer: one data file per record (tests only). */
final class IcebergTestWriter
{
    private IcebergTestWriter() {}

    static void append(Table table, List<Record> records)
            throws IOException
    {
        OutputFileFactory files = OutputFileFactory.builderFor(table, 1, 1).format(FileFormat.PARQUET).build();
        GenericFileWriterFactory writers = new GenericFileWriterFactory.Builder(table).dataFileFormat(FileFormat.PARQUET).build();
        var append = table.newAppend();
        InternalRecordWrapper wrapper = new InternalRecordWrapper(table.schema().asStruct());
        for (Record record : records) {
            PartitionKey partition = new PartitionKey(table.spec(), table.schema());
            partition.partition(wrapper.wrap(record));
            DataWriter<Record> writer = writers.newDataWriter(files.newOutputFile(table.spec(), partition), table.spec(), partition);
            try (writer) {
                writer.write(record);
            }
            DataFile file = writer.toDataFile();
            append.appendFile(file);
        }
        append.commit();
    }
}
