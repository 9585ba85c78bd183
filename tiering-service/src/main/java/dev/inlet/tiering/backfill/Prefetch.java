/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering.backfill;

import org.apache.iceberg.inmemory.InMemoryInputFile;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.SeekableInputStream;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Downloads the next source file of a commit while the current one is decoded: reading a file
 * from S3 waits on the network, decoding and encoding it use the CPU, and done one after the
 * other a backfill would leave the CPU idle for every download. Files up to
 * {@code maxBytes} are fetched whole into memory one file ahead; larger files are streamed.
 */
final class Prefetch
        implements AutoCloseable
{
    private final SourceFiles sources;
    private final List<SourceFile> files;
    private final long maxBytes;
    private final Map<String, CompletableFuture<byte[]>> fetched = new ConcurrentHashMap<>();

    Prefetch(SourceFiles sources, List<SourceFile> files, long maxBytes)
    {
        this.sources = sources;
        this.files = files;
        this.maxBytes = maxBytes;
    }

    /** The file at {@code index} of the list, to read now; starts fetching the one after it. */
    InputFile input(int index)
    {
        SourceFile file = files.get(index);
        if (index == 0) {
            start(file);
        }
        if (index + 1 < files.size()) {
            start(files.get(index + 1));
        }
        CompletableFuture<byte[]> bytes = fetched.remove(file.location());
        if (bytes == null) {
            return sources.open(file);
        }
        try {
            return new InMemoryInputFile(file.location(), bytes.get());
        }
        catch (ExecutionException e) {
            // read it again the usual way: that read reports what is wrong with it
            return sources.open(file);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading " + file.location(), e);
        }
    }

    private void start(SourceFile file)
    {
        if (file.size() > maxBytes || file.size() <= 0) {
            return;
        }
        fetched.computeIfAbsent(file.location(), location -> CompletableFuture.supplyAsync(() -> download(file), command -> Thread.ofVirtual().start(command)));
    }

    private byte[] download(SourceFile file)
    {
        byte[] bytes = new byte[Math.toIntExact(file.size())];
        try (SeekableInputStream in = sources.open(file).newStream()) {
            int at = 0;
            while (at < bytes.length) {
                int n = in.read(bytes, at, bytes.length - at);
                if (n < 0) {
                    throw new IOException(file.location() + " ended after " + at + " of its " + bytes.length + " bytes");
                }
                at += n;
            }
            return bytes;
        }
        catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close()
    {
        fetched.values().forEach(f -> f.cancel(true));
        fetched.clear();
    }
}
