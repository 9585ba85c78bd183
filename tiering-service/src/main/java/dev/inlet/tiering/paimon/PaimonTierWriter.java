/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering.paimon;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.logstore.client.ScanBatch;
import dev.inlet.logstore.protocol.ChangeType;
import dev.inlet.tiering.BucketRef;
import dev.inlet.tiering.LakeCheckpoint;
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
        return table.snapshotManager().latestSnapshotOfUser(commitUser)
                .map(s -> LakeCheckpoint.fromProperties(table.name(), tableId, s.id(), s.properties()));
    }

    @Override
    public void write(ScanBatch batch, int from, int to)
    {
        ArrowInternalRow row = new ArrowInternalRow(batch.root(), columns);
        try {
            for (int r = from; r < to; r++) {
                RowKind kind = switch (batch.changeType(r)) {
                    case APPEND, INSERT -> RowKind.INSERT;
                    case UPDATE_BEFORE -> null;
                    case UPDATE_AFTER -> RowKind.UPDATE_AFTER;
                    case DELETE -> RowKind.DELETE;
                };
                if (kind == null) {
                    continue;
                }
                row.at(r, kind);
                if (fixedBuckets) {
                    write.write(row, batch.bucket());
                }
                else {
                    write.write(row);
                }
            }
        }
        catch (Exception e) {
            throw failure("write rows of " + new BucketRef(batch.partition(), batch.bucket()) + " from offset " + (batch.baseOffset() + from), e);
        }
    }

    @Override
    public long commit(long round, Map<BucketRef, Long> offsets)
    {
        try {
            List<CommitMessage> messages = write.prepareCommit(false, round);
            ManifestCommittable committable = new ManifestCommittable(round, null, messages, LakeCheckpoint.properties(tableId, round, offsets));
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
