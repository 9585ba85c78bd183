/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.lake.paimon;

import dev.inlet.catalog.s3.S3Settings;
import org.apache.paimon.catalog.CatalogContext;
import org.apache.paimon.fs.FileIO;
import org.apache.paimon.fs.FileStatus;
import org.apache.paimon.fs.Path;
import org.apache.paimon.fs.PositionOutputStream;
import org.apache.paimon.fs.RemoteIterator;
import org.apache.paimon.fs.SeekableInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serial;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A Paimon {@link FileIO} for {@code s3://} (and {@code s3a://}, {@code s3n://}) paths on the AWS
 * SDK v2, with no Hadoop in the data path. It reads the same catalog options as paimon-s3; see
 * {@link S3Settings#fromPaimonOptions(Map)}.
 *
 * <h2>Directories</h2>
 * S3 has only keys. A path is a directory when some key starts with the path and {@code /}, or
 * when the marker object {@code path/} (empty) exists. {@link #mkdirs} writes that marker, unless
 * the directory already exists, because Paimon's filesystem catalog creates a database as an empty
 * directory and tests for it with {@link #exists}; without a marker the database would not exist
 * until its first table. Listings never show markers as files. Files need no marker above them,
 * so a directory that holds only files disappears with its last file, as in S3 itself.
 *
 * <h2>Commits</h2>
 * {@link #tryToWriteAtomic} and {@code newOutputStream(path, false)} use S3 conditional writes
 * ({@code If-None-Match: *}): of several writers of one key, exactly one creates it and the others
 * see it already exists. Paimon commits a snapshot by creating {@code snapshot-N} this way, so two
 * committers cannot both win snapshot N, with no lock service.
 *
 * <h2>Not atomic</h2>
 * {@link #rename} copies and then deletes, object by object; {@link #delete} of a directory deletes
 * in batches. A failure part way leaves both sides partly present. Paimon's snapshot and schema
 * commits use neither: they go through {@link #tryToWriteAtomic}. Paimon's default
 * {@code newTwoPhaseOutputStream} (format tables) does commit by rename, and inherits this.
 *
 * <p>Instances are serializable (Paimon ships them with tables): they keep the options and share
 * one S3 client per distinct {@link S3Settings} in the JVM.
 */
public final class S3FileIO
        implements FileIO
{
    @Serial
    private static final long serialVersionUID = 1L;

    /** The most keys one {@code DeleteObjects} request may name, and one listing page's size. */
    static final int BATCH_SIZE = 1000;

    private HashMap<String, String> options = new HashMap<>();
    private transient volatile S3Client client;

    public S3FileIO() {}

    @Override
    public boolean isObjectStore()
    {
        return true;
    }

    /**
     * Takes the {@code s3.*} options. Fails fast, with {@link IllegalArgumentException}, on options
     * that {@link S3Settings#fromPaimonOptions(Map)} rejects; the client itself is created on first use.
     */
    @Override
    public void configure(CatalogContext context)
    {
        requireNonNull(context, "context is null");
        HashMap<String, String> s3Options = new HashMap<>();
        context.options().toMap().forEach((key, value) -> {
            if (key.startsWith("s3.")) {
                s3Options.put(key, value);
            }
        });
        S3Settings.fromPaimonOptions(s3Options);
        this.options = s3Options;
        this.client = null;
    }

    /** The {@code s3.*} options this instance was configured with. */
    Map<String, String> options()
    {
        return Map.copyOf(options);
    }

    private S3Client client()
    {
        S3Client local = client;
        if (local == null) {
            local = SharedS3Clients.get(S3Settings.fromPaimonOptions(options));
            client = local;
        }
        return local;
    }

    @Override
    public SeekableInputStream newInputStream(Path path)
            throws IOException
    {
        S3Location location = fileLocation(path);
        return new S3InputStream(client(), location);
    }

    @Override
    public PositionOutputStream newOutputStream(Path path, boolean overwrite)
            throws IOException
    {
        S3Location location = fileLocation(path);
        return new S3OutputStream(client(), location, overwrite);
    }

    private static S3Location fileLocation(Path path)
            throws IOException
    {
        S3Location location = S3Location.of(path);
        if (location.isRoot()) {
            throw new IOException("Path '" + path + "' is the root of bucket '" + location.bucket() + "', not a file");
        }
        return location;
    }

    @Override
    public FileStatus getFileStatus(Path path)
            throws IOException
    {
        S3Location location = S3Location.of(path);
        if (location.isRoot()) {
            checkBucket(location);
            return S3FileStatus.directory(location.toPath());
        }
        Optional<HeadObjectResponse> head = head(location);
        if (head.isPresent()) {
            return S3FileStatus.file(location.toPath(), head.get().contentLength(), head.get().lastModified().toEpochMilli());
        }
        if (hasAnyKeyUnder(location)) {
            return S3FileStatus.directory(location.toPath());
        }
        throw new FileNotFoundException("No such file or directory: " + S3Errors.describe(location));
    }

    @Override
    public boolean exists(Path path)
            throws IOException
    {
        S3Location location = S3Location.of(path);
        if (location.isRoot()) {
            try {
                client().headBucket(b -> b.bucket(location.bucket()));
                return true;
            }
            catch (SdkException e) {
                if (S3Errors.hasStatus(e, S3Errors.NOT_FOUND)) {
                    return false;
                }
                throw S3Errors.translate("check", location, e);
            }
        }
        if (head(location).isPresent()) {
            return true;
        }
        try {
            return hasAnyKeyUnder(location);
        }
        catch (FileNotFoundException e) {
            // the bucket does not exist, so neither does the path; Paimon probes a loader with
            // exists(), and an exception here would hide this FileIO behind "no FileIO for s3"
            return false;
        }
    }

    /**
     * Lists the files and directories directly under a directory. A missing directory, or a file,
     * lists as empty: S3 cannot tell those from an empty directory without more requests, and
     * Paimon checks existence itself where it matters.
     */
    @Override
    public FileStatus[] listStatus(Path path)
            throws IOException
    {
        S3Location location = S3Location.of(path);
        String prefix = location.directoryPrefix();
        List<FileStatus> statuses = new ArrayList<>();
        String token = null;
        do {
            ListObjectsV2Response page = listPage(location, prefix, "/", token, BATCH_SIZE);
            for (S3Object object : page.contents()) {
                if (!object.key().equals(prefix)) {
                    statuses.add(fileStatus(location, object));
                }
            }
            for (CommonPrefix common : page.commonPrefixes()) {
                String dirKey = common.prefix().substring(0, common.prefix().length() - 1);
                statuses.add(S3FileStatus.directory(location.withKey(dirKey).toPath()));
            }
            token = page.nextContinuationToken();
        }
        while (token != null);
        return statuses.toArray(FileStatus[]::new);
    }

    /** Recursively, one flat listing of every key under the directory, rather than one listing per directory. */
    @Override
    public RemoteIterator<FileStatus> listFilesIterative(Path path, boolean recursive)
            throws IOException
    {
        S3Location location = S3Location.of(path);
        String prefix = location.directoryPrefix();
        return new FileListing(location, prefix, recursive ? null : "/");
    }

    @Override
    public boolean delete(Path path, boolean recursive)
            throws IOException
    {
        S3Location location = S3Location.of(path);
        if (location.isRoot()) {
            throw new IOException("Refusing to delete the root of bucket '" + location.bucket() + "'");
        }
        if (head(location).isPresent()) {
            deleteKey(location);
            return true;
        }
        String prefix = location.directoryPrefix();
        if (!recursive) {
            List<S3Object> firstKeys = listPage(location, prefix, null, null, 2).contents();
            if (firstKeys.isEmpty()) {
                return false;
            }
            if (firstKeys.size() > 1 || !firstKeys.getFirst().key().equals(prefix)) {
                throw new IOException("Directory " + S3Errors.describe(location) + " is not empty; delete it recursively");
            }
            deleteKey(location.withKey(prefix));
            return true;
        }
        // Always list from the start: each page's keys are gone before the next listing, so this
        // does not depend on how a store's continuation tokens behave under deletes.
        boolean deleted = false;
        while (true) {
            List<S3Object> page = listPage(location, prefix, null, null, BATCH_SIZE).contents();
            if (page.isEmpty()) {
                return deleted;
            }
            deleteKeys(location, page.stream().map(S3Object::key).toList());
            deleted = true;
        }
    }

    /**
     * Writes the marker {@code path/} unless the directory already exists. Fails when the path is a
     * file; ancestors are not checked (one request each) since Paimon never puts a file where a
     * directory belongs.
     */
    @Override
    public boolean mkdirs(Path path)
            throws IOException
    {
        S3Location location = S3Location.of(path);
        if (location.isRoot()) {
            checkBucket(location);
            return true;
        }
        if (head(location).isPresent()) {
            throw new FileAlreadyExistsException(location.toString(), null, "cannot make a directory: it is a file (bucket '"
                    + location.bucket() + "', key '" + location.key() + "')");
        }
        if (hasAnyKeyUnder(location)) {
            return true;
        }
        try {
            client().putObject(b -> b.bucket(location.bucket()).key(location.directoryPrefix()), RequestBody.empty());
        }
        catch (SdkException e) {
            throw S3Errors.translate("make directory", location, e);
        }
        return true;
    }

    /**
     * Copies and then deletes; not atomic (see the class comment). Returns false, changing nothing,
     * when the source does not exist or the destination does. A file is one {@code CopyObject} of at
     * most 5 GiB; a directory is every key under it.
     */
    @Override
    public boolean rename(Path src, Path dst)
            throws IOException
    {
        S3Location from = S3Location.of(src);
        S3Location to = S3Location.of(dst);
        if (from.isRoot() || to.isRoot()) {
            throw new IOException("Cannot rename " + src + " to " + dst + ": a bucket root cannot be renamed or replaced");
        }
        if (!from.bucket().equals(to.bucket())) {
            throw new IOException("Cannot rename " + src + " to " + dst + ": S3FileIO renames only within one bucket");
        }
        if (from.key().equals(to.key())) {
            return exists(src);
        }
        if (to.key().startsWith(from.directoryPrefix())) {
            throw new IOException("Cannot rename " + src + " into itself (" + dst + ")");
        }
        if (exists(dst)) {
            return false;
        }
        if (head(from).isPresent()) {
            copy(from, to);
            deleteKey(from);
            return true;
        }
        String fromPrefix = from.directoryPrefix();
        String toPrefix = to.directoryPrefix();
        boolean renamed = false;
        String token = null;
        List<String> copied = new ArrayList<>();
        do {
            ListObjectsV2Response page = listPage(from, fromPrefix, null, token, BATCH_SIZE);
            for (S3Object object : page.contents()) {
                copy(from.withKey(object.key()), to.withKey(toPrefix + object.key().substring(fromPrefix.length())));
                copied.add(object.key());
                renamed = true;
            }
            token = page.nextContinuationToken();
        }
        while (token != null);
        // delete only after everything is copied, so a failure leaves the source whole
        for (int start = 0; start < copied.size(); start += BATCH_SIZE) {
            deleteKeys(from, copied.subList(start, Math.min(copied.size(), start + BATCH_SIZE)));
        }
        return renamed;
    }

    /**
     * Creates the object with {@code If-None-Match: *}: true when this call created it, false when
     * the key was already taken (HTTP 412), or another conditional write to it was in progress (HTTP
     * 409, which S3 answers when two race; the other one wins or fails, and the caller retries as
     * after 412).
     *
     * <p>The SDK retries a request that timed out, and the timed-out attempt may have created the
     * object: then the retry gets 412 although this call wrote the key. Only in that case, when the
     * SDK reports more than one attempt, the object is read back, and equal content counts as this
     * call's write.
     */
    @Override
    public boolean tryToWriteAtomic(Path path, String content)
            throws IOException
    {
        S3Location location = fileLocation(path);
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        try {
            client().putObject(b -> b.bucket(location.bucket()).key(location.key()).ifNoneMatch("*"), RequestBody.fromBytes(bytes));
            return true;
        }
        catch (SdkException e) {
            if (S3Errors.hasStatus(e, S3Errors.PRECONDITION_FAILED)) {
                Integer attempts = e.numAttempts();
                return attempts != null && attempts > 1 && hasContent(location, bytes);
            }
            if (S3Errors.hasStatus(e, S3Errors.CONFLICT)) {
                return false;
            }
            throw S3Errors.translate("create", location, e);
        }
    }

    private boolean hasContent(S3Location location, byte[] expected)
            throws IOException
    {
        try {
            byte[] actual = client().getObjectAsBytes(b -> b.bucket(location.bucket()).key(location.key())).asByteArray();
            return Arrays.equals(actual, expected);
        }
        catch (SdkException e) {
            throw S3Errors.translate("read", location, e);
        }
    }

    /** A server-side copy rather than the default download and upload. */
    @Override
    public void copyFile(Path sourcePath, Path targetPath, boolean overwrite)
            throws IOException
    {
        S3Location from = fileLocation(sourcePath);
        S3Location to = fileLocation(targetPath);
        if (!overwrite && exists(targetPath)) {
            throw new FileAlreadyExistsException(to.toString(), null, "cannot copy " + from + " there: the target exists");
        }
        copy(from, to);
    }

    private void copy(S3Location from, S3Location to)
            throws IOException
    {
        if (!from.bucket().equals(to.bucket())) {
            throw new IOException("Cannot copy " + from + " to " + to + ": S3FileIO copies only within one bucket");
        }
        try {
            client().copyObject(b -> b.sourceBucket(from.bucket()).sourceKey(from.key()).destinationBucket(to.bucket()).destinationKey(to.key()));
        }
        catch (SdkException e) {
            throw S3Errors.translate("copy to " + to + " from", from, e);
        }
    }

    private Optional<HeadObjectResponse> head(S3Location location)
            throws IOException
    {
        try {
            return Optional.of(client().headObject(b -> b.bucket(location.bucket()).key(location.key())));
        }
        catch (SdkException e) {
            if (S3Errors.hasStatus(e, S3Errors.NOT_FOUND)) {
                return Optional.empty();
            }
            throw S3Errors.translate("check", location, e);
        }
    }

    private void checkBucket(S3Location location)
            throws IOException
    {
        try {
            client().headBucket(b -> b.bucket(location.bucket()));
        }
        catch (SdkException e) {
            throw S3Errors.translate("check", location, e);
        }
    }

    /** Whether the location is a directory: its marker or any key below it exists. */
    private boolean hasAnyKeyUnder(S3Location location)
            throws IOException
    {
        return !listPage(location, location.directoryPrefix(), null, null, 1).contents().isEmpty();
    }

    private ListObjectsV2Response listPage(S3Location location, String prefix, String delimiter, String token, int maxKeys)
            throws IOException
    {
        try {
            return client().listObjectsV2(b -> b.bucket(location.bucket()).prefix(prefix).delimiter(delimiter).continuationToken(token).maxKeys(maxKeys));
        }
        catch (SdkException e) {
            throw S3Errors.translate("list", location, e);
        }
    }

    private void deleteKey(S3Location location)
            throws IOException
    {
        try {
            client().deleteObject(b -> b.bucket(location.bucket()).key(location.key()));
        }
        catch (SdkException e) {
            throw S3Errors.translate("delete", location, e);
        }
    }

    private void deleteKeys(S3Location location, List<String> keys)
            throws IOException
    {
        if (keys.isEmpty()) {
            return;
        }
        List<ObjectIdentifier> identifiers = keys.stream().map(key -> ObjectIdentifier.builder().key(key).build()).toList();
        DeleteObjectsResponse response;
        try {
            response = client().deleteObjects(b -> b.bucket(location.bucket()).delete(d -> d.objects(identifiers).quiet(true)));
        }
        catch (SdkException e) {
            throw S3Errors.translate("delete", location, e);
        }
        if (response.hasErrors() && !response.errors().isEmpty()) {
            S3Error first = response.errors().getFirst();
            throw new IOException("Could not delete " + response.errors().size() + " of " + keys.size() + " keys under " + S3Errors.describe(location)
                    + "; the first is key '" + first.key() + "': " + first.code() + " " + first.message());
        }
    }

    private static S3FileStatus fileStatus(S3Location location, S3Object object)
    {
        return S3FileStatus.file(location.withKey(object.key()).toPath(), object.size(), object.lastModified().toEpochMilli());
    }

    /** Files under a directory, one listing page at a time; markers are skipped. */
    private final class FileListing
            implements RemoteIterator<FileStatus>
    {
        private final S3Location location;
        private final String prefix;
        private final String delimiter;
        private List<S3Object> page = List.of();
        private int index;
        private String token;
        private boolean lastPage;

        private FileListing(S3Location location, String prefix, String delimiter)
        {
            this.location = location;
            this.prefix = prefix;
            this.delimiter = delimiter;
        }

        @Override
        public boolean hasNext()
                throws IOException
        {
            while (true) {
                while (index < page.size()) {
                    if (!page.get(index).key().endsWith("/")) {
                        return true;
                    }
                    index++;
                }
                if (lastPage) {
                    return false;
                }
                ListObjectsV2Response response = listPage(location, prefix, delimiter, token, BATCH_SIZE);
                page = response.contents();
                index = 0;
                token = response.nextContinuationToken();
                lastPage = token == null;
            }
        }

        @Override
        public FileStatus next()
                throws IOException
        {
            if (!hasNext()) {
                throw new NoSuchElementException("No more files under " + S3Errors.describe(location));
            }
            return fileStatus(location, page.get(index++));
        }
    }
}
