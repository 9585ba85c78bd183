/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.lake.hadoop;

import dev.inlet.catalog.CatalogSettings;
import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.config.InletConfig;
import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.lake.iceberg.IcebergLakeBridge;
import dev.inlet.catalog.lake.paimon.PaimonLakeBridge;
import dev.inlet.catalog.lake.paimon.S3FileIOLoader;
import dev.inlet.catalog.model.DataType;
import dev.inlet.catalog.model.LakeFormat;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.catalog.s3.S3Credentials;
import dev.inlet.catalog.s3.S3Settings;
import dev.inlet.catalog.store.CatalogDatabase;
import org.apache.hadoop.conf.Configuration;
import org.apache.paimon.catalog.CatalogContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/** Which warehouses go through Hadoop, and the Hadoop configuration they get (no I/O). */
class TestHadoopSettings
{
    private static final S3Settings MINIO = S3Settings.forEndpoint(URI.create("http://127.0.0.1:9000"), "ak", "sk");

    @TempDir
    Path dir;

    @Test
    void hadoopWarehouses()
    {
        assertThat(HadoopSettings.isHadoopWarehouse("s3a://lake/paimon")).isTrue();
        assertThat(HadoopSettings.isHadoopWarehouse("S3A://lake/paimon")).isTrue();
        assertThat(HadoopSettings.isHadoopWarehouse("hdfs://namenode:8020/lake")).isTrue();
        assertThat(HadoopSettings.isHadoopWarehouse("hdfs:///lake")).isTrue();
        assertThat(HadoopSettings.isHadoopWarehouse("s3://lake/paimon")).isFalse();
        assertThat(HadoopSettings.isHadoopWarehouse("file:///tmp/lake")).isFalse();
        assertThat(HadoopSettings.isHadoopWarehouse("/tmp/lake")).isFalse();
        assertThat(HadoopSettings.isHadoopWarehouse("not a uri")).isFalse();
    }

    @Test
    void s3aPropertiesOfAnS3CompatibleStoreWithStaticKeys()
    {
        assertThat(HadoopSettings.s3aProperties(MINIO)).containsExactly(
                entry("fs.s3a.endpoint", "http://127.0.0.1:9000"),
                entry("fs.s3a.endpoint.region", "us-east-1"),
                entry("fs.s3a.path.style.access", "true"),
                entry("fs.s3a.connection.ssl.enabled", "false"),
                entry("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider"),
                entry("fs.s3a.access.key", "ak"),
                entry("fs.s3a.secret.key", "sk"));
    }

    @Test
    void s3aPropertiesOfTlsEndpointWithEnvironmentCredentials()
    {
        S3Settings s3 = new S3Settings(Optional.of(URI.create("https://minio.example:9000")), "eu-west-1", true, S3Credentials.ENVIRONMENT, Optional.empty(), Optional.empty());
        assertThat(HadoopSettings.s3aProperties(s3)).containsExactly(
                entry("fs.s3a.endpoint", "https://minio.example:9000"),
                entry("fs.s3a.endpoint.region", "eu-west-1"),
                entry("fs.s3a.path.style.access", "true"),
                entry("fs.s3a.connection.ssl.enabled", "true"),
                entry("fs.s3a.aws.credentials.provider", "software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider"));
    }

    @Test
    void s3aPropertiesOfAwsWithTheDefaultChain()
    {
        S3Settings s3 = new S3Settings(Optional.empty(), "eu-west-1", false, S3Credentials.DEFAULT, Optional.empty(), Optional.empty());
        assertThat(HadoopSettings.s3aProperties(s3)).containsExactly(
                entry("fs.s3a.endpoint.region", "eu-west-1"),
                entry("fs.s3a.path.style.access", "false"),
                entry("fs.s3a.connection.ssl.enabled", "true"),
                entry("fs.s3a.aws.credentials.provider", "software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider"));
    }

    @Test
    void configurationReadsTheSiteFilesThenInletsS3Settings()
            throws Exception
    {
        Files.writeString(dir.resolve("core-site.xml"), """
                <?xml version="1.0"?>
                <configuration>
                    <property><name>fs.defaultFS</name><value>hdfs://namenode:8020</value></property>
                    <property><name>fs.s3a.endpoint</name><value>http://elsewhere:9000</value></property>
                    <property><name>fs.s3a.bucket.special.endpoint</name><value>http://special:9000</value></property>
                </configuration>
                """);
        Files.writeString(dir.resolve("hdfs-site.xml"), """
                <?xml version="1.0"?>
                <configuration>
                    <property><name>dfs.replication</name><value>2</value></property>
                </configuration>
                """);
        Configuration conf = new HadoopSettings(Optional.of(dir)).configuration(MINIO);
        assertThat(conf.get("fs.defaultFS")).isEqualTo("hdfs://namenode:8020");
        assertThat(conf.get("dfs.replication")).isEqualTo("2");
        // Inlet's s3.* are the base S3A settings; a per-bucket override stays for S3A to apply
        assertThat(conf.get("fs.s3a.endpoint")).isEqualTo("http://127.0.0.1:9000");
        assertThat(conf.get("fs.s3a.bucket.special.endpoint")).isEqualTo("http://special:9000");
        assertThat(conf.get("fs.s3a.secret.key")).isEqualTo("sk");
        // Hadoop's own defaults are there too
        assertThat(conf.get("fs.s3a.impl")).isEqualTo("org.apache.hadoop.fs.s3a.S3AFileSystem");

        Configuration none = HadoopSettings.none().configuration(MINIO);
        assertThat(none.get("fs.defaultFS")).isEqualTo("file:///");
        assertThat(none.get("dfs.replication")).isNull();
    }

