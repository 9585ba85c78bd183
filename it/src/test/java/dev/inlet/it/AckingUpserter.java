/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.it;

import dev.inlet.logstore.client.ClientConfig;
import dev.inlet.logstore.client.InletClient;
import dev.inlet.logstore.client.UpsertWriter;
import dev.inlet.logstore.client.WriterOptions;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * A client process for crash tests of primary-key tables: sends upserts {@code i = from .. to-1}
 * ({@link #op}) to a table whose {@code total} sums and {@code cnt} counts, and prints
 * {@code ACK <i>} for every write the server acknowledged, the moment it is acknowledged.
 *
 * <p>Usage: {@code AckingUpserter <endpoint> <table> <from> <to>}
 */
public final class AckingUpserter
{
    /** Keys per round of writes: each key gets many updates. */
    public static final long KEYS = 400;

    private AckingUpserter() {}

    public static void main(String[] args)
            throws Exception
    {
        URI endpoint = URI.create(args[0]);
        String table = args[1];
        long from = Long.parseLong(args[2]);
        long to = Long.parseLong(args[3]);
        PrintStream out = new PrintStream(System.out, true);
        ClientConfig config = new ClientConfig(endpoint, java.util.Optional.empty(), Duration.ofSeconds(10));
        try (InletClient client = InletClient.connect(config);
                UpsertWriter writer = client.newUpsertWriter(table, List.of("k", "total", "cnt"), WriterOptions.defaults().withBatchRows(50).withLinger(Duration.ofMillis(5)))) {
            for (long i = from; i < to; i++) {
                long op = i;
                writer.upsert(op(i)).thenAccept(r -> {
                    synchronized (out) {
                        out.println("ACK " + op);
                    }
                });
            }
        }
        out.println("DONE");
    }

    /** Write {@code i}: key {@code from + i % KEYS} of its round, adds {@code i + 1} to the total and 1 to the count. */
    public static Object[] op(long i)
    {
        long round = i / 1_000_000;
        return new Object[] {round * 1_000_000 + i % KEYS, i + 1, 1L};
    }
}
