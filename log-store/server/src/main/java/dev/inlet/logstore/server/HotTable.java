/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.server;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TableInfo;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.logstore.arrow.ArrowSchemas;
import dev.inlet.logstore.arrow.IpcProjection;
import dev.inlet.logstore.protocol.PartitionNames;
import dev.inlet.logstore.protocol.RowRouter;
import dev.inlet.logstore.storage.FileTrees;
import org.apache.arrow.vector.types.pojo.Schema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * One table in the hot store: its definition (as of the schema the server writes with), the Arrow
 * schemas of every schema id it has written, and its partitions, each with its buckets. Data lives
 * under {@code <dir>/<partition>/<bucket>/}, where an unpartitioned table's only partition is the
 * folder {@code _} and a partition's folder is its URL-encoded name.
 *
 * <p>Thread-safe.
 */
final class HotTable
        implements AutoCloseable
{
    static final String UNPARTITIONED_DIR = "_";

    private final TablePath path;
    private final Path dir;
    private final IntFunction<TableDescriptor> schemas;
    private final Map<Integer, Schema> arrowSchemas = new ConcurrentHashMap<>();
    private final Map<String, IpcProjection> projections = new ConcurrentHashMap<>();
    private final Map<String, HotPartition> partitions = new ConcurrentHashMap<>();
    private final BucketOpener opener;
    private final KvTableState kv;
    private volatile TableInfo info;
    private volatile RowRouter router;

    /** Opens one bucket's log; the server passes its storage configuration and group commit. */
    interface BucketOpener
    {
        HotBucket open(TablePath table, String partition, int bucket, Path dir);
    }

    /**
     * @param kv the key-value state shared by the buckets of a primary-key table; null for a log table
     */
    HotTable(TableInfo info, Path dir, IntFunction<TableDescriptor> schemas, BucketOpener opener, KvTableState kv)
    {
        this.kv = kv;
        this.info = requireNonNull(info, "info is null");
        this.path = info.path();
        this.dir = requireNonNull(dir, "dir is null");
        this.schemas = requireNonNull(schemas, "schemas is null");
        this.opener = requireNonNull(opener, "opener is null");
        this.router = new RowRouter(info.descriptor());
        loadPartitions();
    }

    private void loadPartitions()
    {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> children = Files.list(dir)) {
            for (Path child : children.filter(Files::isDirectory).toList()) {
                String folder = child.getFileName().toString();
                String name = folder.equals(UNPARTITIONED_DIR) ? "" : URLDecoder.decode(folder, StandardCharsets.UTF_8);
                partitions.put(name, new HotPartition(name, openBuckets(name, child)));
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot list the partitions of " + path + " in " + dir, e);
        }
    }

    private HotBucket[] openBuckets(String partition, Path partitionDir)
    {
        HotBucket[] buckets = new HotBucket[info.descriptor().bucketCount()];
        for (int b = 0; b < buckets.length; b++) {
            Path bucketDir = partitionDir.resolve(Integer.toString(b));
            buckets[b] = opener.open(path, partition, b, bucketDir);
            if (kv != null) {
                buckets[b].attachKv(kv.openTablet(buckets[b].describe(), bucketDir, buckets[b].log()));
            }
        }
        return buckets;
    }

    TablePath path()
    {
        return path;
    }

    TableInfo info()
    {
        return info;
    }

    TableDescriptor descriptor()
    {
        return info.descriptor();
    }

    /** The current schema id and definition, read together. */
    dev.inlet.logstore.kv.TableSchema schema()
    {
        TableInfo current = info;
        return new dev.inlet.logstore.kv.TableSchema(current.schemaId(), current.descriptor());
    }

    RowRouter router()
    {
        return router;
    }

    /** The state shared by the buckets of a primary-key table. */
    KvTableState kv()
    {
        if (kv == null) {
            throw new IllegalStateException("table " + path + " has no primary key");
        }
        return kv;
    }

    /** Adopts a newer record of the table (after a column was added). */
    void update(TableInfo newer)
    {
        if (newer.tableId() != info.tableId()) {
            throw new IllegalArgumentException("table " + path + " was dropped and created again (id " + info.tableId() + " -> " + newer.tableId() + ")");
        }
        if (newer.schemaId() > info.schemaId()) {
            info = newer;
            router = new RowRouter(newer.descriptor());
            if (kv != null) {
                kv.update(newer);
            }
        }
    }

    /** The Arrow schema of batches written with {@code schemaId} (a primary-key table's ends with {@code _change_type}). */
    Schema arrowSchema(int schemaId)
    {
        return arrowSchemas.computeIfAbsent(schemaId, id -> ArrowSchemas.toLogSchema(id == info.schemaId() ? info.descriptor() : schemas.apply(id)));
    }

    /** The pruning of batches of {@code schemaId} to the fields at {@code selected}, cached. */
    IpcProjection projection(int schemaId, int[] selected)
    {
        return projections.computeIfAbsent(schemaId + ":" + java.util.Arrays.toString(selected), k -> IpcProjection.of(arrowSchema(schemaId), selected));
    }

    /** The table definition as of {@code schemaId}. */
    TableDescriptor descriptor(int schemaId)
    {
        return schemaId == info.schemaId() ? info.descriptor() : schemas.apply(schemaId);
    }

    /**
     * The buckets of a partition, created on first write when {@code create} is set.
     *
     * @throws InletException {@code PARTITION_NOT_FOUND} or {@code WRONG_PARTITION} naming the partition
     */
    HotPartition partition(String name, boolean create)
    {
        HotPartition partition = partitions.get(name);
        if (partition != null) {
            return partition;
        }
        try {
            PartitionNames.values(info.descriptor(), name);
        }
        catch (IllegalArgumentException e) {
            throw new InletException(InletErrorCode.WRONG_PARTITION, "Table " + path + ": " + e.getMessage());
        }
        if (!create) {
            throw new InletException(InletErrorCode.PARTITION_NOT_FOUND, "Table " + path + " has no partition '" + name + "'");
        }
        return partitions.computeIfAbsent(name, n -> new HotPartition(n, openBuckets(n, dir.resolve(folder(n)))));
    }

    static String folder(String partition)
    {
        return partition.isEmpty() ? UNPARTITIONED_DIR : URLEncoder.encode(partition, StandardCharsets.UTF_8);
    }

    boolean hasPartition(String name)
    {
        return partitions.containsKey(name);
    }

    List<HotPartition> partitions()
    {
        return new ArrayList<>(new TreeMap<>(partitions).values());
    }

    /** Deletes a partition's hot data. */
    boolean dropPartition(String name)
    {
        HotPartition partition = partitions.remove(name);
        if (partition == null) {
            return false;
        }
        partition.closeAndDelete();
        FileTrees.deleteRecursively(dir.resolve(folder(name)));
        return true;
    }

    @Override
    public void close()
    {
        partitions.values().forEach(HotPartition::close);
    }

    /** One partition: its buckets. */
    record HotPartition(String name, HotBucket[] buckets)
    {
        HotBucket bucket(TablePath table, int bucket)
        {
            if (bucket < 0 || bucket >= buckets.length) {
                throw new InletException(InletErrorCode.WRONG_BUCKET, "Table " + table + " has buckets 0 to " + (buckets.length - 1) + "; bucket " + bucket + " does not exist");
            }
            return buckets[bucket];
        }

        void close()
        {
            for (HotBucket b : buckets) {
                b.close();
            }
        }

        void closeAndDelete()
        {
            for (HotBucket b : buckets) {
                b.closeAndDelete();
            }
        }
    }
}
