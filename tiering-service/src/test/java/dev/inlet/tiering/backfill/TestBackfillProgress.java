/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering.backfill;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** What a backfill shows while it runs: a bar redrawn in place on a terminal, a line otherwise. */
class TestBackfillProgress
{
    @Test
    void aTerminalGetsABarOtherOutputGetsLines()
    {
        BackfillProgress progress = new BackfillProgress(4, 4L << 20);
        progress.files.set(1);
        progress.rows.set(25_000);
        progress.bytes.set(1L << 20);
        progress.commits.set(1);
        progress.rejected.set(2);

        StringWriter bar = new StringWriter();
        progress.render(new PrintWriter(bar), true, Duration.ofSeconds(10));
        assertThat(bar.toString()).isEqualTo("\r[#######                       ] files 1/4, rows 25,000 (2 rejected), 1.0 MiB/4.0 MiB, 2,500 rows/s, 102.4 KiB/s, 1 commits, ETA 0m30s   ");

        StringWriter lines = new StringWriter();
        progress.render(new PrintWriter(lines), false, Duration.ofSeconds(10));
        assertThat(lines.toString()).isEqualTo("backfill: files 1/4, rows 25,000 (2 rejected), 1.0 MiB/4.0 MiB, 2,500 rows/s, 102.4 KiB/s, 1 commits, ETA 0m30s" + System.lineSeparator());

        assertThat(BackfillProgress.format(Duration.ofMinutes(125))).isEqualTo("2h05m");
        assertThat(BackfillProgress.size(1023)).isEqualTo("1023 B");
    }
}
