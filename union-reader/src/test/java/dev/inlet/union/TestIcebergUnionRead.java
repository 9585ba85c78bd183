/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.model.LakeFormat;
import dev.inlet.union.plan.ScanPlan;
import dev.inlet.union.plan.Split;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expressions;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestIcebergUnionRead
        extends AbstractTestUnionRead
{
    @Override
    LakeFormat format()
    {
        return LakeFormat.ICEBERG;
    }

    @Override
    boolean columnarLakeReads()
    {
        return true;
    }

    @Test
    void filesWithEqualityDeletesAreReadWithTheDeletesApplied()
    {
        cluster.createTable("shop.accounts", accounts().build());
        Map<Long, List<Object>> model = writeAccounts("shop.accounts");
        tier("shop.accounts");

        // the second round's updates and deletes are equality deletes on the first round's files:
        // those are read by Iceberg's delete filter, the rest column by column
        Read read = readWithStats(reader, ScanRequest.of("shop.accounts").withLakeOnly());
        assertThat(read.rows()).containsExactlyInAnyOrderElementsOf(model.values());
        assertThat(read.stats().lakeColumnarFiles.sum()).isPositive().isLessThan(read.stats().lakeFiles.sum());
    }

    @Test
    void aLakeSnapshotExpiredAfterPlanningMakesThePlanStale()
    {
        cluster.createTable("shop.expiring", events().build());
        append("shop.expiring", 0, 60);
        tier("shop.expiring");
        ScanPlan plan = reader.plan(ScanRequest.of("shop.expiring"));
        assertThat(plan.splits()).anyMatch(s -> s instanceof Split.Lake);

        // the table moves on without the planned snapshot's files, which expiry then deletes
        Table table = cluster.icebergTable("shop.expiring");
        table.newDelete().deleteFromRowFilter(Expressions.alwaysTrue()).commit();
        table.expireSnapshots().expireSnapshotId(plan.scan().lakeSnapshotId()).cleanExpiredFiles(true).commit();

        assertThatThrownBy(() -> readAllSplits(plan))
                .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.SCAN_PLAN_STALE))
                .hasMessageContaining("Lake snapshot " + plan.scan().lakeSnapshotId() + " of table shop.expiring expired");
    }
}
