/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.server;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Copies each new local snapshot of a bucket's key-value state to S3, under
 * {@code <remote-dir>/<table id>/<partition folder>/<bucket>/<offset>/}: its files, then a
 * {@code _MANIFEST} (file names and sizes, one per line) written last, so that a snapshot without
 * a manifest is an unfinished upload and is never used. The newest {@value #REMOTE_TO_KEEP}
 * complete snapshots of a bucket are kept.
 *
 * <p>Thread-safe.
 */
final class KvSnapshotUploader
        implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(KvSnapshotUploader.class);
    static final String MANIFEST = "_MANIFEST";
    private static final int REMOTE_TO_KEEP = 2;

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final Set<String> uploaded = ConcurrentHashMap.newKeySet();

    KvSnapshotUploader(S3Client s3, URI remoteDir)
    {
        if (!"s3".equals(remoteDir.getScheme()) || remoteDir.getHost() == null) {
            throw new InletException(InletErrorCode.INVALID_CONFIGURATION, "kv.snapshot.remote-dir must be s3://bucket/path, got '" + remoteDir + "'");
        }
        this.s3 = s3;
        this.bucket = remoteDir.getHost();
        String path = remoteDir.getPath() == null ? "" : remoteDir.getPath().replaceAll("^/+|/+$", "");
        this.prefix = path.isEmpty() ? "" : path + "/";
    }

    /** The key prefix of one bucket's snapshots. */
    String bucketPrefix(long tableId, String partition, int bucketNumber)
    {
        return prefix + tableId + "/" + HotTable.folder(partition) + "/" + bucketNumber + "/";
    }

    /** Uploads the local snapshot {@code dir} (named by its offset) unless it is already there. */
    void upload(long tableId, String partition, int bucketNumber, Path dir)
    {
        String keyPrefix = bucketPrefix(tableId, partition, bucketNumber) + dir.getFileName() + "/";
        if (uploaded.contains(keyPrefix)) {
            return;
        }
        List<String> manifest = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                s3.putObject(b -> b.bucket(bucket).key(keyPrefix + file.getFileName()), RequestBody.fromFile(file));
                manifest.add(file.getFileName() + " " + Files.size(file));
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot read the snapshot " + dir, e);
        }
        s3.putObject(b -> b.bucket(bucket).key(keyPrefix + MANIFEST), RequestBody.fromString(String.join("\n", manifest) + "\n", StandardCharsets.UTF_8));
        uploaded.add(keyPrefix);
        LOG.info("Uploaded the key-value snapshot {} to s3://{}/{} ({} files)", dir, bucket, keyPrefix, manifest.size());
        expire(bucketPrefix(tableId, partition, bucketNumber));
    }

    /**
     * Deletes a bucket's complete snapshots but the newest {@value #REMOTE_TO_KEEP}, and the
     * unfinished uploads older than its newest complete one (an upload an S3 error cut short,
     * never to be retried: the next snapshot has a newer offset). A snapshot's manifest goes
     * first, so that one half deleted is never taken for complete.
     */
    private void expire(String bucketPrefix)
    {
        TreeMap<Long, List<String>> keys = new TreeMap<>();
        TreeSet<Long> complete = new TreeSet<>();
        for (S3Object object : list(bucketPrefix)) {
            String rest = object.key().substring(bucketPrefix.length());
            int slash = rest.indexOf('/');
            if (slash > 0 && rest.substring(0, slash).matches("\\d+")) {
                long offset = Long.parseLong(rest.substring(0, slash));
                keys.computeIfAbsent(offset, o -> new ArrayList<>()).add(object.key());
                if (rest.substring(slash + 1).equals(MANIFEST)) {
                    complete.add(offset);
                }
            }
        }
        if (complete.isEmpty()) {
            return;
        }
        Set<Long> kept = new TreeSet<>(complete.descendingSet().stream().limit(REMOTE_TO_KEEP).toList());
        long newest = complete.last();
        for (var snapshot : keys.entrySet()) {
            long offset = snapshot.getKey();
            if (kept.contains(offset) || (!complete.contains(offset) && offset > newest)) {
                continue;
            }
            List<String> objects = new ArrayList<>(snapshot.getValue());
            objects.sort(Comparator.comparing((String key) -> !key.endsWith("/" + MANIFEST)));
            for (String key : objects) {
                s3.deleteObject(b -> b.bucket(bucket).key(key));
            }
            LOG.debug("Deleted the {} key-value snapshot s3://{}/{}{}/", complete.contains(offset) ? "expired" : "unfinished", bucket, bucketPrefix, offset);
        }
    }

    private List<S3Object> list(String keyPrefix)
    {
        List<S3Object> objects = new ArrayList<>();
        s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket).prefix(keyPrefix).build()).contents().forEach(objects::add);
        return objects;
    }

    @Override
    public void close()
    {
        s3.close();
    }
}
