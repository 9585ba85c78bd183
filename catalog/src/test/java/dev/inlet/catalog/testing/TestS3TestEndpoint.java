/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.testing;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestS3TestEndpoint
{
    @Test
    void roundTripsAnObjectAndHonoursConditionalCreate()
    {
        S3TestEndpoint s3 = S3TestEndpoint.get();
        String bucket = s3.newBucket("fixture");
        try (S3Client client = s3.settings().newClient()) {
            client.putObject(b -> b.bucket(bucket).key("a/b.txt"), RequestBody.fromString("hello"));
            assertThat(client.getObjectAsBytes(b -> b.bucket(bucket).key("a/b.txt")).asString(StandardCharsets.UTF_8)).isEqualTo("hello");
            // Paimon commits rely on this: a second create of the same key must fail with 412
            assertThatThrownBy(() -> client.putObject(b -> b.bucket(bucket).key("a/b.txt").ifNoneMatch("*"), RequestBody.fromString("again")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
            assertThat(client.getObjectAsBytes(b -> b.bucket(bucket).key("a/b.txt")).asString(StandardCharsets.UTF_8)).isEqualTo("hello");
        }
    }

    @Test
    void rejectsAWrongSecret()
    {
        S3TestEndpoint s3 = S3TestEndpoint.get();
        var wrong = dev.inlet.catalog.s3.S3Settings.forEndpoint(s3.settings().endpoint().orElseThrow(),
                s3.settings().accessKey().orElseThrow(), "not-the-secret");
        try (S3Client client = wrong.newClient()) {
            assertThatThrownBy(() -> client.listBuckets())
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
        }
    }
}
