/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.it;

import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.catalog.model.TieredOffset;
import dev.inlet.logstore.client.InletClient;
import dev.inlet.logstore.protocol.Actions;
import dev.inlet.union.ScanRequest;
import dev.inlet.union.UnionReader;
import dev.inlet.union.UnionScan;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** What the end-to-end tests check of a table: its union read, and tiering having caught up. */
final class LakeChecks
{
    private LakeChecks() {}

    /**
     * A union read of the whole table; planned again if tiering's maintenance expired the planned
     * snapshot meanwhile (the one retry the union reader asks of its callers).
     */
    static List<List<Object>> unionRead(UnionReader reader, TablePath table)
    {
        for (int attempt = 1; ; attempt++) {
            try (UnionScan scan = reader.scan(ScanRequest.of(table.toString()))) {
                return scan.rows();
            }
            catch (InletException e) {
                if (e.errorCode() != InletErrorCode.SCAN_PLAN_STALE || attempt == 3) {
                    throw e;
                }
            }
        }
    }

    /** Polls until the catalog records every hot offset of the table as tiered. */
    static void awaitCaughtUp(InletCatalog catalog, InletClient client, TablePath table)
    {
        long tableId = catalog.getTable(table).tableId();
        long hot = client.offsets(table.toString(), "", Actions.OffsetSpec.LATEST, 0).stream().mapToLong(Actions.BucketOffset::offset).sum();
        Instant deadline = Instant.now().plusSeconds(180);
        while (catalog.store().tieredOffsets(tableId).stream().mapToLong(TieredOffset::offset).sum() != hot) {
            assertThat(Instant.now()).as("tiering of %s caught up with the hot store (%d offsets)", table, hot).isBefore(deadline);
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos()); // between polls of the catalog
        }
    }
}