    @Test
    void missingConfigurationFolder()
    {
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> new HadoopSettings(Optional.of(missing)).configuration(MINIO))
                .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.INVALID_CONFIGURATION))
                .hasMessage("The Hadoop configuration folder " + missing + " does not exist or is not a folder (set by lake.hadoop.conf-dir or $HADOOP_CONF_DIR)");
    }

    @Test
    void missingConfigurationFolderFailsTheLakeTableAndLeavesNothing()
    {
        Path missing = dir.resolve("missing");
        CatalogSettings settings = new CatalogSettings(dir, CatalogDatabase.sqlite(dir.resolve("catalog.db")), MINIO,
                "hdfs://namenode:8020/lake/paimon", "hdfs://namenode:8020/lake/iceberg", new HadoopSettings(Optional.of(missing)));
        try (InletCatalog catalog = new InletCatalog(settings)) {
            catalog.createDatabase("shop", false);
            for (LakeFormat format : new LakeFormat[] {LakeFormat.PAIMON, LakeFormat.ICEBERG}) {
                TableDescriptor table = TableDescriptor.builder().column("id", DataType.bigint(), false).primaryKey("id").bucketCount(1).lakeFormat(format).build();
                assertThatThrownBy(() -> catalog.createTable(new TablePath("shop", "events"), table, false))
                        .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.INVALID_CONFIGURATION))
                        .hasMessageStartingWith("The Hadoop configuration folder " + missing + " does not exist");
                assertThat(catalog.listTables("shop")).isEmpty();
            }
        }
    }

    @Test
    void confDirFromTheConfiguration()
    {
        Map<String, String> base = Map.of("data-dir", dir.toString(), "s3.access-key", "ak", "s3.secret-key", "sk");
        CatalogSettings configured = CatalogSettings.fromConfig(InletConfig.of(base).with(Map.of("lake.hadoop.conf-dir", dir.resolve("hadoop").toString())));
        assertThat(configured.hadoop()).isEqualTo(new HadoopSettings(Optional.of(dir.resolve("hadoop"))));
        // empty: $HADOOP_CONF_DIR, as Hadoop's own tools do
        assertThat(CatalogSettings.fromConfig(InletConfig.of(base)).hadoop()).isEqualTo(HadoopSettings.fromEnvironment());
        assertThat(configured.withS3(MINIO).hadoop()).isEqualTo(configured.hadoop());
    }

    @Test
    void lakeLibrariesUseHadoopOnlyForHadoopWarehouses()
    {
        CatalogDatabase database = CatalogDatabase.sqlite(dir.resolve("catalog.db"));
        assertThat(IcebergLakeBridge.catalogProperties(database, "s3a://lake/iceberg", MINIO))
                .containsEntry("io-impl", "org.apache.iceberg.hadoop.HadoopFileIO")
                .doesNotContainKeys("s3.endpoint", "s3.access-key-id", "s3.secret-access-key");
        assertThat(IcebergLakeBridge.catalogProperties(database, "s3://lake/iceberg", MINIO))
                .containsEntry("io-impl", "org.apache.iceberg.aws.s3.S3FileIO")
                .containsEntry("s3.endpoint", "http://127.0.0.1:9000");

        assertThat(PaimonLakeBridge.catalogOptions("hdfs://namenode:8020/lake/", MINIO))
                .containsExactly(entry("warehouse", "hdfs://namenode:8020/lake"), entry("metastore", "filesystem"));
        CatalogContext s3a = PaimonLakeBridge.catalogContext("s3a://lake/paimon", MINIO, HadoopSettings.none());
        // without a preferred loader Paimon falls back to its HadoopFileIO for s3a://
        assertThat(s3a.preferIO()).isNull();
        assertThat(s3a.hadoopConf().get("fs.s3a.endpoint")).isEqualTo("http://127.0.0.1:9000");
        assertThat(PaimonLakeBridge.catalogContext("s3://lake/paimon", MINIO, HadoopSettings.none()).preferIO()).isInstanceOf(S3FileIOLoader.class);
    }
}
