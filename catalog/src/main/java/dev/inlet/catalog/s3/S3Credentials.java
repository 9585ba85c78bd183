/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.s3;

import java.util.Locale;

/** Where the S3 credentials come from. */
public enum S3Credentials
{
    /** {@code s3.access-key} and {@code s3.secret-key} from the configuration. */
    STATIC,
    /** {@code AWS_ACCESS_KEY_ID} / {@code AWS_SECRET_ACCESS_KEY} (and session token) from the environment. */
    ENVIRONMENT,
    /** The AWS SDK's default chain: environment, system properties, profile files, container and instance roles. */
    DEFAULT;

    public static S3Credentials parse(String text)
    {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown S3 credentials source '" + text + "'; use static, environment or default", e);
        }
    }
}
