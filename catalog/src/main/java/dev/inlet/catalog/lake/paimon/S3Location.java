/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.lake.paimon;

import org.apache.paimon.fs.Path;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Where a Paimon {@link Path} lives in S3: {@code s3://bucket/a/b} is bucket {@code bucket}, key
 * {@code a/b}. Keys never start or end with {@code /}; the empty key is the bucket's root. The
 * scheme is kept so that paths built from listings look like the paths Paimon asked about.
 */
record S3Location(String scheme, String bucket, String key)
{
    private static final Set<String> SCHEMES = Set.of("s3", "s3a", "s3n");

    S3Location
    {
        requireNonNull(scheme, "scheme is null");
        requireNonNull(bucket, "bucket is null");
        requireNonNull(key, "key is null");
    }

    /**
     * Reads a path.
     *
     * @throws IOException when the path is not an {@code s3}, {@code s3a} or {@code s3n} URI with a
     * bucket; Paimon takes an {@code IOException} from the preferred loader as "try the next one"
     */
    static S3Location of(Path path)
            throws IOException
    {
        requireNonNull(path, "path is null");
        URI uri = path.toUri();
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme == null || !SCHEMES.contains(scheme)) {
            throw new IOException("S3FileIO reads only s3://, s3a:// and s3n:// paths, not '" + path + "'");
        }
        String bucket = uri.getAuthority();
        if (bucket == null || bucket.isEmpty()) {
            throw new IOException("Path '" + path + "' has no bucket");
        }
        String key = uri.getPath() == null ? "" : uri.getPath();
        int start = 0;
        int end = key.length();
        while (start < end && key.charAt(start) == '/') {
            start++;
        }
        while (end > start && key.charAt(end - 1) == '/') {
            end--;
        }
        return new S3Location(scheme, bucket, key.substring(start, end));
    }

    boolean isRoot()
    {
        return key.isEmpty();
    }

    /** The prefix every object below this location starts with: the key and {@code /}, or empty for the root. */
    String directoryPrefix()
    {
        return key.isEmpty() ? "" : key + "/";
    }

    /** The location of another key in the same bucket, with the same scheme. */
    S3Location withKey(String otherKey)
    {
        return new S3Location(scheme, bucket, otherKey);
    }

    /** The Paimon path of this location, without a trailing slash. */
    Path toPath()
    {
        return new Path(scheme, bucket, "/" + key);
    }

    @Override
    public String toString()
    {
        return scheme + "://" + bucket + "/" + key;
    }
}
