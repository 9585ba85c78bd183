/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.lake.paimon;

import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;

/**
 * Turns AWS SDK exceptions into the {@link IOException}s Paimon expects from a {@code FileIO}. Every
 * message names the operation, the bucket and the key.
 */
final class S3Errors
{
    static final int NOT_FOUND = 404;
    static final int CONFLICT = 409;
    static final int PRECONDITION_FAILED = 412;
    static final int RANGE_NOT_SATISFIABLE = 416;

    private S3Errors() {}

    static boolean hasStatus(SdkException e, int status)
    {
        return e instanceof S3Exception s3 && s3.statusCode() == status;
    }

    /**
     * The exception for a failed S3 call.
     *
     * @param action what was being done, as a verb phrase: {@code "read"}, {@code "list"}
     */
    static IOException translate(String action, S3Location location, SdkException e)
    {
        if (e instanceof AbortedException || Thread.currentThread().isInterrupted()) {
            InterruptedIOException interrupted = new InterruptedIOException("Interrupted while trying to " + action + " " + describe(location));
            interrupted.initCause(e);
            return interrupted;
        }
        if (!(e instanceof S3Exception s3)) {
            // no answer from S3: network failure, timeout, or a client-side problem such as missing credentials
            return new IOException("Could not " + action + " " + describe(location) + ": " + e.getMessage(), e);
        }
        String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
        String reason = "HTTP " + s3.statusCode() + (code == null ? "" : " " + code);
        IOException translated = switch (s3.statusCode()) {
            case NOT_FOUND -> new FileNotFoundException("Could not " + action + " " + describe(location) + ": "
                    + ("NoSuchBucket".equals(code) ? "the bucket does not exist" : "no such file or directory") + " (" + reason + ")");
            // the path-taking exceptions print "<path>: <reason>", so the reason does not repeat the path
            case 403 -> new AccessDeniedException(location.toString(), null,
                    "could not " + action + " bucket '" + location.bucket() + "', key '" + location.key() + "': access denied (" + reason + ")");
            case PRECONDITION_FAILED -> new FileAlreadyExistsException(location.toString(), null,
                    "could not " + action + " bucket '" + location.bucket() + "', key '" + location.key() + "': the object already exists (" + reason + ")");
            default -> new IOException("Could not " + action + " " + describe(location) + ": " + reason + ": " + s3.getMessage());
        };
        translated.initCause(e);
        return translated;
    }

    static String describe(S3Location location)
    {
        return location + " (bucket '" + location.bucket() + "', key '" + location.key() + "')";
    }
}
