/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering;

import dev.inlet.catalog.CatalogSettings;
import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.config.InletConfig;
import dev.inlet.catalog.lake.iceberg.IcebergLakeBridge;
import dev.inlet.catalog.lake.paimon.PaimonLakeBridge;
import dev.inlet.catalog.model.LakeFormat;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TableInfo;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.catalog.testing.S3TestEndpoint;
import dev.inlet.logstore.client.ClientConfig;
import dev.inlet.logstore.client.InletClient;
import dev.inlet.logstore.server.LogStoreServer;
import org.apache.paimon.data.InternalRow;
import org.apache.paimon.reader.RecordReader;
import org.apache.paimon.table.Table;
import org.apache.paimon.table.source.ReadBuilder;
import org.apache.paimon.types.DataField;
import org.apache.paimon.types.RowType;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a tiering test runs against, all real: the SQLite catalog, the test S3 endpoint (MinIO or
 * an embedded S3Proxy, see {@link S3TestEndpoint}) holding the lake tables, and a hot-store
 * server in this JVM.
 */
final class TieringTestCluster
        implements AutoCloseable
{
    private final InletConfig config;
    private final InletCatalog catalog;
    private final LogStoreServer server;
    private final InletClient client;

    TieringTestCluster(Path dir)
            throws IOException
    {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("data-dir", dir.toString());
        settings.put("server.port", "0");
        settings.put("server.metrics.port", "0");
        // a real S3 for tables with a lake format
        settings.putAll(S3TestEndpoint.get().lakeSettings("tiering"));
        this.config = InletConfig.of(settings);
        this.catalog = new InletCatalog(CatalogSettings.fromConfig(config));
        this.server = LogStoreServer.start(config);
        this.client = InletClient.connect(ClientConfig.of(URI.create("grpc://127.0.0.1:" + server.port())));
    }

    TableInfo createTable(String name, TableDescriptor descriptor)
    {
        TablePath path = TablePath.parse(name);
        catalog.createDatabase(path.database(), true);
        return catalog.createTable(path, descriptor, false);
    }

    InletCatalog catalog()
    {
        return catalog;
    }

    /** The configuration the catalog and the hot store were started with. */
    InletConfig config()
    {
        return config;
    }

    InletClient client()
    {
        return client;
    }

    Table paimonTable(String name)
    {
        return ((PaimonLakeBridge) catalog.bridge(LakeFormat.PAIMON)).loadTable(TablePath.parse(name));
    }

    /** A round as the service runs it, with {@code hooks}. */
    TieringRound round(RoundHooks hooks)
    {
        return new TieringRound(catalog, client, new LakeWriters(catalog, "inlet-tiering")::open, hooks, Duration.ofSeconds(30));
    }

    org.apache.iceberg.Table icebergTable(String name)
    {
        return ((IcebergLakeBridge) catalog.bridge(LakeFormat.ICEBERG)).loadTable(TablePath.parse(name));
    }

    /** Every row of the table's lake table, read by its own library (Paimon or Iceberg), as Java values in column order. */
    List<List<Object>> readLake(String name)
            throws IOException
    {
        return switch (catalog.getTable(TablePath.parse(name)).descriptor().lakeFormat()) {
            case PAIMON -> readPaimon(name);
            case ICEBERG -> readIceberg(name);
            case NONE -> throw new IllegalArgumentException(name + " has no lake table");
        };
    }

    /** Every row of the Iceberg table as Iceberg's generic reader returns it (deletes applied). */
    List<List<Object>> readIceberg(String name)
            throws IOException
    {
        org.apache.iceberg.Table table = icebergTable(name);
        List<List<Object>> rows = new ArrayList<>();
        try (org.apache.iceberg.io.CloseableIterable<org.apache.iceberg.data.Record> records = org.apache.iceberg.data.IcebergGenerics.read(table).build()) {
            for (org.apache.iceberg.data.Record record : records) {
                List<Object> values = new ArrayList<>();
                for (int i = 0; i < record.size(); i++) {
                    values.add(record.get(i));
                }
                rows.add(values);
            }
        }
        return rows;
    }

    /** Every row of the Paimon table, read by Paimon itself, as Java values in column order. */
    List<List<Object>> readPaimon(String name)
            throws IOException
    {
        Table table = paimonTable(name);
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
                case TIMESTAMP_WITHOUT_TIME_ZONE -> row.getTimestamp(i, 6).toLocalDateTime();
                case TIMESTAMP_WITH_LOCAL_TIME_ZONE -> row.getTimestamp(i, 6).toLocalDateTime().toInstant(ZoneOffset.UTC);
                default -> throw new IllegalArgumentException("no test mapping for " + field);
            });
        }
        return values;
    }

    @Override
    public void close()
    {
        client.close();
        server.close();
        catalog.close();
    }
}
