/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering.backfill;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a backfill has done so far, and how it is shown: on a terminal a progress bar redrawn in
 * place, otherwise a plain line every interval (logs and CI keep every line). Counters are updated
 * by the loading threads; {@link #render} is called by one reporting thread.
 */
public final class BackfillProgress
{
    private final long totalFiles;
    private final long totalBytes;
    private final long started = System.nanoTime();
    final AtomicLong files = new AtomicLong();
    final AtomicLong rows = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();
    // bytes of finished files, plus the bytes read so far of files being read
    final AtomicLong bytes = new AtomicLong();
    final AtomicLong commits = new AtomicLong();
    // files decoded column by column (the rest row by row)
    final AtomicLong columnarFiles = new AtomicLong();

    BackfillProgress(long totalFiles, long totalBytes)
    {
        this.totalFiles = totalFiles;
        this.totalBytes = totalBytes;
    }

    long totalFiles()
    {
        return totalFiles;
    }

    long totalBytes()
    {
        return totalBytes;
    }

    Duration elapsed()
    {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** One line (or bar) of the state now. */
    void render(PrintWriter out, boolean terminal)
    {
        render(out, terminal, elapsed());
    }

    /** The state as it is {@code elapsed} after the start. */
    void render(PrintWriter out, boolean terminal, Duration elapsed)
    {
        double seconds = Math.max(elapsed.toMillis() / 1000.0, 0.001);
        long done = Math.min(bytes.get(), totalBytes);
        double rate = done / seconds;
        String eta = rate <= 0 || done == 0 ? "?" : format(Duration.ofSeconds((long) ((totalBytes - done) / rate)));
        String counts = String.format(Locale.ROOT, "files %d/%d, rows %,d%s, %s/%s, %,.0f rows/s, %s/s, %d commits, ETA %s", files.get(), totalFiles, rows.get(),
                rejected.get() == 0 ? "" : " (" + rejected.get() + " rejected)", size(done), size(totalBytes), rows.get() / seconds, size((long) rate), commits.get(), eta);
        if (terminal) {
            int width = 30;
            int filled = totalBytes == 0 ? width : (int) (width * done / totalBytes);
            out.print("\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + counts + "   ");
        }
        else {
            out.println("backfill: " + counts);
        }
        out.flush();
    }

    static String size(long bytes)
    {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    static String format(Duration d)
    {
        long s = d.toSeconds();
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60) : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
