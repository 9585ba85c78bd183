/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.lake.iceberg;

import org.apache.iceberg.io.RangeReadable;
import org.apache.parquet.bytes.ByteBufferAllocator;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.ParquetFileRange;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Parquet input stream over a file that reads byte ranges (an S3 object). Parquet opens a file by
 * reading its last 8 bytes and then seeking back to the footer, and reads row groups by seeking
 * from column chunk to column chunk; on S3 every such seek would be a new request. Instead:
 * <ul>
 * <li>a file of at most {@link #WHOLE_FILE_BYTES} is fetched whole by its first read, and every
 * read after is served from memory (a tiering round's small files cost one request each);
 * <li>of a larger file, the first read within its last {@link #TAIL_BYTES} fetches that tail,
 * which holds the footer of all but very wide tables;
 * <li>vectored reads (a row group's column chunks) are bounded range requests run in parallel,
 * large ranges in pieces of {@link #PIECE_BYTES};
 * <li>anything else goes through the file's sequential stream.
 * </ul>
 */
final class RangeReadStream
        extends DelegatingSeekableInputStream
{
    static final int WHOLE_FILE_BYTES = 1 << 20;
    static final int TAIL_BYTES = 64 << 10;
    static final int PIECE_BYTES = 4 << 20;

    // range reads of all readers in the JVM; each is one blocking request, so the pool is bounded
    // by what S3 connections are worth in parallel, not by cores
    private static final ExecutorService RANGE_READS = rangeReadPool(16);

    private final Positioned in;

    RangeReadStream(org.apache.iceberg.io.SeekableInputStream stream, long length, String location)
    {
        this(new Positioned(stream, length, location));
    }

    private RangeReadStream(Positioned in)
    {
        super(in);
        this.in = in;
    }

    @Override
    public long getPos()
    {
        return in.pos;
    }

    @Override
    public void seek(long newPos)
    {
        in.pos = newPos;
    }

    @Override
    public boolean readVectoredAvailable(ByteBufferAllocator allocator)
    {
        return !allocator.isDirect();
    }

    @Override
    public void readVectored(List<ParquetFileRange> ranges, ByteBufferAllocator allocator)
    {
        for (ParquetFileRange range : ranges) {
            byte[] bytes = new byte[range.getLength()];
            if (in.buffered(range.getOffset(), bytes.length)) {
                in.copyBuffered(range.getOffset(), bytes, 0, bytes.length);
                range.setDataReadFuture(CompletableFuture.completedFuture(ByteBuffer.wrap(bytes)));
                continue;
            }
            // a large range (a string column's chunk) in pieces fetched side by side: one request
            // streams at what one connection gives, several use the bandwidth
            int pieces = Math.max((bytes.length + PIECE_BYTES - 1) / PIECE_BYTES, 1);
            CompletableFuture<?>[] reads = new CompletableFuture<?>[pieces];
            for (int p = 0; p < pieces; p++) {
                int from = p * PIECE_BYTES;
                int length = Math.min(PIECE_BYTES, bytes.length - from);
                reads[p] = CompletableFuture.runAsync(() -> {
                    try {
                        in.fetch(range.getOffset() + from, bytes, from, length);
                    }
                    catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, RANGE_READS);
            }
            range.setDataReadFuture(CompletableFuture.allOf(reads).thenApply(ignored -> ByteBuffer.wrap(bytes)));
        }
    }

    /** The position, the buffered region and the fallback stream, as an input stream for the delegating base class. */
    private static final class Positioned
            extends InputStream
    {
        private final org.apache.iceberg.io.SeekableInputStream stream;
        private final RangeReadable ranges;
        private final long length;
        private final String location;
        private long pos;
        private byte[] buffer;
        private long bufferStart;

        Positioned(org.apache.iceberg.io.SeekableInputStream stream, long length, String location)
        {
            this.stream = stream;
            this.ranges = (RangeReadable) stream;
            this.length = length;
            this.location = location;
        }

        @Override
        public int read()
                throws IOException
        {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len)
                throws IOException
        {
            if (len == 0) {
                return 0;
            }
            if (pos >= length) {
                return -1;
            }
            if (buffer == null && (length <= WHOLE_FILE_BYTES || pos >= length - TAIL_BYTES)) {
                bufferStart = length <= WHOLE_FILE_BYTES ? 0 : length - TAIL_BYTES;
                byte[] region = new byte[(int) (length - bufferStart)];
                fetch(bufferStart, region, 0, region.length);
                buffer = region;
            }
            if (buffer != null && pos >= bufferStart) {
                int n = (int) Math.min(len, bufferStart + buffer.length - pos);
                copyBuffered(pos, b, off, n);
                pos += n;
                return n;
            }
            // before the buffered region (or none): the sequential stream, up to the region
            int n = (int) Math.min(len, (buffer == null ? length : bufferStart) - pos);
            stream.seek(pos);
            int read = stream.read(b, off, n);
            if (read > 0) {
                pos += read;
            }
            return read;
        }

        boolean buffered(long position, int count)
        {
            return buffer != null && position >= bufferStart && position + count <= bufferStart + buffer.length;
        }

        void copyBuffered(long position, byte[] target, int offset, int count)
        {
            System.arraycopy(buffer, (int) (position - bufferStart), target, offset, count);
        }

        void fetch(long position, byte[] target, int offset, int count)
                throws IOException
        {
            try {
                ranges.readFully(position, target, offset, count);
            }
            catch (IOException | RuntimeException e) {
                throw new IOException("Reading bytes " + position + " to " + (position + count) + " of " + location + " failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void close()
                throws IOException
        {
            stream.close();
        }
    }

    private static ExecutorService rangeReadPool(int threads)
    {
        ClassLoader loader = RangeReadStream.class.getClassLoader();
        AtomicInteger created = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread thread = new Thread(task, "inlet-parquet-range-read-" + created.incrementAndGet());
            thread.setDaemon(true);
            // the S3 client may look up services through the context class loader: inside a Trino
            // plugin that must be the plugin's, whichever thread first started the pool
            thread.setContextClassLoader(loader);
            return thread;
        });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
