/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union.merge;

import dev.inlet.union.read.BatchBuilder;
import dev.inlet.union.read.BatchSource;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.TransferPair;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows spilled to local disk, hash-partitioned by primary key into Arrow IPC stream files: the
 * rows of one key all land in one partition, in the order they were added, so each partition can
 * be merged on its own in memory. The files are deleted on close.
 */
final class SpillSet
        implements AutoCloseable
{
    private final Path dir;
    private final Schema schema;
    private final List<String> keyColumns;
    private final BufferAllocator allocator;
    private final BatchBuilder[] staging;
    private final VectorSchemaRoot[] sinks;
    private final ArrowStreamWriter[] writers;
    private final Path[] files;
    private final int[][] selected;
    private final int[] counts;
    private long rows;

    SpillSet(Path parent, String name, int partitions, Schema schema, List<String> keyColumns, BufferAllocator allocator, int rowsPerBatch)
    {
        this.schema = schema;
        this.keyColumns = keyColumns;
        this.allocator = allocator;
        this.staging = new BatchBuilder[partitions];
        this.sinks = new VectorSchemaRoot[partitions];
        this.writers = new ArrowStreamWriter[partitions];
        this.files = new Path[partitions];
        this.selected = new int[partitions][];
        this.counts = new int[partitions];
        try {
            Files.createDirectories(parent);
            this.dir = Files.createTempDirectory(parent, name);
            for (int p = 0; p < partitions; p++) {
                staging[p] = new BatchBuilder(schema, allocator, rowsPerBatch);
                sinks[p] = VectorSchemaRoot.create(schema, allocator);
                files[p] = dir.resolve("part-" + p + ".arrow");
                OutputStream out = Files.newOutputStream(files[p]);
                writers[p] = new ArrowStreamWriter(sinks[p], null, Channels.newChannel(out));
                writers[p].start();
            }
        }
        catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot create spill files under " + parent, e);
        }
    }

    int partitions()
    {
        return files.length;
    }

    long rows()
    {
        return rows;
    }

    long bytes()
    {
        long bytes = 0;
        for (Path f : files) {
            try {
                bytes += Files.size(f);
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return bytes;
    }

    /** Adds rows {@code [first, last)} of {@code batch} (which the caller keeps) to their keys' partitions. */
    void add(VectorSchemaRoot batch, int first, int last)
    {
        int n = last - first;
        for (int p = 0; p < counts.length; p++) {
            if (selected[p] == null || selected[p].length < n) {
                selected[p] = new int[Math.max(n, 16)];
            }
            counts[p] = 0;
        }
        KeyEncoder keys = new KeyEncoder(batch, keyColumns);
        for (int r = first; r < last; r++) {
            int p = keys.key(r).partition(counts.length);
            selected[p][counts[p]++] = r;
        }
        for (int p = 0; p < counts.length; p++) {
            staging[p].append(batch, selected[p], counts[p]);
            if (staging[p].full()) {
                write(p);
            }
        }
        rows += n;
    }

    private void write(int p)
    {
        try (VectorSchemaRoot batch = staging[p].take()) {
            if (batch == null) {
                return;
            }
            List<FieldVector> from = batch.getFieldVectors();
            List<FieldVector> to = sinks[p].getFieldVectors();
            for (int i = 0; i < from.size(); i++) {
                from.get(i).makeTransferPair(to.get(i)).transfer();
            }
            sinks[p].setRowCount(batch.getRowCount());
            writers[p].writeBatch();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write spill file " + files[p], e);
        }
    }

    /** Writes what is still staged; afterwards the partitions can be read. */
    void finish()
    {
        for (int p = 0; p < files.length; p++) {
            if (!staging[p].isEmpty()) {
                write(p);
            }
            try {
                writers[p].end();
                writers[p].close();
                writers[p] = null;
            }
            catch (IOException e) {
                throw new UncheckedIOException("cannot finish spill file " + files[p], e);
            }
        }
    }

    /** The batches of partition {@code p}, in the order their rows were added. */
    BatchSource read(int p)
    {
        try {
            InputStream in = Files.newInputStream(files[p]);
            ArrowStreamReader reader = new ArrowStreamReader(in, allocator);
            return new BatchSource()
            {
                @Override
                public VectorSchemaRoot next()
                {
                    try {
                        if (!reader.loadNextBatch()) {
                            return null;
                        }
                        VectorSchemaRoot loaded = reader.getVectorSchemaRoot();
                        List<FieldVector> vectors = new ArrayList<>();
                        for (FieldVector v : loaded.getFieldVectors()) {
                            TransferPair transfer = v.getTransferPair(allocator);
                            transfer.transfer();
                            vectors.add((FieldVector) transfer.getTo());
                        }
                        return new VectorSchemaRoot(schema.getFields(), vectors, loaded.getRowCount());
                    }
                    catch (IOException e) {
                        throw new UncheckedIOException("cannot read spill file " + files[p], e);
                    }
                }

                @Override
                public void close()
                {
                    try {
                        reader.close();
                    }
                    catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            };
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot open spill file " + files[p], e);
        }
    }

    @Override
    public void close()
    {
        for (int p = 0; p < files.length; p++) {
            try {
                if (writers[p] != null) {
                    writers[p].close();
                }
            }
            catch (RuntimeException e) {
                // closing after a failure: the files are deleted below anyway
            }
            if (staging[p] != null) {
                staging[p].close();
            }
            if (sinks[p] != null) {
                sinks[p].close();
            }
        }
        if (dir != null) {
            try (var paths = Files.list(dir)) {
                for (Path f : paths.toList()) {
                    Files.deleteIfExists(f);
                }
                Files.deleteIfExists(dir);
            }
            catch (IOException e) {
                throw new UncheckedIOException("cannot delete spill files in " + dir, e);
            }
        }
    }
}
