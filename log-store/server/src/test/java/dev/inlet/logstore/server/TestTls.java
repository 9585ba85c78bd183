/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.server;

import dev.inlet.catalog.error.InletException;
import dev.inlet.logstore.client.AppendWriter;
import dev.inlet.logstore.client.ClientConfig;
import dev.inlet.logstore.client.InletClient;
import dev.inlet.logstore.client.ScanOptions;
import dev.inlet.logstore.client.WriterOptions;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Flight endpoint with TLS: a client that trusts the server's certificate reads and writes; one that does not is refused. */
class TestTls
{
    @TempDir
    Path dir;

    @Test
    void clientTrustingTheCertificateRoundTripsAndOthersAreRefused()
            throws Exception
    {
        Path cert = dir.resolve("server.pem");
        Path key = dir.resolve("server.key");
        selfSigned(cert, key);
        try (TestingHotStore hot = new TestingHotStore(dir.resolve("data"), Map.of("server.tls.cert-file", cert.toString(), "server.tls.key-file", key.toString()))) {
            hot.createTable("shop.orders", TestLogStoreServer.orders());
            URI endpoint = URI.create("grpc+tls://127.0.0.1:" + hot.server().port());
            try (InletClient client = InletClient.connect(ClientConfig.of(endpoint).withTrustedCertificates(cert))) {
                try (AppendWriter writer = client.newWriter("shop.orders", WriterOptions.defaults())) {
                    for (long id = 0; id < 50; id++) {
                        writer.append(TestLogStoreServer.order(id));
                    }
                }
                assertThat(TestLogStoreServer.readAll(client, "shop.orders", ScanOptions.defaults(), 50)).hasSize(50);
            }
            try (InletClient untrusting = InletClient.connect(ClientConfig.of(endpoint))) {
                assertThatThrownBy(() -> untrusting.describeTable("shop.orders")).isInstanceOf(InletException.class);
            }
            try (InletClient plain = InletClient.connect(ClientConfig.of(URI.create("grpc://127.0.0.1:" + hot.server().port())))) {
                assertThatThrownBy(() -> plain.describeTable("shop.orders")).isInstanceOf(InletException.class);
            }
        }
    }

    private static void selfSigned(Path certFile, Path keyFile)
            throws Exception
    {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        X500Name name = new X500Name("CN=localhost");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(1, ChronoUnit.DAYS)),
                Date.from(now.plus(1, ChronoUnit.DAYS)), name, pair.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName[] {new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
        X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate()));
        Files.writeString(certFile, pem("CERTIFICATE", holder.getEncoded()));
        Files.writeString(keyFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
    }

    private static String pem(String type, byte[] der)
    {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
