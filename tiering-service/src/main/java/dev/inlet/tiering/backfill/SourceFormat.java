/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering.backfill;

import java.util.Locale;
import java.util.Optional;

/** The formats a backfill reads. */
public enum SourceFormat
{
    PARQUET(".parquet"),
    CSV(".csv"),
    JSON(".json", ".jsonl", ".ndjson");

    private final String[] extensions;

    SourceFormat(String... extensions)
    {
        this.extensions = extensions;
    }

    /** The format named on the command line ({@code --format}). */
    public static SourceFormat named(String name)
    {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "parquet" -> PARQUET;
            case "csv" -> CSV;
            case "json", "jsonl", "ndjson" -> JSON;
            default -> throw new IllegalArgumentException("--format must be parquet, csv or json, got '" + name + "'");
        };
    }

    /** The format a file's name says (compressed files are not read), or empty. */
    public static Optional<SourceFormat> ofName(String location)
    {
        String name = location.toLowerCase(Locale.ROOT);
        for (SourceFormat format : values()) {
            for (String extension : format.extensions) {
                if (name.endsWith(extension)) {
                    return Optional.of(format);
                }
            }
        }
        return Optional.empty();
    }
}
