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
 * The union-read benchmark runs end to end at a tiny size (its harness, not its numbers: the
 * figures come from full runs, see docs/benchmarks.md): both formats, the ratio, the merge table.
 */
class TestUnionReadBenchmark
{
    @Test
    @Timeout(240)
    void runsAtATinySize(@TempDir Path directory)
    {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        int exit = new CommandLine(new UnionReadBenchmark(out)).execute("--rows", "2000", "--pk-rows", "1000", "--merge-tails", "1,10", "--repeats", "1", "--buckets", "2",
                "--dir", directory.toString());
        String output = buffer.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(output).isZero();
        assertThat(output)
                .containsPattern("paimon +lake only +2,000")
                .containsPattern("iceberg +union, 1.0% hot +2,000 .* 1,980 +20")
                .contains("== Ratio union/lake-only")
                .containsPattern("iceberg +10.0% +100 .* 1,000 ");
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)).isEmpty();
    }
}
