/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog;

import dev.inlet.catalog.lake.LakeTableBridge;
import dev.inlet.catalog.lake.hadoop.HadoopSettings;
import dev.inlet.catalog.lake.iceberg.IcebergLakeBridge;
import dev.inlet.catalog.lake.paimon.PaimonLakeBridge;
import dev.inlet.catalog.model.DataType;
import dev.inlet.catalog.model.LakeFormat;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TableInfo;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.catalog.s3.S3Credentials;
import dev.inlet.catalog.s3.S3Settings;
import dev.inlet.catalog.store.CatalogDatabase;
import dev.inlet.catalog.testing.HdfsTestCluster;
import dev.inlet.catalog.testing.S3TestEndpoint;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.paimon.catalog.Catalog;
import org.apache.paimon.catalog.CatalogFactory;
import org.apache.paimon.data.BinaryString;
import org.apache.paimon.data.GenericRow;
import org.apache.paimon.fs.hadoop.HadoopFileIO;
import org.apache.paimon.table.FileStoreTable;
import org.apache.paimon.table.sink.BatchTableCommit;
import org.apache.paimon.table.sink.BatchTableWrite;
import org.apache.paimon.table.sink.BatchWriteBuilder;
import org.apache.paimon.table.source.ReadBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lake tables on warehouses reached through Apache Hadoop's client: {@code s3a://} against the
 * shared real S3 endpoint, and {@code hdfs://} against a real in-process HDFS
 * ({@link HdfsTestCluster}). Each table is created, altered and dropped by the catalog, and written
 * and read with Paimon's and Iceberg's own libraries through catalogs opened independently of
 * Inlet's.
 */
class TestHadoopWarehouses
{
    private static final TablePath EVENTS = new TablePath("shop", "events");

    @TempDir
    static Path hdfsDir;
    private static HdfsTestCluster hdfs;
    private static HadoopSettings hdfsConf;

    @TempDir
    Path dir;

    @BeforeAll
    static void startHdfs()
            throws Exception
    {
        hdfs = HdfsTestCluster.start(hdfsDir.resolve("cluster"));
        // the client's settings come from hdfs-site.xml in the configuration folder, as in production:
        // one data node can hold only one replica of each block
        Path confDir = Files.createDirectories(hdfsDir.resolve("conf"));
        Files.writeString(confDir.resolve("hdfs-site.xml"), """
                <?xml version="1.0"?>
                <configuration>
                    <property><name>dfs.replication</name><value>1</value></property>
                </configuration>
                """);
        hdfsConf = new HadoopSettings(Optional.of(confDir));
    }

    @AfterAll
    static void stopHdfs()
            throws Exception
    {
        if (hdfs != null) {
            hdfs.close();
        }
    }

    private static TableDescriptor events(LakeFormat format)
    {
        return TableDescriptor.builder()
                .column("id", DataType.bigint(), false)
                .column("name", DataType.string())
                .primaryKey("id")
                .bucketCount(2)
                .lakeFormat(format)
                .build();
    }

    private CatalogSettings s3aSettings()
    {
        S3TestEndpoint s3 = S3TestEndpoint.get();
        String bucket = s3.newBucket("hadoop");
        return new CatalogSettings(dir, CatalogDatabase.sqlite(dir.resolve("catalog.db")), s3.settings(),
                "s3a://" + bucket + "/paimon", "s3a://" + bucket + "/iceberg", HadoopSettings.none());
    }

    private CatalogSettings hdfsSettings(String test)
    {
        String root = hdfs.uri() + "/" + test;
        // S3 is configured but never reached: both warehouses are on HDFS
        S3Settings unusedS3 = S3Settings.forEndpoint(URI.create("http://127.0.0.1:9"), "unused", "unused");
        return new CatalogSettings(dir, CatalogDatabase.sqlite(dir.resolve("catalog.db")), unusedS3, root + "/paimon", root + "/iceberg", hdfsConf);
    }

    @Test
    void paimonTableOnS3a()
            throws Exception
    {
        CatalogSettings settings = s3aSettings();
        paimonTable(settings);
        assertThat(s3Files(settings.s3(), settings.paimonWarehouse() + "/shop.db/events")).isEmpty();
    }

    @Test
    void icebergTableOnS3a()
            throws Exception
    {
        CatalogSettings settings = s3aSettings();
        icebergTable(settings);
        assertThat(s3Files(settings.s3(), settings.icebergWarehouse() + "/shop/events")).isEmpty();
    }

    @Test
    void s3aTakesCredentialsFromTheSdkDefaultChain()
            throws Exception
    {
        S3TestEndpoint endpoint = S3TestEndpoint.get();
        S3Settings keys = endpoint.settings();
        S3Settings chain = new S3Settings(keys.endpoint(), keys.region(), keys.pathStyleAccess(), S3Credentials.DEFAULT, Optional.empty(), Optional.empty());
        // a new bucket: Hadoop caches one S3A client per bucket, made with the configuration of its first use
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path("s3a://" + endpoint.newBucket("chain") + "/dir/file.txt");
        // the system properties are the first source of the SDK's default chain
        System.setProperty("aws.accessKeyId", keys.accessKey().orElseThrow());
        System.setProperty("aws.secretAccessKey", keys.secretKey().orElseThrow());
        try {
            FileSystem fs = file.getFileSystem(HadoopSettings.none().configuration(chain));
            try (var out = fs.create(file, false)) {
                out.write("through the chain".getBytes(StandardCharsets.UTF_8));
            }
            try (var in = fs.open(file)) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("through the chain");
            }
        }
        finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }

    @Test
    void paimonTableOnHdfs()
            throws Exception
    {
        CatalogSettings settings = hdfsSettings("paimon_test");
        assertThat(settings.paimonWarehouse()).startsWith("hdfs://localhost:");
        paimonTable(settings);
    }

    @Test
    void icebergTableOnHdfs()
            throws Exception
    {
        CatalogSettings settings = hdfsSettings("iceberg_test");
        icebergTable(settings);
    }

    /** Creates a Paimon table through the catalog, writes, reads, adds a column, and drops it with its files. */
    private static void paimonTable(CatalogSettings settings)
            throws Exception
    {
        String location = settings.paimonWarehouse() + "/shop.db/events";
        try (InletCatalog catalog = new InletCatalog(settings)) {
            catalog.createDatabase("shop", false);
            TableInfo table = catalog.createTable(EVENTS, events(LakeFormat.PAIMON), false);
            assertThat(catalog.lakeLocation(table)).contains(location);

            try (Catalog paimon = CatalogFactory.createCatalog(PaimonLakeBridge.catalogContext(settings.paimonWarehouse(), settings.s3(), settings.hadoop()))) {
                FileStoreTable lake = (FileStoreTable) paimon.getTable(PaimonLakeBridge.identifier(EVENTS));
                // through Hadoop's S3A, not Inlet's S3FileIO
                assertThat(lake.fileIO()).isInstanceOf(HadoopFileIO.class);
                assertThat(lake.location().toString()).isEqualTo(location);
                assertThat(lake.schema().options()).containsEntry(LakeTableBridge.TABLE_ID_PROPERTY, Long.toString(table.tableId()));

                writePaimon(lake, GenericRow.of(7L, BinaryString.fromString("seven")));
                assertThat(readPaimon(lake)).containsExactly("7,seven");
            }

            catalog.addColumn(EVENTS, "note", DataType.string(), true, Optional.empty());
            try (Catalog paimon = CatalogFactory.createCatalog(PaimonLakeBridge.catalogContext(settings.paimonWarehouse(), settings.s3(), settings.hadoop()))) {
                FileStoreTable lake = (FileStoreTable) paimon.getTable(PaimonLakeBridge.identifier(EVENTS));
                assertThat(lake.schema().fieldNames()).containsExactly("id", "name", "note");
                writePaimon(lake, GenericRow.of(8L, BinaryString.fromString("eight"), BinaryString.fromString("new")));
                assertThat(readPaimon(lake)).containsExactly("7,seven,null", "8,eight,new");
            }
            checkFiles(settings, location);

            assertThat(catalog.dropTable(EVENTS, false)).isTrue();
            assertThat(files(settings, location)).isEmpty();
            assertThat(exists(settings, location)).isFalse();
        }
    }

    /** Creates an Iceberg table through the catalog, writes, reads, adds a column, and drops it with its files. */
    private static void icebergTable(CatalogSettings settings)
            throws Exception
    {
        String location = settings.icebergWarehouse() + "/shop/events";
        try (InletCatalog catalog = new InletCatalog(settings)) {
            catalog.createDatabase("shop", false);
            TableInfo table = catalog.createTable(EVENTS, events(LakeFormat.ICEBERG), false);
            assertThat(catalog.lakeLocation(table)).contains(location);

            try (JdbcCatalog iceberg = IcebergLakeBridge.openCatalog(settings.database(), settings.icebergWarehouse(), settings.s3(), settings.hadoop())) {
                Table lake = iceberg.loadTable(IcebergLakeBridge.identifier(EVENTS));
                // through Hadoop's S3A, not Iceberg's S3FileIO
                assertThat(lake.io()).isInstanceOf(org.apache.iceberg.hadoop.HadoopFileIO.class);
                assertThat(lake.location()).isEqualTo(location);
                assertThat(lake.properties()).containsEntry(LakeTableBridge.TABLE_ID_PROPERTY, Long.toString(table.tableId()));

                IcebergTestWriter.append(lake, List.of(icebergRow(lake, 7L, "seven")));
                assertThat(readIceberg(lake)).containsExactly("7,seven");
            }

            catalog.addColumn(EVENTS, "note", DataType.string(), true, Optional.empty());
            try (JdbcCatalog iceberg = IcebergLakeBridge.openCatalog(settings.database(), settings.icebergWarehouse(), settings.s3(), settings.hadoop())) {
                Table lake = iceberg.loadTable(IcebergLakeBridge.identifier(EVENTS));
                assertThat(lake.schema().columns()).extracting(f -> f.name()).containsExactly("id", "name", "note");
                GenericRecord row = icebergRow(lake, 8L, "eight");
                row.setField("note", "new");
                IcebergTestWriter.append(lake, List.of(row));
                assertThat(readIceberg(lake)).containsExactlyInAnyOrder("7,seven,null", "8,eight,new");
            }
            checkFiles(settings, location);

            assertThat(catalog.dropTable(EVENTS, false)).isTrue();
            assertThat(files(settings, location)).isEmpty();
            assertThat(exists(settings, location)).isFalse();
        }
    }

    private static void writePaimon(FileStoreTable table, GenericRow row)
            throws Exception
    {
        BatchWriteBuilder writeBuilder = table.newBatchWriteBuilder();
        try (BatchTableWrite write = writeBuilder.newWrite(); BatchTableCommit commit = writeBuilder.newCommit()) {
            write.write(row);
            commit.commit(write.prepareCommit());
        }
    }

    private static List<String> readPaimon(FileStoreTable table)
            throws IOException
    {
        ReadBuilder read = table.newReadBuilder();
        List<String> rows = new ArrayList<>();
        int fields = table.schema().fields().size();
        try (var reader = read.newRead().createReader(read.newScan().plan())) {
            reader.forEachRemaining(r -> {
                StringBuilder line = new StringBuilder().append(r.getLong(0));
                for (int i = 1; i < fields; i++) {
                    line.append(',').append(r.isNullAt(i) ? "null" : r.getString(i).toString());
                }
                rows.add(line.toString());
            });
        }
        return rows.stream().sorted().toList();
    }

    private static GenericRecord icebergRow(Table table, long id, String name)
    {
        GenericRecord row = GenericRecord.create(table.schema());
        row.setField("id", id);
        row.setField("name", name);
        return row;
    }

    private static List<String> readIceberg(Table table)
            throws IOException
    {
        List<String> rows = new ArrayList<>();
        try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
            for (Record r : records) {
                StringBuilder line = new StringBuilder().append(r.get(0));
                for (int i = 1; i < r.size(); i++) {
                    line.append(',').append(r.get(i));
                }
                rows.add(line.toString());
            }
        }
        return rows;
    }

    /** The table has files; on HDFS they have the replication of hdfs-site.xml in the configuration folder. */
    private static void checkFiles(CatalogSettings settings, String location)
            throws IOException
    {
        List<String> files = files(settings, location);
        assertThat(files).isNotEmpty().allMatch(f -> f.startsWith(location + "/"));
        if (location.startsWith("hdfs:")) {
            org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(files.getFirst());
            assertThat(file.getFileSystem(settings.hadoop().configuration(settings.s3())).getFileStatus(file).getReplication()).isEqualTo((short) 1);
        }
    }

    /** The files (not directories, nor S3A's directory markers) under {@code location}, as Hadoop lists them. */
    private static List<String> files(CatalogSettings settings, String location)
            throws IOException
    {
        Configuration conf = settings.hadoop().configuration(settings.s3());
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(location);
        FileSystem fs = root.getFileSystem(conf);
        List<String> files = new ArrayList<>();
        try {
            RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
            while (it.hasNext()) {
                files.add(it.next().getPath().toString());
            }
        }
        catch (FileNotFoundException e) {
            // no directory: no files
        }
        return files;
    }

    /** Whether the folder (on S3A: a directory marker or any object under it) exists. */
    private static boolean exists(CatalogSettings settings, String location)
            throws IOException
    {
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(location);
        return path.getFileSystem(settings.hadoop().configuration(settings.s3())).exists(path);
    }

    /** The objects under {@code location} that are not S3A directory markers ({@code key/}), listed with the plain S3 client. */
    private static List<String> s3Files(S3Settings s3, String location)
    {
        URI uri = URI.create(location);
        String prefix = uri.getPath().substring(1) + "/";
        try (S3Client client = s3.newClient()) {
            return client.listObjectsV2Paginator(b -> b.bucket(uri.getHost()).prefix(prefix)).contents().stream()
                    .map(o -> o.key())
                    .filter(key -> !key.endsWith("/"))
                    .toList();
        }
    }
}
