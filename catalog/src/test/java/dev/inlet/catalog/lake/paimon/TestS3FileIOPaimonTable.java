/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.lake.paimon;

import dev.inlet.catalog.testing.S3TestEndpoint;
import org.apache.hadoop.conf.Configuration;
import org.apache.paimon.Snapshot;
import org.apache.paimon.catalog.Catalog;
import org.apache.paimon.catalog.CatalogContext;
import org.apache.paimon.catalog.CatalogFactory;
import org.apache.paimon.catalog.Identifier;
import org.apache.paimon.data.BinaryString;
import org.apache.paimon.data.GenericRow;
import org.apache.paimon.data.InternalRow;
import org.apache.paimon.fs.FileIO;
import org.apache.paimon.fs.Path;
import org.apache.paimon.options.Options;
import org.apache.paimon.reader.RecordReader;
import org.apache.paimon.schema.Schema;
import org.apache.paimon.table.Table;
import org.apache.paimon.table.sink.BatchTableCommit;
import org.apache.paimon.table.sink.BatchTableWrite;
import org.apache.paimon.table.sink.BatchWriteBuilder;
import org.apache.paimon.table.source.ReadBuilder;
import org.apache.paimon.types.DataTypes;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A Paimon filesystem catalog whose warehouse is on S3, through {@link S3FileIO} only. */
class TestS3FileIOPaimonTable
{
    @Test
    @SuppressWarnings("try") // Paimon's Catalog, BatchTableWrite and BatchTableCommit declare close() throws Exception
    void writesUpsertsAndReadsAPrimaryKeyTable()
            throws Exception
    {
        S3TestEndpoint s3 = S3TestEndpoint.get();
        String bucket = s3.newBucket("paimon-table");
        Map<String, String> options = new HashMap<>(s3.settings().paimonOptions());
        options.put("warehouse", "s3://" + bucket + "/paimon");
        CatalogContext context = CatalogContext.create(Options.fromMap(options), new Configuration(), new S3FileIOLoader(), null);

        try (Catalog catalog = CatalogFactory.createCatalog(context)) {
            catalog.createDatabase("shop", false);
            assertThat(catalog.listDatabases()).containsExactly("shop");
            Identifier identifier = Identifier.create("shop", "customers");
            catalog.createTable(identifier,
                    Schema.newBuilder()
                            .column("id", DataTypes.BIGINT().notNull())
                            .column("name", DataTypes.STRING())
                            .primaryKey("id")
                            .option("bucket", "2")
                            .build(),
                    false);
            Table table = catalog.getTable(identifier);
            assertThat(table.fileIO()).isInstanceOf(S3FileIO.class);

            BatchWriteBuilder firstBuilder = table.newBatchWriteBuilder();
            try (BatchTableWrite write = firstBuilder.newWrite(); BatchTableCommit commit = firstBuilder.newCommit()) {
                for (long id = 0; id < 1_000; id++) {
                    write.write(GenericRow.of(id, BinaryString.fromString("name-" + id)));
                }
                commit.commit(write.prepareCommit());
            }

            BatchWriteBuilder secondBuilder = table.newBatchWriteBuilder();
            try (BatchTableWrite write = secondBuilder.newWrite(); BatchTableCommit commit = secondBuilder.newCommit()) {
                for (long id = 0; id < 1_000; id += 10) {
                    write.write(GenericRow.of(id, BinaryString.fromString("updated-" + id)));
                }
                commit.commit(write.prepareCommit());
            }

            Table reloaded = catalog.getTable(identifier);
            Map<Long, String> rows = new HashMap<>();
            ReadBuilder readBuilder = reloaded.newReadBuilder();
            try (RecordReader<InternalRow> reader = readBuilder.newRead().createReader(readBuilder.newScan().plan())) {
                reader.forEachRemaining(row -> {
                    String previous = rows.put(row.getLong(0), row.getString(1).toString());
                    assertThat(previous).as("row %s read twice", row.getLong(0)).isNull();
                });
            }
            Map<Long, String> expected = new HashMap<>();
            for (long id = 0; id < 1_000; id++) {
                expected.put(id, (id % 10 == 0 ? "updated-" : "name-") + id);
            }
            assertThat(rows).hasSize(1_000).isEqualTo(expected);
            assertThat(rows.values().stream().filter(name -> name.startsWith("updated-"))).hasSize(100);

            Snapshot latest = reloaded.latestSnapshot().orElseThrow();
            assertThat(latest.id()).isEqualTo(2);
            assertThat(latest.commitKind()).isEqualTo(Snapshot.CommitKind.APPEND);

            // the snapshots are the objects the conditional writes created
            FileIO fileIO = reloaded.fileIO();
            Path snapshotDir = new Path("s3://" + bucket + "/paimon/shop.db/customers/snapshot");
            assertThat(fileIO.exists(new Path(snapshotDir, "snapshot-1"))).isTrue();
            assertThat(fileIO.exists(new Path(snapshotDir, "snapshot-2"))).isTrue();
            assertThat(fileIO.exists(new Path(snapshotDir, "snapshot-3"))).isFalse();
        }
    }
}
