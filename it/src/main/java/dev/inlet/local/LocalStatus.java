/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.local;

import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.model.TableInfo;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.catalog.model.TieredOffset;
import dev.inlet.logstore.client.InletClient;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The live status line of {@code inlet local}: the ingest rate since the last line and, per demo
 * table, how many hot rows the lake does not hold yet and how long ago tiering last committed.
 */
final class LocalStatus
{
    private final InletCatalog catalog;
    private final InletClient client;
    private final List<TablePath> tables;
    private long lastRows;
    private Instant lastAt = Instant.now();

    LocalStatus(InletCatalog catalog, InletClient client, List<TablePath> tables)
    {
        this.catalog = catalog;
        this.client = client;
        this.tables = List.copyOf(tables);
    }

    String line(long rowsWritten)
    {
        Instant now = Instant.now();
        double seconds = Math.max(0.001, Duration.between(lastAt, now).toMillis() / 1000.0);
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "[%s] ingest %.0f rows/s | lake lag:", LocalTime.now().format(java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss")),
                (rowsWritten - lastRows) / seconds));
        lastRows = rowsWritten;
        lastAt = now;
        for (TablePath path : tables) {
            Optional<TableInfo> table = catalog.findTable(path);
            if (table.isEmpty()) {
                continue;
            }
            long tiered = 0;
            Instant lastCommit = null;
            for (TieredOffset offset : catalog.store().tieredOffsets(table.get().tableId())) {
                tiered += offset.offset();
                lastCommit = lastCommit == null || offset.updatedAt().isAfter(lastCommit) ? offset.updatedAt() : lastCommit;
            }
            long behind = Math.max(0, LocalDemo.rowsIn(client, path) - tiered);
            line.append(String.format(Locale.ROOT, " %s %,d rows (%s)", path.table(), behind,
                    // a commit made after `now`, while this line was being built, is 0s ago, not -1s
                    lastCommit == null ? "not tiered yet" : "committed " + Math.max(0, Duration.between(lastCommit, now).toSeconds()) + "s ago"));
        }
        return line.toString();
    }
}
