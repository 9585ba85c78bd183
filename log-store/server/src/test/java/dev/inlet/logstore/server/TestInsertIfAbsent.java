/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.server;

import dev.inlet.catalog.model.DataType;
import dev.inlet.catalog.model.MergeEngine;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.logstore.client.InletClient;
import dev.inlet.logstore.client.LogScanner;
import dev.inlet.logstore.client.ScanBatch;
import dev.inlet.logstore.client.ScanOptions;
import dev.inlet.logstore.client.StartPosition;
import dev.inlet.logstore.client.UpsertWriter;
import dev.inlet.logstore.client.WriterOptions;
import dev.inlet.logstore.protocol.Actions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The insert-if-absent write (what a backfill of history sends): a key without a row gets one with
 * an {@code +I}; a key with a row keeps it, unchanged and with nothing logged, whatever the merge
 * engine; and the state after a restart (replayed from the log) is the same.
 */
class TestInsertIfAbsent
{
    @TempDir
    Path dir;

    private TestingHotStore hot;

    @BeforeEach
    void setUp()
            throws Exception
    {
        hot = new TestingHotStore(dir);
    }

    @AfterEach
    void tearDown()
    {
        hot.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"last_row", "versioned"})
    void aKeyWithARowKeepsItAndLogsNothing(String engine)
            throws Exception
    {
        TableDescriptor.Builder table = TableDescriptor.builder()
                .column("id", DataType.integer(), false)
                .column("name", DataType.string())
                .column("version", DataType.bigint())
                .primaryKey("id")
                .bucketCount(2);
        if (engine.equals("versioned")) {
            table.mergeEngine(MergeEngine.versioned("version"));
        }
        hot.createTable("kv.history", table.build());
        try (InletClient client = hot.client(); UpsertWriter writer = client.newUpsertWriter("kv.history", null, WriterOptions.defaults())) {
            writer.upsert(new Object[] {1, "live", 5L});
            writer.flush();
            // an older and a newer version of key 1, and a new key 2 twice: only the first of key 2 lands
            writer.insertIfAbsent(new Object[] {1, "history", 1L});
            writer.insertIfAbsent(new Object[] {1, "history", 9L});
            writer.insertIfAbsent(new Object[] {2, "history", 1L});
            writer.insertIfAbsent(new Object[] {2, "again", 2L});
            writer.flush();
            assertRows(client);
            assertThat(changelog(client)).containsExactlyInAnyOrder("+I[1, live, 5]", "+I[2, history, 1]");
        }
        hot.restart(() -> {});
        try (InletClient client = hot.client()) {
            assertRows(client);
        }
    }

    private static void assertRows(InletClient client)
    {
        List<Object[]> rows = client.lookup("kv.history", List.<Object[]>of(new Object[] {1}, new Object[] {2}));
        assertThat(rows.get(0)).containsExactly(1, "live", 5L);
        assertThat(rows.get(1)).containsExactly(2, "history", 1L);
    }

    private static List<String> changelog(InletClient client)
    {
        long total = 0;
        for (Actions.BucketOffset end : client.offsets("kv.history", "", Actions.OffsetSpec.LATEST, 0)) {
            total += end.offset();
        }
        List<String> rows = new ArrayList<>();
        try (LogScanner scanner = client.newScanner("kv.history", ScanOptions.defaults())) {
            scanner.subscribeAll("", StartPosition.earliest());
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            while (rows.size() < total) {
                assertThat(Instant.now()).as("read %s of %s changelog rows", rows.size(), total).isBefore(deadline);
                for (ScanBatch batch : scanner.poll(Duration.ofMillis(200))) {
                    try (batch) {
                        List<Object[]> values = batch.rows();
                        for (int r = 0; r < values.size(); r++) {
                            rows.add(batch.changeType(r).shortString() + Arrays.toString(values.get(r)));
                        }
                    }
                }
            }
        }
        return rows;
    }
}
