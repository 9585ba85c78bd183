/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.storage;

import java.nio.file.Path;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * Every file name in a bucket directory comes from here. Files that belong to an offset are named
 * by that offset, zero-padded to 20 digits so that names sort in offset order, plus a suffix:
 * <pre>
 * 00000000000000001000.log         segment data: record batches from offset 1000 on
 * 00000000000000001000.index       its offset index
 * 00000000000000001000.timeindex   its time index
 * 00000000000000001000.writers     writer-state snapshot covering offsets [0, 1000)
 * clean-shutdown                   written by close(); its absence means the log crashed
 * *.tmp                            a file being written; renamed into place when complete
 * *.deleted                        a file being deleted
 * </pre>
 * The loader deletes {@code *.tmp} and {@code *.deleted} files on startup: a {@code .tmp} file was
 * never renamed into place, so nothing refers to it; a {@code .deleted} file was on its way out.
 *
 * <p>Stateless; thread-safe.
 */
public final class LogFileNames
{
    public static final String LOG_SUFFIX = ".log";
    public static final String OFFSET_INDEX_SUFFIX = ".index";
    public static final String TIME_INDEX_SUFFIX = ".timeindex";
    public static final String WRITER_SNAPSHOT_SUFFIX = ".writers";
    public static final String TEMP_SUFFIX = ".tmp";
    public static final String DELETED_SUFFIX = ".deleted";
    public static final String CLEAN_SHUTDOWN_FILE = "clean-shutdown";

    private static final int OFFSET_DIGITS = 20;

    private LogFileNames() {}

    /** The 20-digit zero-padded form of an offset, e.g. {@code 00000000000000001000}. */
    public static String offsetPrefix(long offset)
    {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative: " + offset);
        }
        String digits = Long.toString(offset);
        return "0".repeat(OFFSET_DIGITS - digits.length()) + digits;
    }

    public static Path logFile(Path dir, long baseOffset)
    {
        return requireNonNull(dir, "dir is null").resolve(offsetPrefix(baseOffset) + LOG_SUFFIX);
    }

    public static Path offsetIndexFile(Path dir, long baseOffset)
    {
        return requireNonNull(dir, "dir is null").resolve(offsetPrefix(baseOffset) + OFFSET_INDEX_SUFFIX);
    }

    public static Path timeIndexFile(Path dir, long baseOffset)
    {
        return requireNonNull(dir, "dir is null").resolve(offsetPrefix(baseOffset) + TIME_INDEX_SUFFIX);
    }

    public static Path writerSnapshotFile(Path dir, long offset)
    {
        return requireNonNull(dir, "dir is null").resolve(offsetPrefix(offset) + WRITER_SNAPSHOT_SUFFIX);
    }

    public static Path cleanShutdownFile(Path dir)
    {
        return requireNonNull(dir, "dir is null").resolve(CLEAN_SHUTDOWN_FILE);
    }

    /** The name a file gets while it is being written, before it is renamed into place. */
    public static Path tempFile(Path file)
    {
        return file.resolveSibling(file.getFileName() + TEMP_SUFFIX);
    }

    /** The name a file gets just before it is deleted. */
    public static Path deletedFile(Path file)
    {
        return file.resolveSibling(file.getFileName() + DELETED_SUFFIX);
    }

    /**
     * The offset in a name made by this class, if the name has the given suffix: the file name
     * must be exactly 20 digits followed by the suffix.
     */
    public static OptionalLong offsetFromFileName(Path file, String suffix)
    {
        String name = file.getFileName().toString();
        if (!name.endsWith(suffix) || name.length() != OFFSET_DIGITS + suffix.length()) {
            return OptionalLong.empty();
        }
        long offset = 0;
        for (int i = 0; i < OFFSET_DIGITS; i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return OptionalLong.empty();
            }
            if (offset > (Long.MAX_VALUE - (c - '0')) / 10) {
                return OptionalLong.empty();
            }
            offset = offset * 10 + (c - '0');
        }
        return OptionalLong.of(offset);
    }

    /** Whether the loader deletes this file on startup. */
    public static boolean isLeftover(Path file)
    {
        String name = file.getFileName().toString();
        return name.endsWith(TEMP_SUFFIX) || name.endsWith(DELETED_SUFFIX);
    }
}
