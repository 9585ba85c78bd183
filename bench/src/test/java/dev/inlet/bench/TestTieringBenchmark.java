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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A smoke test of the tiering benchmark, not a benchmark: 2,000 rows tiered into Paimon and
 * Iceberg against the raw writers, then two seconds of the lag measurement.
 */
class TestTieringBenchmark
{
    @Test
    @Timeout(180)
    void runsAtATinySize(@TempDir Path directory)
    {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        int exit = new CommandLine(new TieringBenchmark(out)).execute("--rows", "2000", "--warmup", "500", "--buckets", "2",
                "--lag-seconds", "2", "--lag-rate", "100", "--dir", directory.toString());
        String output = buffer.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(output).isZero();
        assertThat(output)
                .contains("paimon   tiering       2,000")
                .contains("iceberg  raw           2,000")
                .contains("== Ratio tiering/raw")
                .contains("== Lake lag")
                .containsPattern("paimon +max lag");
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)).isEmpty();
    }
}
