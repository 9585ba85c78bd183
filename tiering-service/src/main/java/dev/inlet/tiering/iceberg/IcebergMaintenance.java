/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering.iceberg;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.RewriteFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.ClusteredDataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Keeps an Iceberg table that tiering upserts cheap to read, between rounds and in the round's
 * thread (so it never races tiering's own commits):
 * <ul>
 * <li><b>Compaction</b> folds the equality deletes of a partition that has gathered at least
 *     {@code deleteFilesThreshold} of them: its live rows (deletes applied) are written to new
 *     data files, which replace its data and delete files in one rewrite. A reader then applies no
 *     deletes there at all.</li>
 * <li><b>Snapshot expiry</b> drops snapshots older than {@code maxSnapshotAge} beyond the newest
 *     {@code retainSnapshots}, and the files only they referenced.</li>
 * </ul>
 */
public final class IcebergMaintenance
{
    private static final Logger LOG = LoggerFactory.getLogger(IcebergMaintenance.class);
    private static final long TARGET_FILE_BYTES = 128L << 20;

    private final Table table;
    private final int deleteFilesThreshold;
    private final int retainSnapshots;
    private final Duration maxSnapshotAge;

    public IcebergMaintenance(Table table, int deleteFilesThreshold, int retainSnapshots, Duration maxSnapshotAge)
    {
        this.table = requireNonNull(table, "table is null");
        if (deleteFilesThreshold < 1 || retainSnapshots < 2) {
            throw new IllegalArgumentException("deleteFilesThreshold must be >= 1 and retainSnapshots >= 2 (tiering reads the snapshot before the newest)");
        }
        this.deleteFilesThreshold = deleteFilesThreshold;
        this.retainSnapshots = retainSnapshots;
        this.maxSnapshotAge = requireNonNull(maxSnapshotAge, "maxSnapshotAge is null");
    }

    /** One partition's files as of a snapshot. */
    private static final class PartitionFiles
    {
        final StructLike partition;
        final Set<DataFile> data = new LinkedHashSet<>();
        final Map<String, DeleteFile> deletes = new LinkedHashMap<>();

        PartitionFiles(StructLike partition)
        {
            this.partition = partition;
        }
    }

    /**
     * Rewrites every partition with at least the threshold of delete files.
     *
     * @return how many partitions were rewritten
     */
    public int compact()
    {
        table.refresh();
        Snapshot snapshot = table.currentSnapshot();
        if (snapshot == null) {
            return 0;
        }
        PartitionSpec spec = table.spec();
        Map<String, PartitionFiles> partitions = new LinkedHashMap<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(snapshot.snapshotId()).planFiles()) {
            for (FileScanTask task : tasks) {
                String key = spec.partitionToPath(task.file().partition());
                PartitionFiles files = partitions.computeIfAbsent(key, k -> new PartitionFiles(task.file().partition()));
                files.data.add(task.file());
                task.deletes().forEach(d -> files.deletes.put(d.location(), d));
            }
        }
        catch (IOException | RuntimeException e) {
            throw failure("plan the compaction", e);
        }
        List<String> names = new ArrayList<>();
        RewriteFiles rewrite = table.newRewrite().validateFromSnapshot(snapshot.snapshotId());
        int dataFiles = 0;
        int deleteFiles = 0;
        int addedFiles = 0;
        for (Map.Entry<String, PartitionFiles> e : partitions.entrySet()) {
            PartitionFiles files = e.getValue();
            if (files.deletes.size() < deleteFilesThreshold) {
                continue;
            }
            List<DataFile> added = rewrite(snapshot, e.getKey(), files);
            files.data.forEach(rewrite::deleteFile);
            files.deletes.values().forEach(rewrite::deleteFile);
            added.forEach(rewrite::addFile);
            names.add(e.getKey());
            dataFiles += files.data.size();
            deleteFiles += files.deletes.size();
            addedFiles += added.size();
        }
        if (names.isEmpty()) {
            return 0;
        }
        try {
            // one commit for every partition: one snapshot, validated against the planned one
            rewrite.commit();
        }
        catch (RuntimeException e) {
            throw failure("commit the compaction of partitions " + names, e);
        }
        LOG.info("Compacted {} partitions of Iceberg table {}: {} data and {} delete files into {} data files", names.size(), table.name(), dataFiles, deleteFiles, addedFiles);
        return names.size();
    }

    /** Writes the live rows of one partition (its deletes applied) into new data files. */
    private List<DataFile> rewrite(Snapshot snapshot, String name, PartitionFiles files)
    {
        PartitionSpec spec = table.spec();
        GenericFileWriterFactory writers = new GenericFileWriterFactory.Builder(table).dataFileFormat(FileFormat.PARQUET).build();
        OutputFileFactory outputs = OutputFileFactory.builderFor(table, 2, System.nanoTime()).format(FileFormat.PARQUET).build();
        ClusteredDataWriter<Record> writer = new ClusteredDataWriter<>(writers, outputs, table.io(), TARGET_FILE_BYTES);
        try {
            try (writer; CloseableIterable<Record> live = IcebergGenerics.read(table).useSnapshot(snapshot.snapshotId()).where(filter(spec, files.partition)).build()) {
                for (Record record : live) {
                    writer.write(record, spec, files.partition);
                }
            }
            return new ArrayList<>(writer.result().dataFiles());
        }
        catch (IOException | RuntimeException e) {
            throw failure("compact partition " + name, e);
        }
    }

    /** The rows of one partition: identity fields equal, bucket fields equal as buckets. */
    private static Expression filter(PartitionSpec spec, StructLike partition)
    {
        Expression filter = Expressions.alwaysTrue();
        List<PartitionField> fields = spec.fields();
        for (int i = 0; i < fields.size(); i++) {
            PartitionField field = fields.get(i);
            String source = spec.schema().findColumnName(field.sourceId());
            Object value = partition.get(i, Object.class);
            String transform = field.transform().toString();
            Expression term;
            if (field.transform().isIdentity()) {
                term = value == null ? Expressions.isNull(source) : Expressions.equal(source, value);
            }
            else if (transform.startsWith("bucket[")) {
                int buckets = Integer.parseInt(transform.substring("bucket[".length(), transform.length() - 1));
                term = Expressions.equal(Expressions.<Object>bucket(source, buckets), value);
            }
            else {
                throw new IllegalStateException("Inlet's Iceberg tables have identity and bucket partitions only, not " + transform);
            }
            filter = Expressions.and(filter, term);
        }
        return filter;
    }

    /**
     * Expires old snapshots (and the files only they referenced), never the newest two that
     * {@code commitUser}'s tiering committed (tiering reads them); returns how many snapshots are left.
     */
    public int expireSnapshots(Instant now, String commitUser)
    {
        try {
            table.refresh();
            long before = now.minus(maxSnapshotAge).toEpochMilli();
            if (table.currentSnapshot() != null) {
                int tiering = 0;
                for (Snapshot s : org.apache.iceberg.util.SnapshotUtil.ancestorsOf(table.currentSnapshot().snapshotId(), table::snapshot)) {
                    if (commitUser.equals(s.summary().get(IcebergTierWriter.COMMIT_USER_PROPERTY)) && ++tiering == 2) {
                        before = Math.min(before, s.timestampMillis());
                        break;
                    }
                }
            }
            table.expireSnapshots().expireOlderThan(before).retainLast(retainSnapshots).commit();
            table.refresh();
            int left = 0;
            for (Snapshot ignored : table.snapshots()) {
                left++;
            }
            return left;
        }
        catch (RuntimeException e) {
            throw failure("expire snapshots", e);
        }
    }

    /**
     * Deletes files under the table's {@code data/} folder that no snapshot references and that
     * are older than {@code olderThan}: the files of rounds that crashed before their commit.
     *
     * @return how many files were deleted
     */
    public int removeOrphanFiles(Instant olderThan)
    {
        try {
            table.refresh();
            Set<String> referenced = new java.util.HashSet<>();
            for (Snapshot snapshot : table.snapshots()) {
                for (org.apache.iceberg.ManifestFile manifest : snapshot.allManifests(table.io())) {
                    if (manifest.content() == org.apache.iceberg.ManifestContent.DATA) {
                        try (var files = org.apache.iceberg.ManifestFiles.read(manifest, table.io(), table.specs())) {
                            files.forEach(f -> referenced.add(f.location()));
                        }
                    }
                    else {
                        try (var files = org.apache.iceberg.ManifestFiles.readDeleteManifest(manifest, table.io(), table.specs())) {
                            files.forEach(f -> referenced.add(f.location()));
                        }
                    }
                }
            }
            String prefix = table.location().replaceAll("/+$", "") + "/data/";
            int deleted = 0;
            for (org.apache.iceberg.io.FileInfo file : ((org.apache.iceberg.io.SupportsPrefixOperations) table.io()).listPrefix(prefix)) {
                if (!referenced.contains(file.location()) && file.createdAtMillis() < olderThan.toEpochMilli()) {
                    table.io().deleteFile(file.location());
                    deleted++;
                }
            }
            if (deleted > 0) {
                LOG.info("Deleted {} orphan files of Iceberg table {}", deleted, table.name());
            }
            return deleted;
        }
        catch (IOException | RuntimeException e) {
            throw failure("remove orphan files", e);
        }
    }

    private InletException failure(String what, Exception e)
    {
        return new InletException(InletErrorCode.LAKE_FAILURE, "Maintenance of Iceberg table " + table.name() + " failed to " + what + ": " + e.getMessage(), e);
    }
}
