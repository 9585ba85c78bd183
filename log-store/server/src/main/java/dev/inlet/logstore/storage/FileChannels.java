/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.storage;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

/** File operations the storage classes share: whole reads and writes, fsync of directories, atomic replace. */
final class FileChannels
{
    private FileChannels() {}

    /** Fills the buffer's remaining space from {@code position}; fails at the end of the file. */
    static void readFully(FileChannel channel, ByteBuffer buffer, long position, Path file)
            throws IOException
    {
        long p = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, p);
            if (n < 0) {
                throw new EOFException("%s ends at %d, before the %d bytes expected at position %d were read".formatted(file, p, buffer.remaining(), position));
            }
            p += n;
        }
    }

    /** Writes every remaining byte of the buffers at the channel's position. */
    static void writeFully(FileChannel channel, ByteBuffer... buffers)
            throws IOException
    {
        long remaining = 0;
        for (ByteBuffer buffer : buffers) {
            remaining += buffer.remaining();
        }
        while (remaining > 0) {
            remaining -= channel.write(buffers);
        }
    }

    /**
     * Makes the directory's entries durable: creating, renaming or deleting a file is only durable
     * once its directory was fsynced (POSIX; ext4 and XFS honour it).
     */
    static void fsyncDirectory(Path dir)
            throws IOException
    {
        try (FileChannel channel = FileChannel.open(dir, READ)) {
            channel.force(true);
        }
        catch (IOException e) {
            // Some platforms (Windows) cannot open a directory; there the rename itself is the best we get.
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
    }

    /**
     * Writes a small file so that a reader sees either the old content or the complete new one:
     * write {@code <file>.tmp}, fsync it, rename it over {@code file}, fsync the directory.
     */
    static void writeAtomically(Path file, ByteBuffer content)
            throws IOException
    {
        Path temp = LogFileNames.tempFile(file);
        Files.deleteIfExists(temp);
        try (FileChannel channel = FileChannel.open(temp, CREATE_NEW, WRITE)) {
            writeFully(channel, content);
            channel.force(true);
        }
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        fsyncDirectory(file.getParent());
    }
}
