/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.server;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.model.DataType;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TieredOffset;
import dev.inlet.logstore.arrow.ArrowSchemas;
import dev.inlet.logstore.arrow.ArrowValues;
import dev.inlet.logstore.client.AppendResult;
import dev.inlet.logstore.client.AppendWriter;
import dev.inlet.logstore.client.ClientConfig;
import dev.inlet.logstore.client.InletClient;
import dev.inlet.logstore.client.LogScanner;
import dev.inlet.logstore.client.ScanBatch;
import dev.inlet.logstore.client.ScanOptions;
import dev.inlet.logstore.client.StartPosition;
import dev.inlet.logstore.client.TableHandle;
import dev.inlet.logstore.client.WriterOptions;
import dev.inlet.logstore.protocol.Actions;
import dev.inlet.logstore.protocol.AppendAck;
import dev.inlet.logstore.protocol.BatchRoute;
import dev.inlet.logstore.protocol.FetchTicket;
import dev.inlet.logstore.protocol.RowRouter;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The hot store end to end in one JVM: Inlet's client and a stock Flight client against a real server. */
class TestLogStoreServer
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

    static TableDescriptor orders()
    {
        return TableDescriptor.builder()
                .column("order_id", DataType.bigint(), false)
                .column("user_id", DataType.string(), false)
                .column("amount", DataType.decimal(12, 2))
                .column("ts", DataType.timestamp(3))
                .bucketKey("user_id")
                .bucketCount(3)
                .build();
    }

    static Object[] order(long id)
    {
        return new Object[] {id, "user-" + (id % 17), BigDecimal.valueOf(id * 125, 2), LocalDateTime.of(2026, 11, 26, 10, 0).plusSeconds(id)};
    }

    /** Every row of every bucket, read from the earliest offset to the end. */
    static Map<Long, Object[]> readAll(InletClient client, String table, ScanOptions options, int expectedRows)
    {
        Map<Long, Object[]> rows = new HashMap<>();
        try (LogScanner scanner = client.newScanner(table, options)) {
            scanner.subscribeAll("", StartPosition.earliest());
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            while (rows.size() < expectedRows) {
                assertThat(Instant.now()).as("read %s of %s rows", rows.size(), expectedRows).isBefore(deadline);
                for (ScanBatch batch : scanner.poll(Duration.ofMillis(200))) {
                    try (batch) {
                        for (Object[] row : batch.rows()) {
                            assertThat(rows.put((Long) row[0], row)).as("row %s read once", row[0]).isNull();
                        }
                    }
                }
            }
            assertThat(scanner.poll(Duration.ZERO)).isEmpty();
        }
        return rows;
    }

    @Test
    void appendAndFetchRoundTripWithExactRowsAndDenseOffsets()
    {
        hot.createTable("shop.orders", orders());
        List<CompletableFuture<AppendResult>> results = new ArrayList<>();
        try (InletClient client = hot.client(); AppendWriter writer = client.newWriter("shop.orders", WriterOptions.defaults().withBatchRows(64))) {
            for (long id = 0; id < 1000; id++) {
                results.add(writer.append(order(id)));
            }
            writer.flush();
            Map<Integer, List<Long>> offsetsByBucket = new HashMap<>();
            RowRouter router = new RowRouter(writer.table().descriptor());
            for (int i = 0; i < results.size(); i++) {
                AppendResult r = results.get(i).join();
                assertThat(r.bucket()).as("bucket of row %s", i).isEqualTo(router.bucket(order(i)));
                offsetsByBucket.computeIfAbsent(r.bucket(), b -> new ArrayList<>()).add(r.offset());
            }
            offsetsByBucket.forEach((bucket, offsets) -> assertThat(offsets).as("bucket %s", bucket)
                    .containsExactlyElementsOf(java.util.stream.LongStream.range(0, offsets.size()).boxed().toList()));

            Map<Long, Object[]> read = readAll(client, "shop.orders", ScanOptions.defaults(), 1000);
            for (long id = 0; id < 1000; id++) {
                assertThat(read.get(id)).as("row %s", id).containsExactly(order(id));
            }
        }
    }

    @Test
    void columnarAppendsRouteAndStoreEveryRow()
    {
        hot.createTable("shop.orders", orders());
        try (InletClient client = hot.client(); AppendWriter writer = client.newWriter("shop.orders", WriterOptions.defaults().withBatchRows(64))) {
            List<CompletableFuture<Void>> batches = new ArrayList<>();
            List<CompletableFuture<AppendResult>> single = new ArrayList<>();
            try (BufferAllocator allocator = new RootAllocator(); org.apache.arrow.vector.VectorSchemaRoot root = org.apache.arrow.vector.VectorSchemaRoot.create(writer.table().arrowSchema(), allocator)) {
                for (long start = 0; start < 1000; start += 250) {
                    root.allocateNew();
                    for (int r = 0; r < 250; r++) {
                        Object[] row = order(start + r);
                        for (int c = 0; c < row.length; c++) {
                            ArrowValues.set(root.getVector(c), r, row[c]);
                        }
                    }
                    root.setRowCount(250);
                    batches.add(writer.appendBatch(root));
                    // row appends between columnar ones land in the same buckets' batches
                    single.add(writer.append(order(10_000 + start)));
                }
                // a NOT NULL column with a null refuses the whole batch
                root.allocateNew();
                ArrowValues.set(root.getVector(0), 0, 1L);
                root.setRowCount(1);
                assertThatThrownBy(() -> writer.appendBatch(root))
                        .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.INVALID_ROW))
                        .hasMessageContaining("user_id");
            }
            try (BufferAllocator allocator = new RootAllocator();
                    org.apache.arrow.vector.VectorSchemaRoot wrong = org.apache.arrow.vector.VectorSchemaRoot.create(new Schema(writer.table().arrowSchema().getFields().subList(0, 2)), allocator)) {
                assertThatThrownBy(() -> writer.appendBatch(wrong))
                        .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.BATCH_SCHEMA_MISMATCH));
            }
            writer.flush();
            batches.forEach(CompletableFuture::join);
            RowRouter router = new RowRouter(writer.table().descriptor());
            for (int i = 0; i < single.size(); i++) {
                assertThat(single.get(i).join().bucket()).isEqualTo(router.bucket(order(10_000 + i * 250L)));
            }

            Map<Long, Object[]> read = readAll(client, "shop.orders", ScanOptions.defaults(), 1004);
            for (long id = 0; id < 1000; id++) {
                assertThat(read.get(id)).as("row %s", id).containsExactly(order(id));
            }
            // every bucket holds exactly the rows that route there
            for (int bucket = 0; bucket < 3; bucket++) {
                Map<Long, Object[]> rows = readBucket(client, bucket);
                for (Object[] row : rows.values()) {
                    assertThat(router.bucket(row)).isEqualTo(bucket);
                }
            }
        }
    }

    private static Map<Long, Object[]> readBucket(InletClient client, int bucket)
    {
        Map<Long, Object[]> rows = new HashMap<>();
        try (LogScanner scanner = client.newScanner("shop.orders", ScanOptions.defaults())) {
            scanner.subscribe("", bucket, StartPosition.earliest());
            List<ScanBatch> batches;
            while (!(batches = scanner.poll(Duration.ofMillis(200))).isEmpty()) {
                for (ScanBatch batch : batches) {
                    try (batch) {
                        batch.rows().forEach(r -> rows.put((Long) r[0], r));
                    }
                }
            }
        }
        return rows;
    }

    @Test
    void projectionReturnsExactlyTheRequestedColumns()
    {
        hot.createTable("shop.orders", orders());
        try (InletClient client = hot.client(); AppendWriter writer = client.newWriter("shop.orders", WriterOptions.defaults())) {
            for (long id = 0; id < 300; id++) {
                writer.append(order(id));
            }
            writer.flush();
            try (LogScanner scanner = client.newScanner("shop.orders", ScanOptions.defaults().withColumns(List.of("amount", "order_id")))) {
                scanner.subscribeAll("", StartPosition.earliest());
                Map<Long, BigDecimal> amounts = new HashMap<>();
                Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
                while (amounts.size() < 300) {
                    assertThat(Instant.now()).isBefore(deadline);
                    for (ScanBatch batch : scanner.poll(Duration.ofMillis(200))) {
                        try (batch) {
                            assertThat(batch.root().getSchema().getFields()).extracting(Field::getName).containsExactly("order_id", "amount");
                            batch.rows().forEach(r -> amounts.put((Long) r[0], (BigDecimal) r[1]));
                        }
                    }
                }
                for (long id = 0; id < 300; id++) {
                    assertThat(amounts.get(id)).isEqualTo(BigDecimal.valueOf(id * 125, 2));
                }
            }
        }
    }

    @Test
    void stockFlightClientReadsEveryBucket()
            throws Exception
    {
        hot.createTable("shop.orders", orders());
        try (InletClient client = hot.client(); AppendWriter writer = client.newWriter("shop.orders", WriterOptions.defaults())) {
            for (long id = 0; id < 500; id++) {
                writer.append(order(id));
            }
            writer.flush();
        }
        // no Inlet class below: plain Arrow Flight
        try (BufferAllocator allocator = new RootAllocator(); FlightClient flight = FlightClient.builder(allocator, Location.forGrpcInsecure("127.0.0.1", hot.server().port())).build()) {
            FlightInfo info = flight.getInfo(FlightDescriptor.path("shop", "orders"));
            assertThat(info.getEndpoints()).hasSize(3);
            assertThat(info.getRecords()).isEqualTo(500);
            assertThat(info.getSchemaOptional().orElseThrow().getFields()).extracting(Field::getName).containsExactly("order_id", "user_id", "amount", "ts");
            Set<Long> ids = new HashSet<>();
            for (FlightEndpoint endpoint : info.getEndpoints()) {
                try (FlightStream stream = flight.getStream(endpoint.getTicket())) {
                    while (stream.next()) {
                        for (int r = 0; r < stream.getRoot().getRowCount(); r++) {
                            assertThat(ids.add((Long) ArrowValues.get(stream.getRoot().getVector("order_id"), r))).isTrue();
                        }
                    }
                }
            }
            assertThat(ids).hasSize(500).allMatch(id -> id >= 0 && id < 500);
        }
    }

    @Test
    void retriedBatchIsStoredOnceAndSkippedSequenceIsRefused()
            throws Exception
    {
        hot.createTable("shop.orders", orders());
        Schema schema = ArrowSchemas.toArrowSchema(orders());
        RowRouter router = new RowRouter(orders());
        List<Object[]> rows = java.util.stream.LongStream.range(0, 100).mapToObj(TestLogStoreServer::order).filter(r -> router.bucket(r) == 0).toList();
        BatchRoute first = new BatchRoute(1, "", 0, 0);
        try (RawAppend raw = new RawAppend(hot.endpoint())) {
            List<AppendAck> acks = raw.send("shop.orders", 42, schema, List.of(new RawAppend.Batch(first, rows)));
            assertThat(acks).containsExactly(new AppendAck(1, "", 0, 0, 0, rows.size() - 1, false));
            // the same batch again, as a client would resend it after a lost ack
            List<AppendAck> retried = raw.send("shop.orders", 42, schema, List.of(new RawAppend.Batch(first, rows)));
            assertThat(retried).containsExactly(new AppendAck(1, "", 0, 0, 0, rows.size() - 1, true));
            // sequence 5 after 0 skips 1..4
            assertThatThrownBy(() -> raw.send("shop.orders", 42, schema, List.of(new RawAppend.Batch(new BatchRoute(1, "", 0, 5), rows))))
                    .isInstanceOfSatisfying(FlightRuntimeException.class, e -> assertThat(e.status().code()).isEqualTo(FlightStatusCode.INVALID_ARGUMENT))
                    .hasMessageContaining("writer 42")
                    .hasMessageContaining("expected 1, got 5");
        }
        try (InletClient client = hot.client()) {
            assertThat(client.offsets("shop.orders", "", Actions.OffsetSpec.LATEST, 0)).contains(new Actions.BucketOffset(0, rows.size()));
        }
    }

    @Test
    void badInputGetsAClearErrorAndWritesNothing()
            throws Exception
    {
        hot.createTable("shop.orders", orders());
        try (InletClient client = hot.client(); RawAppend raw = new RawAppend(hot.endpoint())) {
            assertThatThrownBy(() -> client.describeTable("shop.nope"))
                    .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.TABLE_NOT_FOUND))
                    .hasMessage("Table shop.nope does not exist");

            Schema wrong = new Schema(List.of(Field.notNullable("order_id", new ArrowType.Int(64, true)), Field.notNullable("user_id", new ArrowType.Utf8()),
                    Field.nullable("amount", new ArrowType.FloatingPoint(org.apache.arrow.vector.types.FloatingPointPrecision.DOUBLE)),
                    Field.nullable("ts", new ArrowType.Timestamp(org.apache.arrow.vector.types.TimeUnit.MILLISECOND, null))));
            assertThatThrownBy(() -> raw.send("shop.orders", -1, wrong, List.of(new RawAppend.Batch(new BatchRoute(1, "", 0, -1),
                    List.<Object[]>of(new Object[] {1L, "user-1", 1.5, null})))))
                    .isInstanceOf(FlightRuntimeException.class)
                    .hasMessageContaining("shop.orders")
                    .hasMessageContaining("amount")
                    .hasMessageContaining("DECIMAL(12,2)");

            Object[] row = order(1);
            int rightBucket = new RowRouter(orders()).bucket(row);
            assertThatThrownBy(() -> raw.send("shop.orders", -1, ArrowSchemas.toArrowSchema(orders()), List.of(new RawAppend.Batch(new BatchRoute(1, "", (rightBucket + 1) % 3, -1),
                    List.<Object[]>of(row)))))
                    .isInstanceOf(FlightRuntimeException.class)
                    .hasMessage("Batch for shop.orders names bucket " + ((rightBucket + 1) % 3) + " but row 0 belongs to bucket " + rightBucket);

            assertThatThrownBy(() -> raw.readFirstColumn("{not json".getBytes()))
                    .isInstanceOfSatisfying(FlightRuntimeException.class, e -> assertThat(e.status().code()).isEqualTo(FlightStatusCode.INVALID_ARGUMENT))
                    .hasMessageStartingWith("Malformed ticket:");

            try (LogScanner scanner = client.newScanner("shop.orders", ScanOptions.defaults())) {
                scanner.subscribe("", 1, StartPosition.offset(7));
                assertThatThrownBy(() -> scanner.poll(Duration.ZERO))
                        .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.OFFSET_OUT_OF_RANGE))
                        .hasMessage("Offset 7 of table shop.orders bucket 1 is out of range: earliest is 0, latest is 0");
            }

            // nothing was written by any of the refused requests
            assertThat(client.offsets("shop.orders", "", Actions.OffsetSpec.LATEST, 0))
                    .containsExactly(new Actions.BucketOffset(0, 0), new Actions.BucketOffset(1, 0), new Actions.BucketOffset(2, 0));
        }
    }

    @Test
    void refusesAnOversizedBatch()
            throws Exception
    {
        hot.close();
        hot = new TestingHotStore(dir, Map.of("log.max-batch.bytes", "2000"));
        hot.createTable("shop.orders", orders());
        try (InletClient client = hot.client(); AppendWriter writer = client.newWriter("shop.orders", WriterOptions.defaults())) {
            CompletableFuture<AppendResult> big = null;
            for (long id = 0; id < 200; id++) {
                big = writer.append(order(id * 3));
            }
            assertThatThrownBy(writer::flush)
                    .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.BATCH_TOO_LARGE))
                    .hasMessageContaining("the most log.max-batch.bytes allows is 2000");
            assertThat(big).isCompletedExceptionally();
        }
    }

    @Test
    void partitionsAreCreatedOnFirstWriteListedAndDropped()
    {
        hot.createTable("shop.events", TableDescriptor.builder()
                .column("dt", DataType.date(), false)
                .column("id", DataType.bigint(), false)
                .partitionKeys("dt")
                .bucketKey("id")
                .bucketCount(2)
                .build());
        try (InletClient client = hot.client(); AppendWriter writer = client.newWriter("shop.events", WriterOptions.defaults())) {
            for (long id = 0; id < 40; id++) {
                writer.append(new Object[] {LocalDate.of(2026, 11, 25 + (int) (id % 2)), id});
            }
            writer.flush();
            assertThat(client.partitions("shop.events")).containsExactly(
                    new Actions.PartitionInfo("dt=2026-11-25", 2), new Actions.PartitionInfo("dt=2026-11-26", 2));
            try (LogScanner scanner = client.newScanner("shop.events", ScanOptions.defaults())) {
                scanner.subscribeAll("dt=2026-11-26", StartPosition.earliest());
                List<Long> ids = new ArrayList<>();
                Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
                while (ids.size() < 20) {
                    assertThat(Instant.now()).isBefore(deadline);
                    for (ScanBatch b : scanner.poll(Duration.ofMillis(200))) {
                        try (b) {
                            b.rows().forEach(r -> ids.add((Long) r[1]));
                        }
                    }
                }
                assertThat(ids).containsExactlyInAnyOrderElementsOf(java.util.stream.LongStream.range(0, 40).filter(i -> i % 2 == 1).boxed().toList());
            }
            client.dropPartition("shop.events", "dt=2026-11-25");
            assertThat(client.partitions("shop.events")).containsExactly(new Actions.PartitionInfo("dt=2026-11-26", 2));
            assertThatThrownBy(() -> client.dropPartition("shop.events", "dt=2026-11-25"))
                    .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.PARTITION_NOT_FOUND));
        }
    }

    @Test
    void concurrentWritersToOneTable()
            throws Exception
    {
        hot.createTable("shop.orders", orders());
        int writers = 4;
        int perWriter = 2500;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try (InletClient client = hot.client()) {
            List<Future<List<AppendResult>>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                long base = w * (long) perWriter;
                futures.add(pool.submit(() -> {
                    List<CompletableFuture<AppendResult>> results = new ArrayList<>();
                    try (AppendWriter writer = client.newWriter("shop.orders", WriterOptions.defaults().withBatchRows(100))) {
                        for (long id = base; id < base + perWriter; id++) {
                            results.add(writer.append(order(id)));
                        }
                    }
                    return results.stream().map(CompletableFuture::join).toList();
                }));
            }
            Set<String> positions = new HashSet<>();
            for (Future<List<AppendResult>> f : futures) {
                for (AppendResult r : f.get(120, TimeUnit.SECONDS)) {
                    assertThat(positions.add(r.bucket() + "@" + r.offset())).as("offset %s of bucket %s given once", r.offset(), r.bucket()).isTrue();
                }
            }
            assertThat(positions).hasSize(writers * perWriter);
            Map<Long, Object[]> read = readAll(client, "shop.orders", ScanOptions.defaults(), writers * perWriter);
            assertThat(read.keySet()).containsExactlyInAnyOrderElementsOf(java.util.stream.LongStream.range(0, writers * perWriter).boxed().toList());
        }
        finally {
            pool.shutdownNow();
        }
    }

    @Test
    void authenticationRejectsAMissingOrWrongToken()
            throws Exception
    {
        hot.close();
        hot = new TestingHotStore(dir, Map.of("server.auth.token", "s3cret"));
        hot.createTable("shop.orders", orders());
        try (InletClient anonymous = hot.client()) {
            assertThatThrownBy(() -> anonymous.describeTable("shop.orders"))
                    .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.UNAUTHENTICATED))
                    .hasMessageContaining("needs a bearer token");
        }
        try (RawAppend raw = new RawAppend(hot.endpoint())) {
            assertThatThrownBy(() -> raw.send("shop.orders", -1, ArrowSchemas.toArrowSchema(orders()), List.of(new RawAppend.Batch(new BatchRoute(1, "", new RowRouter(orders()).bucket(order(1)), -1),
                    List.<Object[]>of(order(1))))))
                    .isInstanceOfSatisfying(FlightRuntimeException.class, e -> assertThat(e.status().code()).isEqualTo(FlightStatusCode.UNAUTHENTICATED));
        }
        try (InletClient wrong = InletClient.connect(ClientConfig.of(hot.endpoint()).withToken("guess"))) {
            assertThatThrownBy(() -> wrong.describeTable("shop.orders")).hasMessageContaining("not valid");
        }
        try (InletClient client = InletClient.connect(ClientConfig.of(hot.endpoint()).withToken("s3cret"))) {
            assertThat(client.offsets("shop.orders", "", Actions.OffsetSpec.LATEST, 0)).extracting(Actions.BucketOffset::offset).containsOnly(0L);
            try (AppendWriter writer = client.newWriter("shop.orders", WriterOptions.defaults())) {
                writer.append(order(1)).join();
            }
        }
    }

    @Test
    void restartKeepsEveryRowAndNewColumnsReadAsNullForOldRows()
            throws Exception
    {
        hot.createTable("shop.orders", orders());
        try (InletClient client = hot.client(); AppendWriter writer = client.newWriter("shop.orders", WriterOptions.defaults())) {
            for (long id = 0; id < 100; id++) {
                writer.append(order(id));
            }
        }
        hot.restart();
        hot.catalog().addColumn(dev.inlet.catalog.model.TablePath.parse("shop.orders"), "note", DataType.string(), true, Optional.empty());
        try (InletClient client = hot.client()) {
            TableHandle handle = client.describeTable("shop.orders");
            assertThat(handle.descriptor().columnNames()).containsExactly("order_id", "user_id", "amount", "ts", "note");
            try (AppendWriter writer = client.newWriter("shop.orders", WriterOptions.defaults())) {
                for (long id = 100; id < 110; id++) {
                    Object[] base = order(id);
                    writer.append(new Object[] {base[0], base[1], base[2], base[3], "note-" + id});
                }
            }
            Map<Long, Object[]> rows = readAll(client, "shop.orders", ScanOptions.defaults(), 110);
            assertThat(rows.get(5L)).containsExactly(order(5)[0], order(5)[1], order(5)[2], order(5)[3], null);
            assertThat(rows.get(105L)[4]).isEqualTo("note-105");
        }
    }

    @Test
    void longPollReturnsARowAppendedWhileWaiting()
            throws Exception
    {
        hot.createTable("shop.orders", orders().toBuilder().bucketCount(1).build());
        try (InletClient client = hot.client(); LogScanner scanner = client.newScanner("shop.orders", ScanOptions.defaults())) {
            scanner.subscribe("", 0, StartPosition.latest());
            CompletableFuture<List<ScanBatch>> polled = CompletableFuture.supplyAsync(() -> scanner.poll(Duration.ofSeconds(30)));
            try (AppendWriter writer = client.newWriter("shop.orders", WriterOptions.defaults())) {
                writer.append(order(7)).join();
            }
            List<ScanBatch> batches = polled.get(60, TimeUnit.SECONDS);
            assertThat(batches).hasSize(1);
            try (ScanBatch batch = batches.getFirst()) {
                assertThat(batch.baseOffset()).isZero();
                assertThat(batch.rows()).hasSize(1);
                assertThat(batch.rows().getFirst()).containsExactly(order(7));
            }
        }
    }

    @Test
    void fetchTicketWithEndOffsetAndMaxBytesStopsThere()
            throws Exception
    {
        hot.createTable("shop.orders", orders().toBuilder().bucketCount(1).build());
        try (InletClient client = hot.client()) {
            // batches of exactly 10 rows: no linger seal in between
            try (AppendWriter writer = client.newWriter("shop.orders", WriterOptions.defaults().withBatchRows(10).withLinger(Duration.ofMinutes(5)))) {
                for (long id = 0; id < 100; id++) {
                    writer.append(order(id));
                }
            }
            FetchTicket ticket = FetchTicket.of("shop.orders", "", 0, 15).withEndOffset(42);
            try (RawAppend raw = new RawAppend(hot.endpoint())) {
                assertThat(raw.readFirstColumn(ticket.toBytes())).containsExactlyElementsOf(java.util.stream.LongStream.range(15, 42).boxed().map(Object.class::cast).toList());
                // a byte budget smaller than one batch still returns that one batch (10 rows from offset 20)
                assertThat(raw.readFirstColumn(FetchTicket.of("shop.orders", "", 0, 20).withMaxBytes(1).toBytes()))
                        .containsExactlyElementsOf(java.util.stream.LongStream.range(20, 30).boxed().map(Object.class::cast).toList());
            }
        }
    }

    @Test
    void retentionNeverDeletesUntieredData()
            throws Exception
    {
        hot.close();
        hot = new TestingHotStore(dir, Map.of("log.segment.bytes", "4096"));
        TableDescriptor hotOnly = orders().toBuilder().bucketCount(1).hotRetention(Duration.ZERO).build();
        hot.createTable("shop.hot_only", hotOnly);
        var lake = hot.createTable("shop.tiered", hotOnly.toBuilder().lakeFormat(dev.inlet.catalog.model.LakeFormat.PAIMON).build());
        try (InletClient client = hot.client()) {
            for (String table : List.of("shop.hot_only", "shop.tiered")) {
                try (AppendWriter writer = client.newWriter(table, WriterOptions.defaults().withBatchRows(20))) {
                    for (long id = 0; id < 400; id++) {
                        writer.append(order(id));
                    }
                }
                assertThat(client.offsets(table, "", Actions.OffsetSpec.LATEST, 0).getFirst().offset()).isEqualTo(400);
            }

            hot.server().runRetention();
            long hotOnlyEarliest = client.offsets("shop.hot_only", "", Actions.OffsetSpec.EARLIEST, 0).getFirst().offset();
            // zero retention: every closed segment of the hot-only table went, the active one stays
            assertThat(hotOnlyEarliest).isPositive().isLessThan(400);
            // nothing of the lake table is tiered yet: nothing went
            assertThat(client.offsets("shop.tiered", "", Actions.OffsetSpec.EARLIEST, 0).getFirst().offset()).isZero();

            hot.catalog().store().recordTieredOffsets(lake.path(), lake.tableId(), 1, List.of(new TieredOffset("", 0, 1, 150, Instant.now())));
            hot.server().runRetention();
            long tieredEarliest = client.offsets("shop.tiered", "", Actions.OffsetSpec.EARLIEST, 0).getFirst().offset();
            assertThat(tieredEarliest).isPositive().isLessThanOrEqualTo(150);
            // every offset from the earliest on is still readable, exactly once
            try (LogScanner scanner = client.newScanner("shop.tiered", ScanOptions.defaults())) {
                scanner.subscribe("", 0, StartPosition.earliest());
                List<Long> ids = new ArrayList<>();
                Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
                while (ids.size() < 400 - tieredEarliest) {
                    assertThat(Instant.now()).isBefore(deadline);
                    for (ScanBatch b : scanner.poll(Duration.ofMillis(200))) {
                        try (b) {
                            b.rows().forEach(r -> ids.add((Long) r[0]));
                        }
                    }
                }
                assertThat(ids).containsExactlyElementsOf(java.util.stream.LongStream.range(tieredEarliest, 400).boxed().toList());
            }
        }
    }

    @Test
    void aDroppedTablesHotDataIsDeletedAndANewTableOfTheSameNameStartsEmpty()
            throws Exception
    {
        long oldId = hot.createTable("shop.dropped", orders()).tableId();
        try (InletClient client = hot.client()) {
            try (AppendWriter writer = client.newWriter("shop.dropped", WriterOptions.defaults())) {
                for (long id = 0; id < 50; id++) {
                    writer.append(order(id));
                }
            }
            Path data = dir.resolve("hot").resolve(Long.toString(oldId));
            assertThat(data).isDirectory();

            hot.catalog().dropTable(dev.inlet.catalog.model.TablePath.parse("shop.dropped"), false);
            long newId = hot.createTable("shop.dropped", orders()).tableId();
            hot.server().runRetention();
            assertThat(data).doesNotExist();
            long total = client.offsets("shop.dropped", "", Actions.OffsetSpec.LATEST, 0).stream().mapToLong(Actions.BucketOffset::offset).sum();
            assertThat(total).as("the new table %s has none of the old one's rows", newId).isZero();
        }
    }

    @Test
    void prometheusEndpointCountsRowsPerTable()
            throws Exception
    {
        hot.close();
        hot = new TestingHotStore(dir, Map.of("server.metrics.port", "-1"));
        hot.createTable("shop.orders", orders());
        try (InletClient client = hot.client(); AppendWriter writer = client.newWriter("shop.orders", WriterOptions.defaults())) {
            for (long id = 0; id < 100; id++) {
                writer.append(order(id));
            }
        }
        hot.server().runRetention();
        var http = java.net.http.HttpClient.newHttpClient();
        String metrics = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + hot.server().metricsPort() + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("inlet_hot_records_in_total{table=\"shop.orders\"} 100.0");
        assertThat(metrics).containsPattern("inlet_hot_segments\\{table=\"shop.orders\"} [1-9]");
        assertThat(metrics).contains("inlet_hot_request_seconds_count{kind=\"append\"}");
        assertThat(metrics).containsPattern("inlet_hot_fsync_seconds_count [1-9]");
    }

    @Test
    void negativeBlockCacheIsRefusedNamingTheKey()
    {
        var config = dev.inlet.catalog.config.InletConfig.of(Map.of("data-dir", dir.resolve("other").toString(), "server.port", "0", "kv.block-cache.bytes", "-1"));
        assertThatThrownBy(() -> LogStoreServer.start(config))
                .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.INVALID_CONFIGURATION))
                .hasMessage("kv.block-cache.bytes must not be negative, got -1");
    }

    @Test
    void aLookupIdleTimeoutOfZeroIsRefusedNamingTheKey()
    {
        var config = dev.inlet.catalog.config.InletConfig.of(Map.of("data-dir", dir.resolve("other").toString(), "server.port", "0", "server.lookup.idle-timeout", "0s"));
        assertThatThrownBy(() -> LogStoreServer.start(config))
                .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.INVALID_CONFIGURATION))
                .hasMessage("server.lookup.idle-timeout must be positive, got 0 ms");
    }
}
