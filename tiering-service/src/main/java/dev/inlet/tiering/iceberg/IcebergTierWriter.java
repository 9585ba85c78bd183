/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering.iceberg;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.lake.BackfilledFile;
import dev.inlet.catalog.lake.BucketRef;
import dev.inlet.catalog.lake.LakeCheckpoint;
import dev.inlet.logstore.arrow.ArrowValues;
import dev.inlet.logstore.client.ScanBatch;
import dev.inlet.logstore.protocol.ChangeType;
import dev.inlet.tiering.LakeTierWriter;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.avro.util.Utf8;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotAncestryValidator;
import org.apache.iceberg.SnapshotUpdate;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.ClusteredDataWriter;
import org.apache.iceberg.io.ClusteredEqualityDeleteWriter;
import org.apache.iceberg.io.DataWriteResult;
import org.apache.iceberg.io.FanoutDataWriter;
import org.apache.iceberg.io.PartitioningWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.SnapshotUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Tiers into an Iceberg table with Iceberg's generic writers. A log table's rows are appended; a
 * primary-key table (identifier fields) is upserted: per key, the round's last change wins, and
 * each changed key gets an equality delete plus, unless it was deleted, its new row, all in one
 * {@link RowDelta} (an equality delete applies to the older data files, not to the rows added
 * with it). Rows of one hot bucket share one Iceberg partition (the bucket transform is Inlet's
 * bucket function), so the writers get their input clustered.
 *
 * <p>Exactly once: the snapshot summary carries the round, epoch and offsets; the newest such
 * ancestor of the current snapshot is where tiering stands. The commit is fenced: it validates
 * that the table's current snapshot is still the one the round started from, so Iceberg's
 * automatic retry on a concurrent commit fails instead of adding the rows on top of it.
 */
