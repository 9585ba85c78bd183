/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering.backfill;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.model.TableInfo;
import dev.inlet.logstore.client.RowValidator;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.iceberg.io.InputFile;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Reads one source file into checked rows: each row gets the values {@code --partition} supplies,
 * and is checked as a client would check it before a write (NOT NULL columns, decimal scales). A
 * bad row stops the file with its file, row and column named, unless bad rows are skipped: then it
 * goes to the rejects file and is counted.
 */
final class FileLoader
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TableInfo table;
    private final SourceFiles sources;
    private final Map<Integer, Object> supplied;
    private final Set<String> suppliedNames;
    private final RowValidator validator;
    private final Optional<Rejects> rejects;
    private final BackfillProgress progress;

    /**
     * @param supplied values of columns given by the command, by column index
     * @param rejects where skipped rows go; empty to stop at the first bad row
     */
    FileLoader(TableInfo table, SourceFiles sources, Map<Integer, Object> supplied, Optional<Rejects> rejects, BackfillProgress progress)
    {
        this.table = table;
        this.sources = sources;
        this.supplied = Map.copyOf(supplied);
        this.suppliedNames = supplied.keySet().stream().map(table.descriptor().columnNames()::get).collect(Collectors.toUnmodifiableSet());
        this.validator = new RowValidator(table.path(), table.descriptor());
        this.rejects = rejects;
        this.progress = progress;
    }

    /**
     * Reads every row of {@code file} into {@code sink}.
     *
     * @return the rows given to the sink
     * @throws InletException {@code BACKFILL_INVALID_INPUT} naming the file, row and column
     */
    long load(SourceFile file, Consumer<Object[]> sink)
    {
        return load(file, sources.open(file), sink, progress);
    }

    /** Like {@link #load(SourceFile, Consumer)}, reading the file's bytes from {@code input}. */
    long load(SourceFile file, InputFile input, Consumer<Object[]> sink)
    {
        return load(file, input, sink, progress);
    }

    /** Whether files may be read column by column: not when bad rows are to be skipped one by one. */
    boolean columnar()
    {
        return rejects.isEmpty();
    }

    SourceFiles sources()
    {
        return sources;
    }

    /**
     * Reads a Parquet file column by column into {@code sink} (which takes each batch over), or
     * returns -1 if its columns are not stored so that it can be (then {@link #load} reads it).
     *
     * @return the rows given to the sink
     * @throws InletException {@code BACKFILL_INVALID_INPUT} naming the file, row and column
     */
    long loadColumnar(SourceFile file, InputFile input, BufferAllocator allocator, int batchRows, Consumer<VectorSchemaRoot> sink)
    {
        Optional<ParquetBatches> opened = ParquetBatches.open(file, input, table.descriptor(), supplied, allocator, batchRows);
        if (opened.isEmpty()) {
            return -1;
        }
        long reported = 0;
        try (ParquetBatches batches = opened.get()) {
            for (var root = batches.next(); root != null; root = batches.next()) {
                progress.rows.addAndGet(root.getRowCount());
                long read = batches.bytesRead();
                progress.bytes.addAndGet(read - reported);
                reported = read;
                sink.accept(root);
            }
            progress.bytes.addAndGet(file.size() - reported);
            progress.files.incrementAndGet();
            progress.columnarFiles.incrementAndGet();
            return batches.rowsRead();
        }
        catch (SourceRows.BadRow e) {
            throw new InletException(InletErrorCode.BACKFILL_INVALID_INPUT, e.getMessage(), e);
        }
        catch (IOException e) {
            throw new InletException(InletErrorCode.BACKFILL_INVALID_INPUT, "Cannot read " + file.location() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads every row of {@code file} and checks it, without writing or counting it: the first
     * pass over a file whose rows go where a bad row could not be taken back.
     */
    void check(SourceFile file)
    {
        load(file, sources.open(file), row -> {}, new BackfillProgress(1, file.size()));
    }

    private long load(SourceFile file, InputFile input, Consumer<Object[]> sink, BackfillProgress progress)
    {
        long rows = 0;
        long reported = 0;
        try (SourceRows source = SourceRows.open(file, input, table.path(), table.descriptor(), suppliedNames)) {
            while (true) {
                Object[] row;
                try {
                    row = source.next();
                    if (row == null) {
                        break;
                    }
                    row = check(file, source.position(), row);
                }
                catch (SourceRows.BadRow e) {
                    if (rejects.isEmpty() || e.fatal()) {
                        throw new InletException(InletErrorCode.BACKFILL_INVALID_INPUT, e.getMessage(), e);
                    }
                    rejects.get().add(file, source.position(), e.getMessage());
                    progress.rejected.incrementAndGet();
                    continue;
                }
                sink.accept(row);
                rows++;
                if ((rows & 4095) == 0) {
                    progress.rows.addAndGet(4096);
                    long read = source.bytesRead();
                    progress.bytes.addAndGet(read - reported);
                    reported = read;
                }
            }
            progress.rows.addAndGet(rows & 4095);
            progress.bytes.addAndGet(file.size() - reported);
            progress.files.incrementAndGet();
            return rows;
        }
        catch (IOException e) {
            throw new InletException(InletErrorCode.BACKFILL_INVALID_INPUT, "Cannot read " + file.location() + ": " + e.getMessage(), e);
        }
        catch (SourceRows.BadRow e) {
            // the file could not even be opened as what it claims to be
            throw new InletException(InletErrorCode.BACKFILL_INVALID_INPUT, e.getMessage(), e);
        }
    }

    private Object[] check(SourceFile file, long position, Object[] row)
    {
        for (Map.Entry<Integer, Object> e : supplied.entrySet()) {
            Object value = row[e.getKey()];
            if (value != null && !value.equals(e.getValue())) {
                String column = table.descriptor().columnNames().get(e.getKey());
                throw new SourceRows.BadRow("File " + file.location() + ", row " + position + ", column '" + column + "': " + value + " is outside --partition " + column + "="
                        + e.getValue(), false, null);
            }
            row[e.getKey()] = e.getValue();
        }
        try {
            return validator.check(row);
        }
        catch (InletException e) {
            throw new SourceRows.BadRow("File " + file.location() + ", row " + position + ": " + e.getMessage(), false, e);
        }
    }

    /** The rows a backfill skipped, as JSON lines of {@code {"file", "row", "error"}}. */
    static final class Rejects
            implements AutoCloseable
    {
        private final Path path;
        private BufferedWriter out;

        Rejects(Path path)
        {
            this.path = path;
        }

        Path path()
        {
            return path;
        }

        synchronized void add(SourceFile file, long row, String error)
        {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("file", file.location());
            line.put("row", row);
            line.put("error", error);
            try {
                if (out == null) {
                    Files.createDirectories(path.toAbsolutePath().getParent());
                    out = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
                }
                out.write(JSON.writeValueAsString(line));
                out.newLine();
            }
            catch (IOException e) {
                throw new UncheckedIOException("Cannot write the rejects file " + path, e);
            }
        }

        @Override
        public synchronized void close()
                throws IOException
        {
            if (out != null) {
                out.close();
            }
        }
    }
}
