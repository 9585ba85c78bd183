/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.lake.paimon;

import dev.inlet.catalog.s3.S3Credentials;
import dev.inlet.catalog.s3.S3Settings;
import dev.inlet.catalog.testing.S3TestEndpoint;
import org.apache.hadoop.conf.Configuration;
import org.apache.paimon.catalog.CatalogContext;
import org.apache.paimon.fs.FileIO;
import org.apache.paimon.fs.Path;
import org.apache.paimon.fs.local.LocalFileIO;
import org.apache.paimon.options.Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How {@link S3FileIO} is configured and found: the Paimon options and the loader. */
class TestS3FileIOConfiguration
{
    @Test
    void defaultsToAwsAndTheDefaultCredentialChain()
    {
        S3Settings settings = S3Settings.fromPaimonOptions(Map.of());
        assertThat(settings).isEqualTo(new S3Settings(Optional.empty(), "us-east-1", false, S3Credentials.DEFAULT, Optional.empty(), Optional.empty()));
    }

    @Test
    void readsAnEndpointWithStaticKeys()
    {
        S3Settings settings = S3Settings.fromPaimonOptions(Map.of(
                "s3.endpoint", "http://127.0.0.1:9000",
                "s3.access-key", "ak",
                "s3.secret-key", "sk",
                "warehouse", "s3://ignored/"));
        assertThat(settings).isEqualTo(S3Settings.forEndpoint(URI.create("http://127.0.0.1:9000"), "ak", "sk"));
    }

    @Test
    void readsExplicitValues()
    {
        S3Settings settings = S3Settings.fromPaimonOptions(Map.of(
                "s3.endpoint", "minio.internal:9000",
                "s3.path-style-access", "false",
                "s3.region", "eu-west-3",
                "s3.credentials", "environment"));
        assertThat(settings).isEqualTo(new S3Settings(Optional.of(URI.create("https://minio.internal:9000")), "eu-west-3", false,
                S3Credentials.ENVIRONMENT, Optional.empty(), Optional.empty()));
        assertThat(S3Settings.fromPaimonOptions(Map.of("s3.path.style.access", "TRUE")).pathStyleAccess()).isTrue();
    }

    @Test
    void rejectsIncompleteOrInvalidOptions()
    {
        assertThatThrownBy(() -> S3Settings.fromPaimonOptions(Map.of("s3.access-key", "ak")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Set both s3.access-key and s3.secret-key, or neither");
        assertThatThrownBy(() -> S3Settings.fromPaimonOptions(Map.of("s3.credentials", "static")).credentialsProvider())
                .isInstanceOf(dev.inlet.catalog.error.InletException.class)
                .hasMessage("S3 is needed (a table has a lake format), but static S3 credentials need both s3.access-key and s3.secret-key");
        assertThatThrownBy(() -> S3Settings.fromPaimonOptions(Map.of("s3.path.style.access", "yes")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid s3.path.style.access value 'yes': use true or false");
        assertThatThrownBy(() -> S3Settings.fromPaimonOptions(Map.of("s3.credentials", "instance")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unknown S3 credentials source 'instance'; use static, environment or default");
        assertThatThrownBy(() -> new S3FileIO().configure(CatalogContext.create(Options.fromMap(Map.of("s3.secret-key", "sk")))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writesPaimonOptionsThatReadBack()
    {
        S3Settings settings = S3Settings.forEndpoint(URI.create("http://127.0.0.1:9000"), "ak", "sk");
        assertThat(settings.paimonOptions()).containsExactly(
                Map.entry("s3.endpoint", "http://127.0.0.1:9000"),
                Map.entry("s3.region", "us-east-1"),
                Map.entry("s3.path.style.access", "true"),
                Map.entry("s3.credentials", "static"),
                Map.entry("s3.access-key", "ak"),
                Map.entry("s3.secret-key", "sk"));
        assertThat(S3Settings.fromPaimonOptions(settings.paimonOptions())).isEqualTo(settings);

        S3Settings aws = new S3Settings(Optional.empty(), "ap-south-1", false, S3Credentials.DEFAULT, Optional.empty(), Optional.empty());
        assertThat(aws.paimonOptions()).containsExactly(
                Map.entry("s3.region", "ap-south-1"),
                Map.entry("s3.path.style.access", "false"),
                Map.entry("s3.credentials", "default"));
        assertThat(S3Settings.fromPaimonOptions(aws.paimonOptions())).isEqualTo(aws);
    }

    @Test
    void paimonUsesThePreferredLoaderForS3AndS3aButNotForLocalPaths(@TempDir java.nio.file.Path localDir)
            throws Exception
    {
        S3TestEndpoint s3 = S3TestEndpoint.get();
        String bucket = s3.newBucket("loader");
        CatalogContext context = CatalogContext.create(Options.fromMap(s3.settings().paimonOptions()), new Configuration(), new S3FileIOLoader(), null);
        assertThat(new S3FileIOLoader().getScheme()).isEqualTo("s3");

        FileIO s3FileIO = FileIO.get(new Path("s3://" + bucket + "/warehouse"), context);
        assertThat(s3FileIO).isInstanceOf(S3FileIO.class);
        FileIO s3aFileIO = FileIO.get(new Path("s3a://" + bucket + "/warehouse"), context);
        assertThat(s3aFileIO).isInstanceOf(S3FileIO.class);
        FileIO localFileIO = FileIO.get(new Path(localDir.toUri()), context);
        assertThat(localFileIO).isInstanceOf(LocalFileIO.class);

        // s3a:// and s3:// name the same objects
        s3aFileIO.writeFile(new Path("s3a://" + bucket + "/warehouse/written-as-s3a"), "same object", false);
        assertThat(s3FileIO.readFileUtf8(new Path("s3://" + bucket + "/warehouse/written-as-s3a"))).isEqualTo("same object");
        assertThat(s3aFileIO.listStatus(new Path("s3a://" + bucket + "/warehouse"))[0].getPath())
                .isEqualTo(new Path("s3a://" + bucket + "/warehouse/written-as-s3a"));
    }

    @Test
    void keepsOnlyS3Options()
    {
        Map<String, String> options = new HashMap<>(S3TestEndpoint.get().settings().paimonOptions());
        options.put("warehouse", "s3://bucket/paimon");
        options.put("jdbc.password", "not for S3FileIO");
        S3FileIO fileIO = new S3FileIO();
        fileIO.configure(CatalogContext.create(Options.fromMap(options)));
        assertThat(fileIO.isObjectStore()).isTrue();
        assertThat(fileIO.options()).isEqualTo(S3TestEndpoint.get().settings().paimonOptions());
    }
}