public final class IcebergTierWriter
        implements LakeTierWriter
{
    private static final Logger LOG = LoggerFactory.getLogger(IcebergTierWriter.class);
    /** Snapshot summary property naming the commit user (Iceberg has no commit users of its own). */
    public static final String COMMIT_USER_PROPERTY = "inlet.commit-user";
    private static final long TARGET_FILE_BYTES = 128L << 20;
    private static final Record DELETED = GenericRecord.create(new Schema());

    private final Table table;
    private final long tableId;
    private final String commitUser;
    private final Schema schema;
    private final boolean upsert;
    // the snapshot this round builds on: the table's current one as of the last lastCommitted()
    // (which may roll the table back); the commit is refused if the table moved on from it
    private Long base;
    private final PartitioningWriter<Record, DataWriteResult> data;
    private final ClusteredEqualityDeleteWriter<Record> deletes;
    private final Schema keySchema;
    private final InternalRecordWrapper wrapper;
    private final GenericRecord template;
    private final GenericRecord reused;
    // the round's buckets in the order they were written (each is one partition of the clustered writers)
    private final Map<BucketRef, Pending> pending = new LinkedHashMap<>();
    private boolean closed;
    // set by replacePartition: the rows the commit replaces
    private Expression replaced;

    public IcebergTierWriter(Table table, long tableId, String commitUser)
    {
        this(table, tableId, commitUser, false);
    }

    /**
     * @param unclustered whether rows may come in any order of buckets (a backfill): the writer
     *     then keeps a file open per partition, instead of expecting each bucket's rows together
     */
    public IcebergTierWriter(Table table, long tableId, String commitUser, boolean unclustered)
    {
        this.table = requireNonNull(table, "table is null");
        this.tableId = tableId;
        this.commitUser = requireNonNull(commitUser, "commitUser is null");
        table.refresh();
        this.schema = table.schema();
        this.base = table.currentSnapshot() == null ? null : table.currentSnapshot().snapshotId();
        this.upsert = !schema.identifierFieldIds().isEmpty();
        int[] keyIds = schema.identifierFieldIds().stream().mapToInt(Integer::intValue).toArray();
        this.keySchema = upsert ? schema.select(schema.identifierFieldNames()) : null;
        GenericFileWriterFactory.Builder factory = new GenericFileWriterFactory.Builder(table).dataFileFormat(FileFormat.PARQUET);
        if (upsert) {
            factory.deleteFileFormat(FileFormat.PARQUET).equalityFieldIds(keyIds).equalityDeleteRowSchema(keySchema);
        }
        GenericFileWriterFactory writers = factory.build();
        OutputFileFactory files = OutputFileFactory.builderFor(table, 1, System.nanoTime()).format(FileFormat.PARQUET).build();
        this.data = unclustered ? new FanoutDataWriter<>(writers, files, table.io(), TARGET_FILE_BYTES) : new ClusteredDataWriter<>(writers, files, table.io(), TARGET_FILE_BYTES);
        this.deletes = upsert ? new ClusteredEqualityDeleteWriter<>(writers, files, table.io(), TARGET_FILE_BYTES) : null;
        this.wrapper = new InternalRecordWrapper(schema.asStruct());
        this.template = GenericRecord.create(schema);
        this.reused = template.copy();
    }

    @Override
    public Optional<LakeCheckpoint> lastCommitted()
    {
        Optional<LakeCheckpoint> checkpoint = findLastCommitted();
        table.refresh();
        base = table.currentSnapshot() == null ? null : table.currentSnapshot().snapshotId();
        return checkpoint;
    }

    private Optional<LakeCheckpoint> findLastCommitted()
    {
        table.refresh();
        if (table.currentSnapshot() == null) {
            return Optional.empty();
        }
        List<Snapshot> tiering = new ArrayList<>(2);
        for (Snapshot s : SnapshotUtil.ancestorsOf(table.currentSnapshot().snapshotId(), table::snapshot)) {
            if (commitUser.equals(s.summary().get(COMMIT_USER_PROPERTY))) {
                tiering.add(s);
                if (tiering.size() == 2) {
                    break;
                }
            }
        }
        if (tiering.isEmpty()) {
            return Optional.empty();
        }
        LakeCheckpoint newest = checkpoint(tiering.getFirst());
        if (tiering.size() == 2) {
            LakeCheckpoint previous = checkpoint(tiering.get(1));
            if (newest.committedAfterLosingLease(previous)) {
                if (table.currentSnapshot().snapshotId() != newest.snapshotId()) {
                    throw new InletException(InletErrorCode.TIERING_FENCED, "Iceberg table " + table.name() + ": snapshot " + newest.snapshotId() + " was committed under lease epoch "
                            + newest.epoch() + " after epoch " + previous.epoch() + ", and later snapshots exist; roll the table back to snapshot " + previous.snapshotId() + " by hand");
                }
                LOG.error("Iceberg table {}: snapshot {} was committed under lease epoch {} after epoch {} had committed snapshot {}; rolling back to {}", table.name(),
                        newest.snapshotId(), newest.epoch(), previous.epoch(), previous.snapshotId(), previous.snapshotId());
                table.manageSnapshots().rollbackTo(previous.snapshotId()).commit();
                return Optional.of(previous);
            }
        }
        return Optional.of(newest);
    }

    @Override
    public Optional<LakeCheckpoint> newestCheckpoint()
    {
        table.refresh();
        if (table.currentSnapshot() == null) {
            return Optional.empty();
        }
        for (Snapshot s : SnapshotUtil.ancestorsOf(table.currentSnapshot().snapshotId(), table::snapshot)) {
            if (commitUser.equals(s.summary().get(COMMIT_USER_PROPERTY))) {
                return Optional.of(checkpoint(s));
            }
        }
        return Optional.empty();
    }

    private LakeCheckpoint checkpoint(Snapshot snapshot)
    {
        return LakeCheckpoint.fromProperties(table.name(), tableId, snapshot.snapshotId(), snapshot.summary());
    }

    @Override
    public void write(ScanBatch batch, int from, int to)
    {
        FieldVector[] vectors = vectors(batch);
        BucketRef bucket = new BucketRef(batch.partition(), batch.bucket());
        try {
            for (int r = from; r < to; r++) {
                write(batch, vectors, bucket, r);
            }
        }
        catch (RuntimeException e) {
            throw failure("write rows of " + bucket + " from offset " + (batch.baseOffset() + from), e);
        }
    }

    @Override
    public void write(ScanBatch batch, int[] rows, int count)
    {
        FieldVector[] vectors = vectors(batch);
        BucketRef bucket = new BucketRef(batch.partition(), batch.bucket());
        try {
            for (int i = 0; i < count; i++) {
                write(batch, vectors, bucket, rows[i]);
            }
        }
        catch (RuntimeException e) {
            throw failure("write rows of " + bucket, e);
        }
    }

    private FieldVector[] vectors(ScanBatch batch)
    {
        List<Types.NestedField> fields = schema.columns();
        FieldVector[] vectors = new FieldVector[fields.size()];
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = batch.root().getVector(fields.get(i).name());
        }
        return vectors;
    }

    private void write(ScanBatch batch, FieldVector[] vectors, BucketRef bucket, int r)
    {
        ChangeType type = batch.changeType(r);
        if (type == ChangeType.UPDATE_BEFORE) {
            return; // the +U after it carries the key's new row
        }
        // an appended row is encoded by the Parquet writer at once, so one record serves every
        // row; an upserted row is kept until the commit, so it gets its own
        Record record = record(vectors, r, upsert ? template.copy() : reused);
        // one hot bucket is one Iceberg partition: its key is computed once
        Pending p = pending.computeIfAbsent(bucket, b -> new Pending(partitionOf(record)));
        if (!upsert) {
            data.write(record, table.spec(), p.partition);
            return;
        }
        List<Object> key = new ArrayList<>(keySchema.columns().size());
        for (Types.NestedField k : keySchema.columns()) {
            key.add(record.getField(k.name()));
        }
        p.last.put(key, type == ChangeType.DELETE ? DELETED : record);
    }

    private PartitionKey partitionOf(Record record)
    {
        PartitionKey key = new PartitionKey(table.spec(), schema);
        key.partition(wrapper.wrap(record));
        return key;
    }

    /** Per bucket of the round: its Iceberg partition and, for upserts, each changed key's last row (or {@link #DELETED}). */
    private static final class Pending
    {
        final PartitionKey partition;
        final Map<List<Object>, Record> last = new LinkedHashMap<>();

        Pending(PartitionKey partition)
        {
            this.partition = partition;
        }
    }

    /** Writes each bucket's final rows: an equality delete per changed key, then its row unless it was deleted. */
    private void flushUpserts()
    {
        for (Pending p : pending.values()) {
            for (Map.Entry<List<Object>, Record> e : p.last.entrySet()) {
                if (base != null) {
                    // (an empty table has no older row of the key to delete)
                    GenericRecord key = GenericRecord.create(keySchema);
                    for (int i = 0; i < e.getKey().size(); i++) {
                        key.set(i, e.getKey().get(i));
                    }
                    deletes.write(key, table.spec(), p.partition);
                }
                if (e.getValue() != DELETED) {
                    data.write(e.getValue(), table.spec(), p.partition);
                }
            }
        }
    }

    private Record record(FieldVector[] vectors, int row, GenericRecord record)
    {
        for (int i = 0; i < vectors.length; i++) {
            if (vectors[i] instanceof VarCharVector text) {
                // the UTF-8 bytes as they are: Iceberg's Parquet writer writes a Utf8 without
                // decoding it into a String and encoding it again
                record.set(i, text.isNull(row) ? null : new Utf8(text.get(row)));
                continue;
            }
            Object value = vectors[i] == null ? null : ArrowValues.get(vectors[i], row);
            record.set(i, value == null ? null : switch (value) {
                case Byte b -> (int) b;
                case Short s -> (int) s;
                case byte[] bytes -> ByteBuffer.wrap(bytes);
                case Instant instant -> instant.atOffset(ZoneOffset.UTC);
                case LocalDateTime time -> time;
                case BigDecimal decimal -> decimal;
                default -> value;
            });
        }
        return record;
    }

    @Override
    public long commit(long round, long epoch, Map<BucketRef, Long> offsets, List<BackfilledFile> backfilled)
    {
        try {
            if (upsert) {
                flushUpserts();
            }
            data.close();
            List<DataFile> dataFiles = data.result().dataFiles();
            List<DeleteFile> deleteFiles = List.of();
            if (deletes != null) {
                deletes.close();
                deleteFiles = deletes.result().deleteFiles();
            }
            closed = true;
            Map<String, String> properties = new HashMap<>(backfilled.isEmpty() ? LakeCheckpoint.properties(tableId, round, epoch, offsets)
                    : LakeCheckpoint.backfillProperties(tableId, round, epoch, offsets, backfilled));
            properties.put(COMMIT_USER_PROPERTY, commitUser);
            SnapshotUpdate<?> update;
            if (upsert) {
                RowDelta delta = table.newRowDelta();
                dataFiles.forEach(delta::addRows);
                deleteFiles.forEach(delta::addDeletes);
                update = delta;
            }
            else if (replaced != null) {
                // the partition's rows are deleted by its values, not by the files' partitions: one
                // Inlet partition spans several Iceberg partitions (one per bucket)
                OverwriteFiles overwrite = table.newOverwrite().overwriteByRowFilter(replaced);
                dataFiles.forEach(overwrite::addFile);
                update = overwrite;
            }
            else {
                AppendFiles append = table.newAppend();
                dataFiles.forEach(append::appendFile);
                update = append;
            }
            properties.forEach(update::set);
            update.validateWith(new UnchangedSince(base));
            update.commit();
        }
        catch (IOException | RuntimeException e) {
            throw failure("commit round " + round, e);
        }
        table.refresh();
        return table.currentSnapshot().snapshotId();
    }

    @Override
    public void replacePartition(Map<String, Object> values)
    {
        if (upsert) {
            throw new UnsupportedOperationException("Iceberg table " + table.name() + " has a primary key; its partitions are not replaced");
        }
        Expression filter = Expressions.alwaysTrue();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            Object value = literal(e.getValue());
            filter = Expressions.and(filter, value == null ? Expressions.isNull(e.getKey()) : Expressions.equal(e.getKey(), value));
        }
        replaced = filter;
    }

    /** A partition value as an Iceberg literal: dates and times as their ISO text, which Iceberg binds to the column's type. */
    private static Object literal(Object value)
    {
        return switch (value) {
            case null -> null;
            case Byte b -> (int) b;
            case Short s -> (int) s;
            case java.time.temporal.Temporal time -> time.toString();
            case byte[] bytes -> ByteBuffer.wrap(bytes);
            default -> value;
        };
    }

    /** Accepts the commit only if the table's current snapshot is still {@code base} (null: no snapshot). */
    private record UnchangedSince(Long base)
            implements SnapshotAncestryValidator
    {
        @Override
        public boolean validate(Iterable<Snapshot> ancestors)
        {
            var it = ancestors.iterator();
            return base == null ? !it.hasNext() : it.hasNext() && it.next().snapshotId() == base;
        }

        @Override
        public String errorMessage()
        {
            return "the table gained a snapshot since the tiering round started from " + (base == null ? "no snapshot" : "snapshot " + base);
        }
    }

    private InletException failure(String what, Exception e)
    {
        return new InletException(InletErrorCode.LAKE_FAILURE, "Tiering into Iceberg table " + table.name() + " (" + table.location() + ") failed to " + what + ": " + e.getMessage(), e);
    }

    @Override
    public void close()
    {
        if (closed) {
            return;
        }
        closed = true;
        // not committed: the files are referenced by no snapshot; delete them now
        try {
            data.close();
            data.result().dataFiles().forEach(f -> table.io().deleteFile(f.location()));
            if (deletes != null) {
                deletes.close();
                deletes.result().deleteFiles().forEach(f -> table.io().deleteFile(f.location()));
            }
        }
        catch (IOException | RuntimeException e) {
            LOG.warn("Cannot delete the uncommitted files of a tiering round of {}; orphan-file cleanup will", table.name(), e);
        }
    }
}
