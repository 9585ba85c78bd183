/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering.backfill;

import dev.inlet.catalog.testing.S3TestEndpoint;
import org.apache.iceberg.Schema;
import org.apache.iceberg.aws.s3.S3FileIO;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.FileAppender;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Source files for backfill tests, written to a bucket of the test S3 endpoint: orders
 * {@code (id, name, amount, at, dt)} as CSV, JSON lines or Parquet (written by Iceberg's Parquet
 * writer, read back by the backfill by column name).
 */
final class BackfillSources
        implements AutoCloseable
{
    static final LocalDateTime T0 = LocalDateTime.of(2025, 1, 1, 0, 0);

    private final S3FileIO io = new S3FileIO();
    private final String bucket;

    BackfillSources()
    {
        io.initialize(S3TestEndpoint.get().settings().icebergProperties());
        bucket = S3TestEndpoint.get().newBucket("history");
    }

    /** {@code s3://<bucket>/<path>} */
    String location(String path)
    {
        return "s3://" + bucket + "/" + path;
    }

    /** One order as the lake holds it: id, name (null for every fifth), amount, at, dt. */
    static List<Object> order(long id, String dt)
    {
        return Arrays.asList(id, id % 5 == 0 ? null : "order " + id, BigDecimal.valueOf(id * 125, 2), T0.plusSeconds(id), dt);
    }

    static List<List<Object>> orders(long from, long to, String dt)
    {
        List<List<Object>> rows = new ArrayList<>();
        for (long id = from; id < to; id++) {
            rows.add(order(id, dt));
        }
        return rows;
    }

    String csv(String path, List<List<Object>> rows)
    {
        StringBuilder text = new StringBuilder("id,name,amount,at,dt\n");
        for (List<Object> row : rows) {
            text.append(row.get(0)).append(',').append(row.get(1) == null ? "" : row.get(1)).append(',').append(((BigDecimal) row.get(2)).toPlainString()).append(',')
                    .append(row.get(3)).append(',').append(row.get(4)).append('\n');
        }
        return text(path, text.toString());
    }

    String json(String path, List<List<Object>> rows)
    {
        StringBuilder text = new StringBuilder();
        for (List<Object> row : rows) {
            text.append("{\"id\": ").append(row.get(0)).append(", \"name\": ").append(row.get(1) == null ? "null" : "\"" + row.get(1) + "\"").append(", \"amount\": ")
                    .append(((BigDecimal) row.get(2)).toPlainString()).append(", \"at\": \"").append(row.get(3)).append("\", \"dt\": \"").append(row.get(4)).append("\"}\n");
        }
        return text(path, text.toString());
    }

    String text(String path, String text)
    {
        return bytes(path, text.getBytes(StandardCharsets.UTF_8));
    }

    String bytes(String path, byte[] bytes)
    {
        OutputFile file = io.newOutputFile(location(path));
        try (OutputStream out = file.createOrOverwrite()) {
            out.write(bytes);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file.location();
    }

    /** How a Parquet source file stores the id column. */
    enum Id
    {
        REQUIRED, OPTIONAL, ABSENT
    }

    /** A Parquet file of orders. */
    String parquet(String path, List<List<Object>> rows, Id id)
    {
        List<Types.NestedField> fields = new ArrayList<>();
        if (id != Id.ABSENT) {
            fields.add(id == Id.REQUIRED ? Types.NestedField.required(1, "id", Types.LongType.get()) : Types.NestedField.optional(1, "id", Types.LongType.get()));
        }
        fields.add(Types.NestedField.optional(2, "name", Types.StringType.get()));
        fields.add(Types.NestedField.optional(3, "amount", Types.DecimalType.of(10, 2)));
        fields.add(Types.NestedField.optional(4, "at", Types.TimestampType.withoutZone()));
        fields.add(Types.NestedField.optional(5, "dt", Types.StringType.get()));
        Schema schema = new Schema(fields);
        OutputFile file = io.newOutputFile(location(path));
        try (FileAppender<Record> out = Parquet.write(file).schema(schema).createWriterFunc(GenericParquetWriter::create).overwrite().build()) {
            for (List<Object> row : rows) {
                Record record = GenericRecord.create(schema);
                for (Types.NestedField field : fields) {
                    record.setField(field.name(), row.get(field.fieldId() - 1));
                }
                out.add(record);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file.location();
    }

    long size(String location)
    {
        return io.newInputFile(location).getLength();
    }

    @Override
    public void close()
    {
        io.close();
    }
}
