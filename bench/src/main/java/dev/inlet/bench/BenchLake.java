/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.bench;

import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.DataType;
import dev.inlet.catalog.model.LakeFormat;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.s3.EmbeddedS3Server;
import dev.inlet.logstore.client.AppendWriter;
import dev.inlet.logstore.client.InletClient;
import dev.inlet.logstore.client.WriterOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the lake benchmarks share: an embedded S3 store on the local disk with the lake bucket,
 * the settings that point Inlet's catalog at it, the benchmark tables over {@link BenchSchema},
 * and the machine's load.
 */
final class BenchLake
        implements AutoCloseable
{
    private static final String ACCESS_KEY = "bench";
    private static final String SECRET_KEY = "bench-secret-key";

    private final EmbeddedS3Server s3;

    private BenchLake(EmbeddedS3Server s3)
    {
        this.s3 = s3;
    }

    /** Starts the S3 store under {@code dir} and creates the lake bucket. */
    static BenchLake start(Path dir)
            throws Exception
    {
        EmbeddedS3Server s3 = EmbeddedS3Server.start(dir, 0, ACCESS_KEY, SECRET_KEY);
        try (var client = s3.settings().newClient()) {
            client.createBucket(b -> b.bucket("bench-lake"));
        }
        return new BenchLake(s3);
    }

    /** The configuration keys of the S3 store and of both warehouses in it. */
    Map<String, String> settings()
    {
        return Map.of(
                "s3.endpoint", s3.settings().endpoint().orElseThrow().toString(),
                "s3.access-key", ACCESS_KEY,
                "s3.secret-key", SECRET_KEY,
                "lake.paimon.warehouse", "s3://bench-lake/paimon",
                "lake.iceberg.warehouse", "s3://bench-lake/iceberg");
    }

    /** A table of the {@link BenchSchema} columns, bucketed by its id, with a lake table of {@code format}; a primary key on the id if asked. */
    static TableDescriptor table(LakeFormat format, int buckets, boolean primaryKey)
    {
        TableDescriptor.Builder table = TableDescriptor.builder().bucketCount(buckets).bucketKey(BenchSchema.BUCKET_KEY).lakeFormat(format);
        if (primaryKey) {
            table.primaryKey(BenchSchema.BUCKET_KEY);
        }
        int id = 1;
        for (BenchSchema.Column c : BenchSchema.COLUMNS) {
            table.column(new Column(id++, c.name(), DataType.parse(c.type().sqlType()), !c.name().equals(BenchSchema.BUCKET_KEY)));
        }
        return table.build();
    }

    static void append(InletClient client, String table, List<Object[]> rows)
    {
        try (AppendWriter writer = client.newWriter(table, WriterOptions.defaults())) {
            for (Object[] row : rows) {
                writer.append(row);
            }
        }
    }

    /** The 1, 5 and 15 minute load averages, or "unknown". */
    static String loadAverage()
    {
        try {
            String[] load = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return load[0] + " " + load[1] + " " + load[2];
        }
        catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    @Override
    public void close()
    {
        s3.close();
    }
}
