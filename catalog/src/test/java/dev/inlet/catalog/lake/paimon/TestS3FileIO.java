/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.lake.paimon;

import dev.inlet.catalog.testing.S3TestEndpoint;
import org.apache.paimon.catalog.CatalogContext;
import org.apache.paimon.fs.FileStatus;
import org.apache.paimon.fs.Path;
import org.apache.paimon.fs.PositionOutputStream;
import org.apache.paimon.fs.SeekableInputStream;
import org.apache.paimon.options.Options;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestS3FileIO
{
    private String bucket;
    private S3FileIO io;

    @BeforeEach
    void setUp()
    {
        S3TestEndpoint s3 = S3TestEndpoint.get();
        bucket = s3.newBucket("fileio");
        io = newFileIO();
    }

    static S3FileIO newFileIO()
    {
        S3FileIO fileIO = new S3FileIO();
        fileIO.configure(CatalogContext.create(Options.fromMap(S3TestEndpoint.get().settings().paimonOptions())));
        return fileIO;
    }

    private Path path(String key)
    {
        return new Path("s3://" + bucket + "/" + key);
    }

    /** A byte pattern that does not repeat with any power-of-two period, so an off-by-some read shows. */
    private static byte byteAt(long i)
    {
        return (byte) (i * 131 + (i / 251) * 7);
    }

    private static byte[] pattern(int length)
    {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = byteAt(i);
        }
        return bytes;
    }

    private void write(String key, byte[] content, boolean overwrite)
            throws IOException
    {
        try (PositionOutputStream out = io.newOutputStream(path(key), overwrite)) {
            // uneven chunks, so part boundaries fall inside writes
            int offset = 0;
            int chunk = 1;
            while (offset < content.length) {
                int n = Math.min(chunk, content.length - offset);
                out.write(content, offset, n);
                offset += n;
                chunk = chunk * 3 + 1;
                if (chunk > 3_000_000) {
                    chunk = 7;
                }
            }
            assertThat(out.getPos()).isEqualTo(content.length);
        }
    }

    private void write(String key, String content)
            throws IOException
    {
        write(key, content.getBytes(StandardCharsets.UTF_8), true);
    }

    private byte[] readAll(String key)
            throws IOException
    {
        try (SeekableInputStream in = io.newInputStream(path(key))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] chunk = new byte[100_000];
            int n;
            while ((n = in.read(chunk, 0, chunk.length)) >= 0) {
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        }
    }

    private S3Client rawClient()
    {
        return SharedS3Clients.get(S3TestEndpoint.get().settings());
    }

    @Test
    void roundTripsASmallFile()
            throws IOException
    {
        try (PositionOutputStream out = io.newOutputStream(path("t/small.txt"), false)) {
            out.write("hello ".getBytes(StandardCharsets.UTF_8));
            out.write('S');
            out.write("3 paimon".getBytes(StandardCharsets.UTF_8), 1, 7);
            assertThat(out.getPos()).isEqualTo(14);
        }
        assertThat(io.readFileUtf8(path("t/small.txt"))).isEqualTo("hello S paimon");
        assertThat(io.getFileStatus(path("t/small.txt")).getLen()).isEqualTo(14);
        assertThat(io.getFileSize(path("t/small.txt"))).isEqualTo(14);
    }

    @Test
    void roundTripsAnEmptyFile()
            throws IOException
    {
        io.newOutputStream(path("empty"), false).close();
        assertThat(readAll("empty")).isEmpty();
        assertThat(io.getFileStatus(path("empty")).getLen()).isZero();
        assertThat(io.getFileStatus(path("empty")).isDir()).isFalse();
    }

    @Test
    void roundTripsAMultipartFile()
            throws IOException
    {
        // two full parts and a partial third
        byte[] content = pattern(2 * S3OutputStream.PART_SIZE + 123_457);
        write("big/data.bin", content, false);

        assertThat(io.getFileStatus(path("big/data.bin")).getLen()).isEqualTo(content.length);
        assertThat(readAll("big/data.bin")).isEqualTo(content);
        // S3 gives a multipart object the ETag "<md5 of part md5s>-<parts>"
        String eTag = rawClient().headObject(b -> b.bucket(bucket).key("big/data.bin")).eTag();
        assertThat(eTag).endsWith("-3\"");
    }

    @Test
    void writesAnObjectOfExactlyOnePartInOneRequest()
            throws IOException
    {
        byte[] content = pattern(S3OutputStream.PART_SIZE);
        write("one-part.bin", content, false);

        assertThat(readAll("one-part.bin")).isEqualTo(content);
        String eTag = rawClient().headObject(b -> b.bucket(bucket).key("one-part.bin")).eTag();
        assertThat(eTag).doesNotContain("-");
    }

    @Test
    void seeksAndReadsExactBytes()
            throws IOException
    {
        int length = 300_000;
        write("seek.bin", pattern(length), true);

        try (SeekableInputStream in = io.newInputStream(path("seek.bin"))) {
            assertThat(in.getPos()).isZero();
            assertThat(in.read()).isEqualTo(byteAt(0) & 0xFF);
            assertThat(in.getPos()).isEqualTo(1);

            // forward seek beyond the buffer
            in.seek(200_000);
            byte[] ten = new byte[10];
            assertThat(in.read(ten, 0, 10)).isEqualTo(10);
            assertThat(ten).isEqualTo(Arrays.copyOfRange(pattern(length), 200_000, 200_010));
            assertThat(in.getPos()).isEqualTo(200_010);

            // backward seek to before anything buffered
            in.seek(5);
            byte[] into = new byte[8];
            assertThat(in.read(into, 2, 4)).isEqualTo(4);
            assertThat(into).isEqualTo(new byte[] {0, 0, byteAt(5), byteAt(6), byteAt(7), byteAt(8), 0, 0});
            assertThat(in.getPos()).isEqualTo(9);

            // backward seek within the buffer
            in.seek(7);
            assertThat(in.read()).isEqualTo(byteAt(7) & 0xFF);

            // a large read, across the buffer boundary, read fully
            in.seek(1_000);
            byte[] large = new byte[150_000];
            int total = 0;
            while (total < large.length) {
                int n = in.read(large, total, large.length - total);
                assertThat(n).isPositive();
                total += n;
            }
            assertThat(large).isEqualTo(Arrays.copyOfRange(pattern(length), 1_000, 151_000));
            assertThat(in.getPos()).isEqualTo(151_000);

            // the last bytes, then the end
            in.seek(length - 3);
            byte[] tail = new byte[10];
            assertThat(in.read(tail, 0, 10)).isEqualTo(3);
            assertThat(Arrays.copyOf(tail, 3)).isEqualTo(new byte[] {byteAt(length - 3), byteAt(length - 2), byteAt(length - 1)});
            assertThat(in.getPos()).isEqualTo(length);
            assertThat(in.read(tail, 0, 10)).isEqualTo(-1);
            assertThat(in.read()).isEqualTo(-1);
            assertThat(in.read(tail, 0, 0)).isZero();

            // the end is a valid position; past it and before zero are not
            in.seek(length);
            assertThat(in.read()).isEqualTo(-1);
            assertThatThrownBy(() -> in.seek(length + 1)).isInstanceOf(EOFException.class).hasMessageContaining("seek.bin");
            assertThatThrownBy(() -> in.seek(-1)).isInstanceOf(EOFException.class);
        }
    }

    @Test
    void readsAtAPositionWithoutMovingTheStream()
            throws IOException
    {
        int length = 100_000;
        write("pread.bin", pattern(length), true);

        try (S3InputStream in = (S3InputStream) io.newInputStream(path("pread.bin"))) {
            in.seek(10);
            byte[] buffer = new byte[50];
            assertThat(in.pread(40_000, buffer, 0, 50)).isEqualTo(50);
            assertThat(buffer).isEqualTo(Arrays.copyOfRange(pattern(length), 40_000, 40_050));
            assertThat(in.getPos()).isEqualTo(10);
            assertThat(in.read()).isEqualTo(byteAt(10) & 0xFF);

            // near the end only what is left; at the end nothing
            assertThat(in.pread(length - 20, buffer, 0, 50)).isEqualTo(20);
            assertThat(Arrays.copyOf(buffer, 20)).isEqualTo(Arrays.copyOfRange(pattern(length), length - 20, length));
            assertThat(in.pread(length, buffer, 0, 50)).isEqualTo(-1);
        }
    }

    @Test
    void readingAMissingFileNamesTheKey()
    {
        assertThatThrownBy(() -> io.readFileUtf8(path("no/such/snapshot-7")))
                .isInstanceOf(FileNotFoundException.class)
                .hasMessageContaining("bucket '" + bucket + "'")
                .hasMessageContaining("key 'no/such/snapshot-7'");
        assertThatThrownBy(() -> io.getFileStatus(path("no/such/snapshot-7")))
                .isInstanceOf(FileNotFoundException.class)
                .hasMessageContaining("key 'no/such/snapshot-7'");
    }

    @Test
    void reportsStatusOfFilesAndDirectories()
            throws IOException
    {
        write("status/dir/file.txt", "12345");

        FileStatus file = io.getFileStatus(path("status/dir/file.txt"));
        assertThat(file.isDir()).isFalse();
        assertThat(file.getLen()).isEqualTo(5);
        assertThat(file.getPath()).isEqualTo(path("status/dir/file.txt"));
        assertThat(file.getModificationTime()).isPositive();

        FileStatus directory = io.getFileStatus(path("status/dir"));
        assertThat(directory.isDir()).isTrue();
        assertThat(directory.getPath()).isEqualTo(path("status/dir"));
        assertThat(io.getFileStatus(path("status/dir/")).isDir()).isTrue();
        assertThat(io.getFileStatus(path("")).isDir()).isTrue();
    }

    @Test
    void listsFilesAndSubdirectories()
            throws IOException
    {
        write("list/a.txt", "aaa");
        write("list/b.txt", "bbbbb");
        write("list/sub/c.txt", "c");
        write("list/sub2/deep/d.txt", "dd");
        assertThat(io.mkdirs(path("list/empty"))).isTrue();
        write("listing-sibling.txt", "not under list/");

        assertThat(describe(io.listStatus(path("list")))).containsExactlyInAnyOrder(
                "list/a.txt file 3",
                "list/b.txt file 5",
                "list/empty dir",
                "list/sub dir",
                "list/sub2 dir");
        assertThat(describe(io.listDirectories(path("list")))).containsExactlyInAnyOrder("list/empty dir", "list/sub dir", "list/sub2 dir");
        assertThat(describe(io.listStatus(path("list/empty")))).isEmpty();
        assertThat(describe(io.listStatus(path("missing")))).isEmpty();

        assertThat(describe(io.listFiles(path("list"), false))).containsExactlyInAnyOrder("list/a.txt file 3", "list/b.txt file 5");
        assertThat(describe(io.listFiles(path("list"), true))).containsExactlyInAnyOrder(
                "list/a.txt file 3",
                "list/b.txt file 5",
                "list/sub/c.txt file 1",
                "list/sub2/deep/d.txt file 2");
        assertThat(describe(io.listStatus(path("")))).containsExactlyInAnyOrder("list dir", "listing-sibling.txt file 15");
    }

    @Test
    void listsAndDeletesMoreThanOnePage()
            throws Exception
    {
        int files = S3FileIO.BATCH_SIZE + 7;
        try (ExecutorService executor = Executors.newFixedThreadPool(16)) {
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < files; i++) {
                String key = "many/part-%05d".formatted(i);
                writes.add(executor.submit(() -> {
                    write(key, "x");
                    return null;
                }));
            }
            for (Future<?> write : writes) {
                write.get();
            }
        }
        write("many/sub/last", "y");

        FileStatus[] listed = io.listStatus(path("many"));
        assertThat(listed).hasSize(files + 1);
        assertThat(Arrays.stream(listed).filter(FileStatus::isDir).map(status -> status.getPath().getName())).containsExactly("sub");
        assertThat(io.listFiles(path("many"), true)).hasSize(files + 1);

        assertThat(io.delete(path("many"), true)).isTrue();
        assertThat(io.exists(path("many"))).isFalse();
        assertThat(io.exists(path("many/part-00000"))).isFalse();
        assertThat(io.listFiles(path("many"), true)).isEmpty();
    }

    @Test
    void existsForFilesPrefixesAndMarkers()
            throws IOException
    {
        write("exists/dir/file", "f");
        assertThat(io.exists(path("exists/dir/file"))).isTrue();
        assertThat(io.exists(path("exists/dir"))).isTrue();
        assertThat(io.exists(path("exists"))).isTrue();
        assertThat(io.exists(path(""))).isTrue();
        assertThat(io.exists(path("exists/di"))).isFalse();
        assertThat(io.exists(path("exists/dir/file/below"))).isFalse();
        assertThat(io.exists(path("nothing"))).isFalse();
        assertThat(io.exists(new Path("s3://" + bucket + "-missing/x"))).isFalse();
    }

    @Test
    void mkdirsMakesAnEmptyDirectoryThatExists()
            throws IOException
    {
        assertThat(io.exists(path("warehouse/db.db"))).isFalse();
        assertThat(io.mkdirs(path("warehouse/db.db"))).isTrue();
        assertThat(io.mkdirs(path("warehouse/db.db"))).isTrue();
        assertThat(io.exists(path("warehouse/db.db"))).isTrue();
        assertThat(io.getFileStatus(path("warehouse/db.db")).isDir()).isTrue();
        assertThat(describe(io.listStatus(path("warehouse")))).containsExactly("warehouse/db.db dir");

        write("warehouse/file", "f");
        assertThatThrownBy(() -> io.mkdirs(path("warehouse/file"))).isInstanceOf(FileAlreadyExistsException.class);
    }

    @Test
    void deletesFilesAndDirectories()
            throws IOException
    {
        write("del/file", "f");
        write("del/tree/a", "a");
        write("del/tree/b/c", "c");
        io.mkdirs(path("del/empty"));

        assertThat(io.delete(path("del/file"), false)).isTrue();
        assertThat(io.exists(path("del/file"))).isFalse();
        assertThat(io.delete(path("del/file"), false)).isFalse();

        assertThatThrownBy(() -> io.delete(path("del/tree"), false))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("key 'del/tree'")
                .hasMessageContaining("not empty");
        assertThat(readAll("del/tree/b/c")).isEqualTo(new byte[] {'c'});

        assertThat(io.delete(path("del/empty"), false)).isTrue();
        assertThat(io.exists(path("del/empty"))).isFalse();

        assertThat(io.delete(path("del/tree"), true)).isTrue();
        assertThat(io.exists(path("del/tree"))).isFalse();
        assertThat(io.exists(path("del/tree/b/c"))).isFalse();
        assertThat(io.delete(path("del/tree"), true)).isFalse();
    }

    @Test
    void renamesFilesAndDirectories()
            throws IOException
    {
        write("ren/tmp-1", "snapshot body");
        assertThat(io.rename(path("ren/tmp-1"), path("ren/final"))).isTrue();
        assertThat(io.exists(path("ren/tmp-1"))).isFalse();
        assertThat(io.readFileUtf8(path("ren/final"))).isEqualTo("snapshot body");

        // an existing destination is left alone
        write("ren/tmp-2", "other");
        assertThat(io.rename(path("ren/tmp-2"), path("ren/final"))).isFalse();
        assertThat(io.readFileUtf8(path("ren/final"))).isEqualTo("snapshot body");
        assertThat(io.readFileUtf8(path("ren/tmp-2"))).isEqualTo("other");

        assertThat(io.rename(path("ren/missing"), path("ren/elsewhere"))).isFalse();

        write("ren/table/schema/schema-0", "s0");
        write("ren/table/bucket-0/data-1.parquet", "d1");
        io.mkdirs(path("ren/table/empty"));
        assertThat(io.rename(path("ren/table"), path("ren/renamed"))).isTrue();
        assertThat(io.exists(path("ren/table"))).isFalse();
        assertThat(io.readFileUtf8(path("ren/renamed/schema/schema-0"))).isEqualTo("s0");
        assertThat(io.readFileUtf8(path("ren/renamed/bucket-0/data-1.parquet"))).isEqualTo("d1");
        assertThat(io.exists(path("ren/renamed/empty"))).isTrue();
    }

    @Test
    void copiesFilesOnTheServer()
            throws IOException
    {
        write("copy/src", "content");
        io.copyFile(path("copy/src"), path("copy/dst"), false);
        assertThat(io.readFileUtf8(path("copy/dst"))).isEqualTo("content");
        assertThat(io.readFileUtf8(path("copy/src"))).isEqualTo("content");

        write("copy/other", "other");
        assertThatThrownBy(() -> io.copyFile(path("copy/other"), path("copy/dst"), false)).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(io.readFileUtf8(path("copy/dst"))).isEqualTo("content");
        io.copyFile(path("copy/other"), path("copy/dst"), true);
        assertThat(io.readFileUtf8(path("copy/dst"))).isEqualTo("other");
    }

    @Test
    void tryToWriteAtomicCreatesOnlyOnce()
            throws IOException
    {
        Path snapshot = path("table/snapshot/snapshot-1");
        assertThat(io.tryToWriteAtomic(snapshot, "{\"id\":1,\"commitUser\":\"first\"}")).isTrue();
        assertThat(io.tryToWriteAtomic(snapshot, "{\"id\":1,\"commitUser\":\"second\"}")).isFalse();
        assertThat(io.readFileUtf8(snapshot)).isEqualTo("{\"id\":1,\"commitUser\":\"first\"}");
    }

    @Test
    void exactlyOneOfTwoRacingCommitsWins()
            throws Exception
    {
        try (ExecutorService executor = Executors.newFixedThreadPool(2)) {
            for (int round = 0; round < 25; round++) {
                Path snapshot = path("race/snapshot/snapshot-" + round);
                CyclicBarrier start = new CyclicBarrier(2);
                List<Future<Boolean>> commits = new ArrayList<>();
                for (String committer : List.of("committer-a", "committer-b")) {
                    S3FileIO committerIo = newFileIO();
                    commits.add(executor.submit(() -> {
                        start.await();
                        return committerIo.tryToWriteAtomic(snapshot, committer);
                    }));
                }
                boolean aWon = commits.get(0).get();
                boolean bWon = commits.get(1).get();
                assertThat(aWon ^ bWon).as("exactly one committer wins round %s (a=%s, b=%s)", round, aWon, bWon).isTrue();
                assertThat(io.readFileUtf8(snapshot)).isEqualTo(aWon ? "committer-a" : "committer-b");
            }
        }
    }

    @Test
    void createWithoutOverwriteFailsOnAnExistingKeyAndKeepsIt()
            throws IOException
    {
        write("keep/file", "original");

        PositionOutputStream out = io.newOutputStream(path("keep/file"), false);
        out.write("replacement".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(out::close)
                .isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining("key 'keep/file'");
        assertThat(io.readFileUtf8(path("keep/file"))).isEqualTo("original");

        // the same through a multipart upload
        assertThatThrownBy(() -> write("keep/file", pattern(S3OutputStream.PART_SIZE + 1), false))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(io.readFileUtf8(path("keep/file"))).isEqualTo("original");

        // with overwrite the content is replaced
        io.overwriteFileUtf8(path("keep/file"), "replaced");
        assertThat(io.readFileUtf8(path("keep/file"))).isEqualTo("replaced");
    }

    @Test
    void rejectsPathsOfOtherSchemes()
    {
        assertThatThrownBy(() -> io.exists(new Path("file:///tmp/x")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("file:/tmp/x");
    }

    @Test
    void survivesJavaSerialization()
            throws Exception
    {
        write("ser/file", "serialized");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (var out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(io);
        }
        S3FileIO copy;
        try (var in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (S3FileIO) in.readObject();
        }
        assertThat(copy.readFileUtf8(path("ser/file"))).isEqualTo("serialized");
    }

    /** {@code key file length} or {@code key dir}, relative to the bucket. */
    private List<String> describe(FileStatus[] statuses)
    {
        String root = "s3://" + bucket + "/";
        return Arrays.stream(statuses)
                .map(status -> {
                    String key = status.getPath().toString().substring(root.length());
                    return status.isDir() ? key + " dir" : key + " file " + status.getLen();
                })
                .toList();
    }
}
