/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.it;

import dev.inlet.logstore.client.AppendWriter;
import dev.inlet.logstore.client.ClientConfig;
import dev.inlet.logstore.client.InletClient;
import dev.inlet.logstore.client.WriterOptions;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;

/**
 * A client process for crash tests: appends rows {@code id = from .. to-1} to a table and prints
 * {@code ACK <id> <bucket> <offset>} for every row the server acknowledged, the moment it is
 * acknowledged. Whatever it printed is what the server promised to keep.
 *
 * <p>Usage: {@code AckingWriter <endpoint> <table> <from> <to>}
 */
public final class AckingWriter
{
    private AckingWriter() {}

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
                AppendWriter writer = client.newWriter(table, WriterOptions.defaults().withBatchRows(50).withLinger(Duration.ofMillis(5)))) {
            for (long id = from; id < to; id++) {
                long rowId = id;
                writer.append(row(id)).thenAccept(r -> {
                    synchronized (out) {
                        out.println("ACK " + rowId + " " + r.bucket() + " " + r.offset());
                    }
                });
            }
        }
        out.println("DONE");
    }

    /** The row of {@code id}: the same in the writer and in the test that checks it. */
    public static Object[] row(long id)
    {
        return new Object[] {id, "user-" + (id % 101), BigDecimal.valueOf(id, 2)};
    }
}
