/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.lake.iceberg;

import org.apache.iceberg.io.RangeReadable;
import org.apache.iceberg.io.SeekableInputStream;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.io.ParquetFileRange;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which requests {@link RangeReadStream} makes of a file, and that every byte comes back right:
 * the file here is bytes in memory behind Iceberg's stream interface, which records each range
 * request and each sequential read (the S3 stream behind the same interface is exercised by every
 * Iceberg union-read test on the S3 fixture).
 */
class TestRangeReadStream
{
    @Test
    void smallFileIsOneRequest()
            throws IOException
    {
        RecordingFile file = new RecordingFile(100_000);
        try (RangeReadStream in = file.open()) {
            in.seek(file.bytes.length - 8);
            assertThat(readFully(in, 8)).isEqualTo(file.slice(file.bytes.length - 8, 8));
            in.seek(100);
            assertThat(readFully(in, 1_000)).isEqualTo(file.slice(100, 1_000));
            assertThat(vectored(in, List.of(new ParquetFileRange(5, 50_000)))).containsExactly(file.slice(5, 50_000));
        }
        assertThat(file.ranges).containsExactly("0+100000");
        assertThat(file.sequentialReads).isZero();
    }

    @Test
    void largeFileFetchesItsTailOnceAndChunksInParallelPieces()
            throws IOException
    {
        RecordingFile file = new RecordingFile(12 << 20);
        int length = file.bytes.length;
        try (RangeReadStream in = file.open()) {
            // Parquet's footer read: the last 8 bytes, then back to the footer's start
            in.seek(length - 8);
            assertThat(readFully(in, 8)).isEqualTo(file.slice(length - 8, 8));
            in.seek(length - 40_000);
            assertThat(readFully(in, 40_000)).isEqualTo(file.slice(length - 40_000, 40_000));
            assertThat(file.ranges).containsExactly((length - RangeReadStream.TAIL_BYTES) + "+" + RangeReadStream.TAIL_BYTES);

            // two column chunks: 9 MiB in three pieces, and a small one
            int nine = 9 << 20;
            assertThat(vectored(in, List.of(new ParquetFileRange(1_000, nine), new ParquetFileRange(nine + 2_000, 300))))
                    .containsExactly(file.slice(1_000, nine), file.slice(nine + 2_000, 300));
            assertThat(file.ranges).hasSize(5).contains("1000+4194304", (1_000 + (4 << 20)) + "+4194304", (1_000 + (8 << 20)) + "+1048576", (nine + 2_000) + "+300");
            assertThat(file.sequentialReads).isZero();

            // a read before the tail that runs into it: the stream up to the tail, then the tail
            int before = length - RangeReadStream.TAIL_BYTES - 100;
            in.seek(before);
            assertThat(readFully(in, 200)).isEqualTo(file.slice(before, 200));
            assertThat(file.sequentialReads).isPositive();
            assertThat(file.ranges).hasSize(5);
            assertThat(in.getPos()).isEqualTo(before + 200);
            in.seek(length);
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void aFailedRequestNamesTheFileAndRange()
            throws IOException
    {
        RecordingFile file = new RecordingFile(2_000);
        file.failing = true;
        try (RangeReadStream in = file.open()) {
            assertThatThrownBy(() -> readFully(in, 10))
                    .isInstanceOf(IOException.class)
                    .hasMessage("Reading bytes 0 to 2000 of s3://bucket/data.parquet failed: connection reset");
        }
    }

    private static byte[] readFully(RangeReadStream in, int count)
            throws IOException
    {
        byte[] out = new byte[count];
        in.readFully(out);
        return out;
    }

    private static List<byte[]> vectored(RangeReadStream in, List<ParquetFileRange> ranges)
    {
        in.readVectored(ranges, new HeapByteBufferAllocator());
        List<byte[]> out = new ArrayList<>();
        for (ParquetFileRange range : ranges) {
            ByteBuffer buffer = range.getDataReadFuture().join();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            out.add(bytes);
        }
        return out;
    }

    /** A file's bytes behind Iceberg's stream interface, recording the requests made of it. */
    private static final class RecordingFile
            extends SeekableInputStream
            implements RangeReadable
    {
        final byte[] bytes;
        final List<String> ranges = java.util.Collections.synchronizedList(new ArrayList<>());
        int sequentialReads;
        boolean failing;
        private long pos;

        RecordingFile(int length)
        {
            bytes = new byte[length];
            for (int i = 0; i < length; i++) {
                bytes[i] = (byte) (i * 31 + (i >>> 8));
            }
        }

        RangeReadStream open()
        {
            return new RangeReadStream(this, bytes.length, "s3://bucket/data.parquet");
        }

        byte[] slice(int from, int count)
        {
            return Arrays.copyOfRange(bytes, from, from + count);
        }

        @Override
        public void readFully(long position, byte[] buffer, int offset, int length)
                throws IOException
        {
            if (failing) {
                throw new IOException("connection reset");
            }
            ranges.add(position + "+" + length);
            System.arraycopy(bytes, (int) position, buffer, offset, length);
        }

        @Override
        public int readTail(byte[] buffer, int offset, int length)
        {
            throw new UnsupportedOperationException("not used by the stream");
        }

        @Override
        public long getPos()
        {
            return pos;
        }

        @Override
        public void seek(long newPos)
        {
            pos = newPos;
        }

        @Override
        public int read()
        {
            throw new UnsupportedOperationException("reads go through read(byte[], int, int)");
        }

        @Override
        public int read(byte[] b, int off, int len)
        {
            sequentialReads++;
            int n = (int) Math.min(len, bytes.length - pos);
            System.arraycopy(bytes, (int) pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
