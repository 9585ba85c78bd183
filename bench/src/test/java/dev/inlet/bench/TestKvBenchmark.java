/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A smoke test of the primary-key benchmark, not a benchmark: a real Inlet server, 1,000 keys
 * upserted and 500 updated against the RocksDB baseline, then half a second of lookups at a low rate
 * (a few seconds, most of it the server's start).
 */
class TestKvBenchmark
{
    @Test
    @Timeout(120)
    void runsAtATinySize(@TempDir Path directory)
    {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        int exit = new CommandLine(new KvBenchmark(out, List.of("-XX:TieredStopAtLevel=1"))).setCaseInsensitiveEnumValuesAllowed(true).execute(
                "--keys", "1000", "--updates", "500", "--warmup", "0", "--mode", "none", "--baseline", "put",
                "--lookup-rate", "200", "--lookup-warmup-seconds", "0.2", "--lookup-seconds", "0.5", "--lookup-threads", "2",
                "--dir", directory.toString());
        String output = buffer.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(output).isZero();
        assertThat(output)
                .contains("inlet            none       update         500")
                .contains("rocksdb put      wal        insert        1000")
                .contains("inlet none  / rocksdb put")
                .contains("== Point lookups")
                .doesNotContain("WRONG", "FAILED");
        // the server JVM is gone
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)).isEmpty();
    }

    @Test
    void rowsAreDeterministicAndUpdatesHitInsertedKeys()
    {
        KvRows.Workload a = KvRows.generate(100, 50, 10, 7);
        KvRows.Workload b = KvRows.generate(100, 50, 10, 7);
        assertThat(a.inserts()).hasSize(100);
        assertThat(a.inserts().stream().map(row -> (Long) row[0]).distinct()).hasSize(100);
        assertThat(a.updates()).allSatisfy(row -> assertThat((Long) row[0]).isBetween(0L, 99L));
        assertThat(a.warmup()).allSatisfy(row -> assertThat((Long) row[0]).isGreaterThanOrEqualTo(100L));
        assertThat(a.updates().getFirst()).isEqualTo(b.updates().getFirst());
        Object[] row = a.inserts().getFirst();
        long strings = KvRows.payloadBytes(row) - 48;
        assertThat(KvRows.encodeValue(row)).hasSize((int) (6 + 48 + 12 + strings));
        assertThat(KvRows.encodeKey(1)).hasSize(9);
    }
}
