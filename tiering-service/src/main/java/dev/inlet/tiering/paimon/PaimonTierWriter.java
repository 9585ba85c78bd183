/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering.paimon;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.lake.BackfilledFile;
import dev.inlet.catalog.lake.BucketRef;
import dev.inlet.catalog.lake.LakeCheckpoint;
import dev.inlet.logstore.client.ScanBatch;
import dev.inlet.logstore.protocol.ChangeType;
import dev.inlet.tiering.LakeTierWriter;
import org.apache.paimon.CoreOptions;
import org.apache.paimon.Snapshot;
import org.apache.paimon.manifest.ManifestCommittable;
import org.apache.paimon.table.FileStoreTable;
import org.apache.paimon.table.Table;
import org.apache.paimon.table.sink.CommitMessage;
import org.apache.paimon.table.sink.StreamWriteBuilder;
import org.apache.paimon.table.sink.TableCommitImpl;
import org.apache.paimon.table.sink.TableWriteImpl;
import org.apache.paimon.types.RowKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Tiers into a Paimon table with Paimon's own writer and commit. Exactly once through Paimon's
 * commit user: every round is a {@link ManifestCommittable} whose identifier is the round number
 * and whose properties carry the offsets; {@code filterAndCommitMultiple} skips a round the table
 * already holds, and the newest snapshot of the commit user says where tiering stands.
 *
 * <p>Rows go to the hot bucket they came from ({@code write(row, bucket)}): the lake table uses
 * the same bucket function (see {@code PaimonSchemas}), so a lake bucket holds one hot bucket. A
 * primary-key table receives its changelog by row kind; {@code -U} rows are left out, since the
 * {@code +U} after them replaces the row under Paimon's {@code deduplicate} engine anyway.
 */
