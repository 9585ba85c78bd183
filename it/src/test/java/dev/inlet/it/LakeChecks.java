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
import dev.inlet.logstore.client.LogScanner;
import dev.inlet.logstore.client.ScanBatch;
import dev.inlet.logstore.client.ScanOptions;
import dev.inlet.logstore.client.StartPosition;
import dev.inlet.logstore.protocol.Actions;
import dev.inlet.union.ScanRequest;
import dev.inlet.union.UnionReader;
import dev.inlet.union.UnionScan;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    /** Every row the hot store holds for a table of {@link AckingWriter} rows, by id; a row stored twice fails the test. */
    static Map<Long, List<Object>> hotRows(InletClient client, TablePath table)
    {
        long total = client.offsets(table.toString(), "", Actions.OffsetSpec.LATEST, 0).stream().mapToLong(Actions.BucketOffset::offset).sum();
        Map<Long, List<Object>> stored = new HashMap<>();
        try (LogScanner scanner = client.newScanner(table.toString(), ScanOptions.defaults())) {
            scanner.subscribeAll("", StartPosition.earliest());
            Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
            long seen = 0;
            while (seen < total) {
                assertThat(Instant.now()).as("reading %s back", table).isBefore(deadline);
                for (ScanBatch batch : scanner.poll(Duration.ofMillis(200))) {
                    try (batch) {
                        for (Object[] row : batch.rows()) {
                            long id = (Long) row[0];
                            assertThat(row).containsExactly(AckingWriter.row(id));
                            assertThat(stored.put(id, Arrays.asList(row))).as("row %s of %s stored once", id, table).isNull();
                            seen++;
                        }
                    }
                }
            }
        }
        return stored;
    }

    /**
     * The rows, whose first column is a unique {@code long} id, are exactly {@code expected}: the
     * same multiset, compared sorted by id (linear, where AssertJ's any-order comparison is
     * quadratic and takes minutes on hundreds of thousands of rows).
     */
    static void assertSameRows(List<List<Object>> actual, java.util.Collection<List<Object>> expected, String description)
    {
        java.util.Comparator<List<Object>> byId = java.util.Comparator.comparing(row -> (Long) row.get(0));
        List<List<Object>> got = new java.util.ArrayList<>(actual);
        got.sort(byId);
        List<List<Object>> want = new java.util.ArrayList<>(expected);
        want.sort(byId);
        assertThat(got.size()).as("%s: rows", description).isEqualTo(want.size());
        for (int i = 0; i < want.size(); i++) {
            assertThat(got.get(i)).as("%s: row %d by id", description, i).isEqualTo(want.get(i));
        }
    }
}
