/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog;

import dev.inlet.catalog.config.CatalogOptions;
import dev.inlet.catalog.config.InletConfig;
import dev.inlet.catalog.lake.hadoop.HadoopSettings;
import dev.inlet.catalog.s3.S3Settings;
import dev.inlet.catalog.store.CatalogDatabase;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything needed to open the catalog: its database, S3, and the two lake warehouses.
 *
 * @param dataDir the folder for local state
 * @param database the catalog database
 * @param s3 how to reach S3
 * @param paimonWarehouse warehouse of Paimon tables: {@code s3://bucket/path}, or through Hadoop
 *     {@code s3a://bucket/path} or {@code hdfs://namenode/path}
 * @param icebergWarehouse warehouse of Iceberg tables, with the same schemes as {@code paimonWarehouse}
 * @param hadoop the Hadoop configuration of {@code s3a://} and {@code hdfs://} warehouses
 */
public record CatalogSettings(Path dataDir, CatalogDatabase database, S3Settings s3, String paimonWarehouse, String icebergWarehouse, HadoopSettings hadoop)
{
    public CatalogSettings
    {
        Objects.requireNonNull(dataDir, "dataDir is null");
        Objects.requireNonNull(database, "database is null");
        Objects.requireNonNull(s3, "s3 is null");
        Objects.requireNonNull(paimonWarehouse, "paimonWarehouse is null");
        Objects.requireNonNull(icebergWarehouse, "icebergWarehouse is null");
        Objects.requireNonNull(hadoop, "hadoop is null");
    }

    /** Settings whose Hadoop configuration folder is {@code $HADOOP_CONF_DIR}, as for an empty {@code lake.hadoop.conf-dir}. */
    public CatalogSettings(Path dataDir, CatalogDatabase database, S3Settings s3, String paimonWarehouse, String icebergWarehouse)
    {
        this(dataDir, database, s3, paimonWarehouse, icebergWarehouse, HadoopSettings.fromEnvironment());
    }

    public static CatalogSettings fromConfig(InletConfig config)
    {
        Path dataDir = Path.of(config.get(CatalogOptions.DATA_DIR)).toAbsolutePath();
        String url = config.getOptional(CatalogOptions.CATALOG_JDBC_URL).orElse("jdbc:sqlite:" + dataDir.resolve("catalog.db"));
        CatalogDatabase database = new CatalogDatabase(url, config.getOptional(CatalogOptions.CATALOG_JDBC_USER), config.getOptional(CatalogOptions.CATALOG_JDBC_PASSWORD));
        S3Settings s3;
        try {
            s3 = new S3Settings(
                    config.getOptional(CatalogOptions.S3_ENDPOINT).map(URI::create),
                    config.get(CatalogOptions.S3_REGION),
                    config.get(CatalogOptions.S3_PATH_STYLE_ACCESS),
                    config.get(CatalogOptions.S3_CREDENTIALS),
                    config.getOptional(CatalogOptions.S3_ACCESS_KEY),
                    config.getOptional(CatalogOptions.S3_SECRET_KEY));
        }
        catch (IllegalArgumentException e) {
            throw new dev.inlet.catalog.error.InletException(dev.inlet.catalog.error.InletErrorCode.INVALID_CONFIGURATION, "Invalid S3 settings: " + e.getMessage(), e);
        }
        Optional<Path> hadoopConfDir = config.getOptional(CatalogOptions.LAKE_HADOOP_CONF_DIR).map(String::strip).filter(dir -> !dir.isEmpty()).map(Path::of);
        HadoopSettings hadoop = hadoopConfDir.isPresent() ? new HadoopSettings(hadoopConfDir) : HadoopSettings.fromEnvironment();
        return new CatalogSettings(dataDir, database, s3, config.get(CatalogOptions.PAIMON_WAREHOUSE), config.get(CatalogOptions.ICEBERG_WAREHOUSE), hadoop);
    }

    public CatalogSettings withS3(S3Settings newS3)
    {
        return new CatalogSettings(dataDir, database, newS3, paimonWarehouse, icebergWarehouse, hadoop);
    }
}