public final class PaimonTierWriter
        implements LakeTierWriter
{
    private static final Logger LOG = LoggerFactory.getLogger(PaimonTierWriter.class);

    private final FileStoreTable table;
    private final long tableId;
    private final String commitUser;
    private final TableWriteImpl<?> write;
    private final TableCommitImpl commit;
    private final boolean fixedBuckets;
    private final List<String> columns;

    public PaimonTierWriter(Table table, long tableId, String commitUser)
    {
        this.table = (FileStoreTable) requireNonNull(table, "table is null");
        this.tableId = tableId;
        this.commitUser = requireNonNull(commitUser, "commitUser is null");
        StreamWriteBuilder builder = table.newStreamWriteBuilder().withCommitUser(commitUser);
        this.write = (TableWriteImpl<?>) builder.newWrite();
        // a round whose buckets only gained zero-record batches still moves the offsets forward
        this.commit = ((TableCommitImpl) builder.newCommit()).ignoreEmptyCommit(false);
        this.fixedBuckets = new CoreOptions(this.table.options()).bucket() > 0;
        this.columns = this.table.rowType().getFieldNames();
    }

    @Override
    public Optional<LakeCheckpoint> lastCommitted()
    {
        Optional<Snapshot> latest = table.snapshotManager().latestSnapshotOfUser(commitUser);
        if (latest.isEmpty()) {
            return Optional.empty();
        }
        LakeCheckpoint newest = checkpoint(latest.get());
        Optional<Snapshot> before = previousRound(latest.get(), newest.round());
        if (before.isPresent()) {
            LakeCheckpoint previous = checkpoint(before.get());
            if (newest.committedAfterLosingLease(previous)) {
                Long head = table.snapshotManager().latestSnapshotId();
                if (head == null || head != latest.get().id()) {
                    throw new InletException(InletErrorCode.TIERING_FENCED, "Paimon table " + table.name() + ": snapshot " + newest.snapshotId() + " was committed by a tiering process whose lease (epoch "
                            + newest.epoch() + ") had been taken over by epoch " + previous.epoch() + ", and later snapshots exist; roll the table back to snapshot " + previous.snapshotId()
                            + " by hand");
                }
                LOG.error("Paimon table {}: snapshot {} was committed under lease epoch {} after epoch {} had committed snapshot {}; rolling back to {}", table.name(),
                        newest.snapshotId(), newest.epoch(), previous.epoch(), previous.snapshotId(), previous.snapshotId());
                table.rollbackTo(previous.snapshotId());
                return Optional.of(previous);
            }
        }
        return Optional.of(newest);
    }

    @Override
    public Optional<LakeCheckpoint> newestCheckpoint()
    {
        return table.snapshotManager().latestSnapshotOfUser(commitUser).map(this::checkpoint);
    }

    private LakeCheckpoint checkpoint(Snapshot snapshot)
    {
        return LakeCheckpoint.fromProperties(table.name(), tableId, snapshot.id(), snapshot.properties());
    }

    /** The newest snapshot of the commit user from a round before {@code round} (compactions of one commit carry its round), looking back a bounded way. */
    private Optional<Snapshot> previousRound(Snapshot latest, long round)
    {
        Long earliest = table.snapshotManager().earliestSnapshotId();
        for (long id = latest.id() - 1; earliest != null && id >= earliest && id > latest.id() - 100; id--) {
            if (!table.snapshotManager().snapshotExists(id)) {
                break;
            }
            Snapshot s = table.snapshotManager().snapshot(id);
            if (commitUser.equals(s.commitUser()) && s.commitIdentifier() < round) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    @Override
    public void write(ScanBatch batch, int from, int to)
    {
        ArrowInternalRow row = new ArrowInternalRow(batch.root(), columns);
        try {
            for (int r = from; r < to; r++) {
                write(batch, row, r);
            }
        }
        catch (Exception e) {
            throw failure("write rows of " + new BucketRef(batch.partition(), batch.bucket()) + " from offset " + (batch.baseOffset() + from), e);
        }
    }

    @Override
    public void write(ScanBatch batch, int[] rows, int count)
    {
        ArrowInternalRow row = new ArrowInternalRow(batch.root(), columns);
        try {
            for (int i = 0; i < count; i++) {
                write(batch, row, rows[i]);
            }
        }
        catch (Exception e) {
            throw failure("write rows of " + new BucketRef(batch.partition(), batch.bucket()), e);
        }
    }

    private void write(ScanBatch batch, ArrowInternalRow row, int r)
            throws Exception
    {
        RowKind kind = switch (batch.changeType(r)) {
            case APPEND, INSERT -> RowKind.INSERT;
            case UPDATE_BEFORE -> null;
            case UPDATE_AFTER -> RowKind.UPDATE_AFTER;
            case DELETE -> RowKind.DELETE;
        };
        if (kind == null) {
            return;
        }
        row.at(r, kind);
        if (fixedBuckets) {
            write.write(row, batch.bucket());
        }
        else {
            write.write(row);
        }
    }

    @Override
    public long commit(long round, long epoch, Map<BucketRef, Long> offsets, List<BackfilledFile> backfilled)
    {
        try {
            List<CommitMessage> messages = write.prepareCommit(false, round);
            Map<String, String> properties = backfilled.isEmpty() ? LakeCheckpoint.properties(tableId, round, epoch, offsets)
                    : LakeCheckpoint.backfillProperties(tableId, round, epoch, offsets, backfilled);
            ManifestCommittable committable = new ManifestCommittable(round, null, messages, properties);
            commit.filterAndCommitMultiple(List.of(committable));
        }
        catch (Exception e) {
            throw failure("commit round " + round, e);
        }
        // committed now or by an earlier try of the same round: either way the newest snapshot of
        // the commit user holds it
        Snapshot latest = table.snapshotManager().latestSnapshotOfUser(commitUser)
                .orElseThrow(() -> new InletException(InletErrorCode.LAKE_FAILURE, "Paimon table " + table.name() + " has no snapshot of " + commitUser + " after round " + round));
        if (latest.commitIdentifier() < round) {
            throw new InletException(InletErrorCode.LAKE_FAILURE, "Paimon table " + table.name() + ": round " + round + " was committed but the newest snapshot of " + commitUser
                    + " is of round " + latest.commitIdentifier());
        }
        return latest.id();
    }

    @Override
    public void replacePartition(Map<String, Object> values)
    {
        Map<String, String> partition = new java.util.LinkedHashMap<>();
        // Paimon names a partition by the values' text, as Inlet's partition names do
        values.forEach((column, value) -> partition.put(column, value == null ? null : dev.inlet.logstore.cli.TextValues.format(value)));
        commit.withOverwrite(partition);
    }

    private InletException failure(String what, Exception e)
    {
        return new InletException(InletErrorCode.LAKE_FAILURE, "Tiering into Paimon table " + table.name() + " (" + table.location() + ") failed to " + what + ": " + e.getMessage(), e);
    }

    @Override
    public void close()
    {
        // files written but not committed are never referenced by a snapshot: invisible, and
        // removed by Paimon's orphan-file cleanup
        try {
            write.close();
        }
        catch (Exception e) {
            throw failure("close its writer", e);
        }
        finally {
            try {
                commit.close();
            }
            catch (Exception e) {
                // nothing to keep: a commit is never half-done in Paimon
            }
        }
    }
}
