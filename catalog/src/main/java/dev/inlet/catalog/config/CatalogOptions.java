/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.config;

import dev.inlet.catalog.s3.S3Credentials;

import java.util.List;

/** The configuration keys of the catalog, the lake bridges and S3 (see {@code conf/inlet.properties}). */
public final class CatalogOptions
{
    public static final ConfigOption<String> DATA_DIR = ConfigOption.string("data-dir", "data",
            "Folder for local state: the SQLite catalog by default, hot-store segments, the embedded S3 store of inlet local. Relative paths are resolved against the working directory.");

    public static final ConfigOption<String> CATALOG_JDBC_URL = ConfigOption.string("catalog.jdbc.url", null,
            "JDBC URL of the catalog database: jdbc:sqlite:<file> or jdbc:postgresql://<host>:<port>/<database>. Empty means an SQLite file <data-dir>/catalog.db. Iceberg's JDBC catalog keeps its tables in the same database.");
    public static final ConfigOption<String> CATALOG_JDBC_USER = ConfigOption.string("catalog.jdbc.user", null,
            "User of the catalog database (PostgreSQL).");
    public static final ConfigOption<String> CATALOG_JDBC_PASSWORD = ConfigOption.string("catalog.jdbc.password", null,
            "Password of the catalog database (PostgreSQL); write ${env:NAME} to take it from the environment.");

    public static final ConfigOption<String> S3_ENDPOINT = ConfigOption.string("s3.endpoint", null,
            "S3 endpoint URL, e.g. http://127.0.0.1:9000 for MinIO. Empty means AWS S3 in s3.region.");
    public static final ConfigOption<String> S3_REGION = ConfigOption.string("s3.region", "us-east-1",
            "Region used to sign S3 requests.");
    public static final ConfigOption<Boolean> S3_PATH_STYLE_ACCESS = ConfigOption.bool("s3.path-style-access", true,
            "Address buckets as endpoint/bucket/key (MinIO, S3Proxy) instead of bucket.endpoint/key (AWS virtual hosts).");
    public static final ConfigOption<S3Credentials> S3_CREDENTIALS = ConfigOption.enumeration("s3.credentials", S3Credentials::parse, S3Credentials.STATIC,
            "Where S3 credentials come from: static (s3.access-key and s3.secret-key), environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), or default (the AWS SDK's default chain).");
    public static final ConfigOption<String> S3_ACCESS_KEY = ConfigOption.string("s3.access-key", null,
            "S3 access key for static credentials.");
    public static final ConfigOption<String> S3_SECRET_KEY = ConfigOption.string("s3.secret-key", null,
            "S3 secret key for static credentials; write ${env:NAME} to take it from the environment.");

    public static final ConfigOption<String> PAIMON_WAREHOUSE = ConfigOption.string("lake.paimon.warehouse", "s3://inlet-lake/paimon",
            "Warehouse of the Paimon tables (Paimon's filesystem catalog): s3://bucket/path (Inlet's S3 client, atomic commits), or s3a://bucket/path or hdfs://namenode/path"
                    + " (Apache Hadoop's client); the bucket must exist.");
    public static final ConfigOption<String> ICEBERG_WAREHOUSE = ConfigOption.string("lake.iceberg.warehouse", "s3://inlet-lake/iceberg",
            "Warehouse of the Iceberg tables (Iceberg's JDBC catalog in the catalog database): s3://bucket/path (Iceberg's S3FileIO), or s3a://bucket/path"
                    + " or hdfs://namenode/path (Apache Hadoop's client); the bucket must exist.");
    public static final ConfigOption<String> LAKE_HADOOP_CONF_DIR = ConfigOption.string("lake.hadoop.conf-dir", null,
            "Folder with the core-site.xml and hdfs-site.xml of s3a:// and hdfs:// warehouses. Empty means $HADOOP_CONF_DIR, or none when that is unset."
                    + " S3A takes s3.* as its base fs.s3a.* settings.");

    private CatalogOptions() {}

    public static List<ConfigOption<?>> all()
    {
        return List.of(DATA_DIR, CATALOG_JDBC_URL, CATALOG_JDBC_USER, CATALOG_JDBC_PASSWORD, S3_ENDPOINT, S3_REGION, S3_PATH_STYLE_ACCESS,
                S3_CREDENTIALS, S3_ACCESS_KEY, S3_SECRET_KEY, PAIMON_WAREHOUSE, ICEBERG_WAREHOUSE, LAKE_HADOOP_CONF_DIR);
    }
}
