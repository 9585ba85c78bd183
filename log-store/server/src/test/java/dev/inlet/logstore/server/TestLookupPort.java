/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.server;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.model.DataType;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TableInfo;
import dev.inlet.logstore.client.ClientConfig;
import dev.inlet.logstore.client.InletClient;
import dev.inlet.logstore.client.UpsertWriter;
import dev.inlet.logstore.client.WriterOptions;
import dev.inlet.logstore.protocol.LookupFrames;
import dev.inlet.logstore.protocol.LookupMessages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The lookup port ({@link LookupPort}, {@link LookupFrames}): the client uses it when the server
 * has it, and answers are the same as on the Flight lookup stream; its hello checks the bearer
 * token; malformed frames get errors naming what is wrong; a client's kept connections survive a
 * server restart.
 */
class TestLookupPort
{
    @TempDir
    Path dir;

    /** region STRING, id BIGINT, at TIMESTAMP(3), name STRING; key (region, id), bucket key region. */
    static TableDescriptor orders()
    {
        return TableDescriptor.builder()
                .column("region", DataType.string(), false)
                .column("id", DataType.bigint(), false)
                .column("at", DataType.timestamp(3))
                .column("name", DataType.string())
                .primaryKey("region", "id")
                .bucketKey("region")
                .bucketCount(3)
                .build();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void theLookupPortAndTheFlightStreamAnswerAlike(boolean port)
            throws Exception
    {
        try (TestingHotStore hot = new TestingHotStore(dir, Map.of("server.lookup.port", port ? "-1" : "0"))) {
            assertThat(hot.server().lookupPort() > 0).isEqualTo(port);
            hot.createTable("kv.orders", orders());
            hot.createTable("kv.users", TableDescriptor.builder()
                    .column("name", DataType.string(), false)
                    .column("uid", DataType.integer(), false)
                    .primaryKey("name")
                    .autoIncrementColumn("uid")
                    .bucketCount(2)
                    .build());
            LocalDateTime at = LocalDateTime.parse("2026-11-27T10:15:30.123");
            try (InletClient client = hot.client(); UpsertWriter writer = client.newUpsertWriter("kv.orders", null, WriterOptions.defaults())) {
                for (long id = 0; id < 12; id++) {
                    writer.upsert(new Object[] {"r" + (id % 3), id, at.plusSeconds(id), id == 5 ? null : "order-" + id});
                }
                writer.flush();

                List<Object[]> rows = client.lookup("kv.orders", List.<Object[]>of(new Object[] {"r2", 5L}, new Object[] {"r0", 5L}, new Object[] {"r1", 4L}));
                assertThat(rows.get(0)).containsExactly("r2", 5L, at.plusSeconds(5), null);
                assertThat(rows.get(1)).isNull();
                assertThat(rows.get(2)).containsExactly("r1", 4L, at.plusSeconds(4), "order-4");

                List<List<Object[]>> prefixes = client.prefixLookup("kv.orders", List.<Object[]>of(new Object[] {"r1"}, new Object[] {"nowhere"}));
                assertThat(prefixes.get(0)).extracting(row -> row[1]).containsExactly(1L, 4L, 7L, 10L);
                assertThat(prefixes.get(1)).isEmpty();

                List<Object[]> ids = client.lookupOrInsert("kv.users", List.<Object[]>of(new Object[] {"ann"}, new Object[] {"bob"}, new Object[] {"ann"}));
                assertThat(ids.get(0)[1]).isEqualTo(ids.get(2)[1]);
                assertThat(ids.get(1)[1]).isNotEqualTo(ids.get(0)[1]);
                assertThat(client.lookup("kv.users", List.<Object[]>of(new Object[] {"bob"})).getFirst()).containsExactly("bob", ids.get(1)[1]);

                // bad keys: refused before anything is sent, naming the table, the key and the column
                // (one check for both transports, before either sends)
                assertThatThrownBy(() -> client.lookup("kv.orders", List.<Object[]>of(new Object[] {"r0", 3L}, new Object[] {"r1", null})))
                        .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.INVALID_ROW))
                        .hasMessage("Invalid lookup key 1 for table kv.orders: key column 'id' is null");
                assertThatThrownBy(() -> client.lookup("kv.orders", List.<Object[]>of(new Object[] {"r1", 4})))
                        .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.INVALID_ROW))
                        .hasMessage("Invalid lookup key 0 for table kv.orders: column 'id' of type BIGINT takes Long values, got Integer '4'");
                assertThatThrownBy(() -> client.prefixLookup("kv.orders", List.<Object[]>of(new Object[] {"r1", 4L})))
                        .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.INVALID_ROW))
                        .hasMessage("Invalid lookup prefix 0 for table kv.orders: a key needs 1 values ([region]), got 2");
                // and the connection (or stream) still answers afterwards
                assertThat(client.lookup("kv.orders", List.<Object[]>of(new Object[] {"r1", 4L})).getFirst()).containsExactly("r1", 4L, at.plusSeconds(4), "order-4");
                // one thread looking up: one connection, kept between requests
                assertThat(hot.server().lookupConnections()).isEqualTo(port ? 1 : 0);
            }
        }
    }

    @Test
    void subMillisecondDigitsOfATimestampKeyAreCutAsTheWrittenKeyWas()
            throws Exception
    {
        try (TestingHotStore hot = new TestingHotStore(dir)) {
            hot.createTable("kv.events", TableDescriptor.builder()
                    .column("at", DataType.timestamp(3), false)
                    .column("what", DataType.string())
                    .primaryKey("at")
                    .bucketCount(2)
                    .build());
            try (InletClient client = hot.client(); UpsertWriter writer = client.newUpsertWriter("kv.events", null, WriterOptions.defaults())) {
                writer.upsert(new Object[] {LocalDateTime.parse("2026-11-27T10:15:30.123456789"), "kept to the millisecond"});
                writer.flush();
                assertThat(client.lookup("kv.events", List.<Object[]>of(new Object[] {LocalDateTime.parse("2026-11-27T10:15:30.123999")})).getFirst())
                        .containsExactly(LocalDateTime.parse("2026-11-27T10:15:30.123"), "kept to the millisecond");
            }
        }
    }

    @Test
    void theHelloChecksTheBearerToken()
            throws Exception
    {
        try (TestingHotStore hot = new TestingHotStore(dir, Map.of("server.auth.token", "s3cret"))) {
            assertThat(hello(hot, null)).isEqualTo("UNAUTHENTICATED: The hot store needs a bearer token (server.auth.token); the lookup connection gave none");
            assertThat(hello(hot, "guess")).isEqualTo("UNAUTHENTICATED: The bearer token is not valid for this hot store");
            assertThat(hello(hot, "s3cret")).isEqualTo("OK");

            hot.createTable("kv.orders", orders());
            try (InletClient client = InletClient.connect(ClientConfig.of(hot.endpoint()).withToken("s3cret"));
                    UpsertWriter writer = client.newUpsertWriter("kv.orders", null, WriterOptions.defaults())) {
                writer.upsert(new Object[] {"r1", 1L, null, "one"});
                writer.flush();
                assertThat(client.lookup("kv.orders", List.<Object[]>of(new Object[] {"r1", 1L})).getFirst()).containsExactly("r1", 1L, null, "one");
            }
        }
    }

    /** "OK", or the refusal's code and message. */
    private static String hello(TestingHotStore hot, String token)
            throws IOException
    {
        try (Socket socket = new Socket("127.0.0.1", hot.server().lookupPort())) {
            LookupFrames.writeHello(new DataOutputStream(socket.getOutputStream()), token);
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            try {
                LookupFrames.readStatus(LookupFrames.readFrame(in, ByteBuffer.allocate(16), 1 << 20, "status"));
                return "OK";
            }
            catch (InletException e) {
                return e.errorCode() + ": " + e.getMessage();
            }
        }
    }

    @Test
    void malformedFramesGetErrorsNamingWhatIsWrong()
            throws Exception
    {
        try (TestingHotStore hot = new TestingHotStore(dir, Map.of("log.max-batch.bytes", "4096"))) {
            TableInfo table = hot.createTable("kv.orders", orders());
            try (Socket socket = new Socket("127.0.0.1", hot.server().lookupPort())) {
                DataOutputStream out = new DataOutputStream(socket.getOutputStream());
                DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
                LookupFrames.writeHello(out, null);
                LookupFrames.readStatus(LookupFrames.readFrame(in, ByteBuffer.allocate(16), 1 << 20, "status"));

                // a key of the wrong columns: one string where (region, id) is expected
                byte[] request = LookupFrames.encodeRequest(7, false, false, "kv.orders", table.tableId(), table.schemaId(),
                        LookupMessages.keyColumns(orders(), true), List.<Object[]>of(new Object[] {"r1"}));
                out.write(request);
                assertThat(error(in, 7)).isEqualTo("MALFORMED_REQUEST: Lookup in kv.orders: key 0 is cut short or not of the columns [region, id] (at column 'id')");

                // a table that does not exist
                out.write(LookupFrames.encodeRequest(8, false, false, "kv.nothing", 1, 1, LookupMessages.keyColumns(orders(), false), List.<Object[]>of(new Object[] {"r1", 1L})));
                assertThat(error(in, 8)).startsWith("TABLE_NOT_FOUND: ").contains("kv.nothing");

                // a table dropped and created again since the client described it
                out.write(LookupFrames.encodeRequest(9, false, false, "kv.orders", table.tableId() + 100, table.schemaId(), LookupMessages.keyColumns(orders(), false),
                        List.<Object[]>of(new Object[] {"r1", 1L})));
                assertThat(error(in, 9)).isEqualTo("BATCH_SCHEMA_MISMATCH: Table kv.orders was dropped and created again since the client described it; describe it again");

                // the connection still answers a good request
                out.write(LookupFrames.encodeRequest(10, false, false, "kv.orders", table.tableId(), table.schemaId(), LookupMessages.keyColumns(orders(), false),
                        List.<Object[]>of(new Object[] {"r1", 1L})));
                ByteBuffer answer = LookupFrames.readFrame(in, ByteBuffer.allocate(64), 1 << 20, "answer");
                assertThat(answer.getLong()).isEqualTo(10);
                assertThat(answer.get()).isEqualTo(LookupFrames.STATUS_OK);
                assertThat(answer.getInt()).isZero();

                // a frame longer than log.max-batch.bytes: refused, and the connection closed (its body is never read)
                out.writeInt(5000);
                out.flush();
                assertThat(error(in, 0)).isEqualTo("MALFORMED_REQUEST: A lookup request of 5000 bytes; at most 4096 are accepted");
                assertThatThrownBy(in::readInt).isInstanceOf(EOFException.class);
            }

            // the client's own request over the limit: the server's error, then a new connection for the next one
            try (InletClient client = hot.client()) {
                List<Object[]> many = IntStream.range(0, 500).mapToObj(i -> new Object[] {"region-" + i, (long) i}).toList();
                assertThatThrownBy(() -> client.lookup("kv.orders", many))
                        .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.MALFORMED_REQUEST))
                        .hasMessageMatching("A lookup request of \\d+ bytes; at most 4096 are accepted");
                assertThat(client.lookup("kv.orders", List.<Object[]>of(new Object[] {"r1", 1L})).getFirst()).isNull();
            }

            // not the lookup protocol at all
            try (Socket socket = new Socket("127.0.0.1", hot.server().lookupPort())) {
                DataOutputStream out = new DataOutputStream(socket.getOutputStream());
                out.write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
                assertThatThrownBy(() -> LookupFrames.readStatus(LookupFrames.readFrame(in, ByteBuffer.allocate(16), 1 << 20, "status")))
                        .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.MALFORMED_REQUEST))
                        .hasMessageStartingWith("The lookup hello of 1195725856 bytes");
            }
        }
    }

    /** The code and message of the error answering request {@code id}. */
    private static String error(DataInputStream in, long id)
            throws IOException
    {
        ByteBuffer body = LookupFrames.readFrame(in, ByteBuffer.allocate(64), 1 << 20, "answer");
        assertThat(body.getLong()).isEqualTo(id);
        assertThat(body.get()).isEqualTo(LookupFrames.STATUS_ERROR);
        InletException error = LookupFrames.error(body);
        return error.errorCode() + ": " + error.getMessage();
    }

    @Test
    void keptConnectionsAreOpenedAgainAfterAServerRestart()
            throws Exception
    {
        int flightPort = freePort();
        int lookupPort = freePort();
        try (TestingHotStore hot = new TestingHotStore(dir, Map.of("server.port", String.valueOf(flightPort), "server.lookup.port", String.valueOf(lookupPort)))) {
            hot.createTable("kv.orders", orders());
            try (InletClient client = hot.client()) {
                try (UpsertWriter writer = client.newUpsertWriter("kv.orders", null, WriterOptions.defaults())) {
                    writer.upsert(new Object[] {"r1", 1L, null, "one"});
                }
                assertThat(client.lookup("kv.orders", List.<Object[]>of(new Object[] {"r1", 1L})).getFirst()).containsExactly("r1", 1L, null, "one");
                keepTwoConnections(hot, client);
                hot.restart(() -> {});
                assertThat(hot.server().lookupPort()).isEqualTo(lookupPort);
                // both kept connections are broken: the request is sent again on a new one, and the other old one is dropped
                assertThat(client.lookup("kv.orders", List.<Object[]>of(new Object[] {"r1", 1L})).getFirst()).containsExactly("r1", 1L, null, "one");
                assertThat(client.lookup("kv.orders", List.<Object[]>of(new Object[] {"r1", 1L})).getFirst()).containsExactly("r1", 1L, null, "one");
            }
        }
    }

    @Test
    void anIdleConnectionIsClosedByTheServerAndTheClientOpensANewOne()
            throws Exception
    {
        // long enough that the connection is still open when counted right after a lookup on a loaded machine
        try (TestingHotStore hot = new TestingHotStore(dir, Map.of("server.lookup.idle-timeout", "2s"))) {
            hot.createTable("kv.orders", orders());
            try (InletClient client = hot.client()) {
                try (UpsertWriter writer = client.newUpsertWriter("kv.orders", null, WriterOptions.defaults())) {
                    writer.upsert(new Object[] {"r1", 1L, null, "one"});
                }
                assertThat(client.lookup("kv.orders", List.<Object[]>of(new Object[] {"r1", 1L})).getFirst()).containsExactly("r1", 1L, null, "one");
                assertThat(hot.server().lookupConnections()).isEqualTo(1);
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (hot.server().lookupConnections() > 0) {
                    assertThat(System.nanoTime()).as("the server closes the idle connection").isLessThan(deadline);
                    java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(5));
                }
                // the kept connection is closed: the request goes out again on a new one
                assertThat(client.lookup("kv.orders", List.<Object[]>of(new Object[] {"r1", 1L})).getFirst()).containsExactly("r1", 1L, null, "one");
                assertThat(hot.server().lookupConnections()).isEqualTo(1);
            }
        }
    }

    @Test
    void aClientOverTheConnectionCapLooksUpOnTheFlightStream()
            throws Exception
    {
        try (TestingHotStore hot = new TestingHotStore(dir, Map.of("server.lookup.max-connections", "1"))) {
            hot.createTable("kv.orders", orders());
            try (InletClient first = hot.client(); InletClient second = hot.client()) {
                try (UpsertWriter writer = first.newUpsertWriter("kv.orders", null, WriterOptions.defaults())) {
                    writer.upsert(new Object[] {"r1", 1L, null, "one"});
                }
                assertThat(first.lookup("kv.orders", List.<Object[]>of(new Object[] {"r1", 1L})).getFirst()).containsExactly("r1", 1L, null, "one");
                assertThat(hot.server().lookupConnections()).isEqualTo(1);
                // the port is full: the second client is answered on the stream, not refused
                assertThat(second.lookup("kv.orders", List.<Object[]>of(new Object[] {"r1", 1L}, new Object[] {"r9", 9L})))
                        .satisfiesExactly(row -> assertThat(row).containsExactly("r1", 1L, null, "one"), row -> assertThat(row).isNull());
                assertThat(second.lookup("kv.orders", List.<Object[]>of(new Object[] {"r1", 1L})).getFirst()).containsExactly("r1", 1L, null, "one");
                assertThat(hot.server().lookupConnections()).isEqualTo(1);
            }
        }
    }

    @Test
    void aPortTheClientCannotReachLeavesLookupsOnTheFlightStream()
            throws Exception
    {
        try (TestingHotStore hot = new TestingHotStore(dir)) {
            hot.createTable("kv.orders", orders());
            try (InletClient writerClient = hot.client(); UpsertWriter writer = writerClient.newUpsertWriter("kv.orders", null, WriterOptions.defaults())) {
                writer.upsert(new Object[] {"r1", 1L, null, "one"});
                writer.flush();
            }
            hot.server().closeLookupPortForTest();
            try (InletClient client = hot.client()) {
                // the server still names its port, but nothing answers there: the stream serves
                assertThat(client.lookup("kv.orders", List.<Object[]>of(new Object[] {"r1", 1L}, new Object[] {"r1", 2L})))
                        .satisfiesExactly(row -> assertThat(row).containsExactly("r1", 1L, null, "one"), row -> assertThat(row).isNull());
                assertThat(client.lookup("kv.orders", List.<Object[]>of(new Object[] {"r1", 1L})).getFirst()).containsExactly("r1", 1L, null, "one");
            }
        }
    }

    /** Looks up from two threads at once until the client keeps two connections (so two stale ones after a restart). */
    private static void keepTwoConnections(TestingHotStore hot, InletClient client)
            throws Exception
    {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (hot.server().lookupConnections() < 2) {
                assertThat(System.nanoTime()).as("two threads looking up at once open a second connection").isLessThan(deadline);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> both = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    both.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < 50; i++) {
                            client.lookup("kv.orders", List.<Object[]>of(new Object[] {"r1", 1L}));
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> done : both) {
                    done.get();
                }
            }
        }
        finally {
            pool.shutdownNow();
        }
    }

    private static int freePort()
            throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
