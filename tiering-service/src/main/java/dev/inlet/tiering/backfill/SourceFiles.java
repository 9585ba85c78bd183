/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering.backfill;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.s3.S3Settings;
import org.apache.iceberg.Files;
import org.apache.iceberg.aws.s3.S3FileIO;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.InputFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Where a backfill's files are: a folder (or one file) on S3, read with the deployment's S3
 * settings through Iceberg's {@code S3FileIO}, or on the local file system. Files are listed
 * recursively, sorted by location; names starting with {@code .} or {@code _} (such as
 * {@code _SUCCESS}) are not data and are left out.
 */
public final class SourceFiles
        implements AutoCloseable
{
    private final String from;
    private final S3FileIO s3;

    private SourceFiles(String from, S3FileIO s3)
    {
        this.from = requireNonNull(from, "from is null");
        this.s3 = s3;
    }

    /** The files under {@code from}: an {@code s3://} (or {@code s3a://}) location, or a local path. */
    public static SourceFiles at(String from, S3Settings s3Settings)
    {
        String lower = from.toLowerCase(Locale.ROOT);
        if (lower.startsWith("s3://") || lower.startsWith("s3a://")) {
            S3FileIO io = new S3FileIO();
            io.initialize(s3Settings.icebergProperties());
            return new SourceFiles("s3://" + from.substring(from.indexOf("://") + 3), io);
        }
        if (lower.matches("^[a-z][a-z0-9+.-]*://.*") && !lower.startsWith("file://")) {
            throw new InletException(InletErrorCode.BACKFILL_INVALID_SOURCE, "Cannot backfill from '" + from + "': give an s3:// location or a local path");
        }
        return new SourceFiles(Path.of(lower.startsWith("file://") ? from.substring("file://".length()) : from).toAbsolutePath().normalize().toString(), null);
    }

    public String from()
    {
        return from;
    }

    /**
     * The data files, sorted by location.
     *
     * @param format how to read every file, or empty to tell each file's format from its name (a
     *     file whose name says no format is then an error naming it)
     */
    public List<SourceFile> list(Optional<SourceFormat> format)
    {
        List<FileInfo> found = new ArrayList<>();
        if (s3 != null) {
            try {
                s3.listPrefix(from).forEach(found::add);
            }
            catch (RuntimeException e) {
                throw new InletException(InletErrorCode.BACKFILL_INVALID_SOURCE, "Cannot list " + from + ": " + e.getMessage(), e);
            }
        }
        else {
            Path root = Path.of(from);
            if (!java.nio.file.Files.exists(root)) {
                throw new InletException(InletErrorCode.BACKFILL_INVALID_SOURCE, "Cannot backfill from " + from + ": no such file or folder");
            }
            try (Stream<Path> paths = java.nio.file.Files.walk(root)) {
                paths.filter(java.nio.file.Files::isRegularFile).forEach(p -> {
                    try {
                        found.add(new FileInfo(p.toString(), java.nio.file.Files.size(p), java.nio.file.Files.getLastModifiedTime(p).toMillis()));
                    }
                    catch (IOException e) {
                        throw new InletException(InletErrorCode.BACKFILL_INVALID_SOURCE, "Cannot read " + p + ": " + e.getMessage(), e);
                    }
                });
            }
            catch (IOException e) {
                throw new InletException(InletErrorCode.BACKFILL_INVALID_SOURCE, "Cannot list " + from + ": " + e.getMessage(), e);
            }
        }
        List<SourceFile> files = new ArrayList<>();
        for (FileInfo f : found) {
            String name = f.location().substring(f.location().lastIndexOf('/') + 1);
            if (name.startsWith(".") || name.startsWith("_") || name.isEmpty()) {
                continue;
            }
            SourceFormat fileFormat = format.or(() -> SourceFormat.ofName(name)).orElseThrow(() -> new InletException(InletErrorCode.BACKFILL_INVALID_SOURCE,
                    "Cannot tell the format of " + f.location() + " from its name (.parquet, .csv, .json or .jsonl); give --format"));
            files.add(new SourceFile(f.location(), f.size(), fileFormat));
        }
        files.sort(Comparator.comparing(SourceFile::location));
        return files;
    }

    public InputFile open(SourceFile file)
    {
        return s3 != null ? s3.newInputFile(file.location(), file.size()) : Files.localInput(file.location());
    }

    @Override
    public void close()
    {
        if (s3 != null) {
            s3.close();
        }
    }
}
