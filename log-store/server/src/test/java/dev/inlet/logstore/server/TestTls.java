/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.server;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.logstore.client.AppendWriter;
import dev.inlet.logstore.client.ClientConfig;
import dev.inlet.logstore.client.InletClient;
import dev.inlet.logstore.client.ScanOptions;
import dev.inlet.logstore.client.UpsertWriter;
import dev.inlet.logstore.client.WriterOptions;
import dev.inlet.logstore.protocol.LookupFrames;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataOutputStream;
import java.math.BigInteger;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Flight endpoint and the lookup port with TLS: a client that trusts the server's certificate
 * reads, writes and looks up; one that does not is refused, and so is plain TCP.
 */
class TestTls
{
    @TempDir
    Path dir;
    private Path cert;
    private Path key;

    @BeforeEach
    void makeCertificate()
            throws Exception
    {
        cert = dir.resolve("server.pem");
        key = dir.resolve("server.key");
        selfSigned(cert, key);
    }

    @Test
    void clientTrustingTheCertificateRoundTripsAndOthersAreRefused()
            throws Exception
    {
        try (TestingHotStore hot = new TestingHotStore(dir.resolve("data"), tls(Map.of()))) {
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

    @Test
    void lookupsGoOverTheLookupPortWithTheFlightEndpointsCertificate()
            throws Exception
    {
        try (TestingHotStore hot = new TestingHotStore(dir.resolve("data"), tls(Map.of("server.auth.token", "s3cret", "server.lookup.max-connections", "1")))) {
            assertThat(hot.server().lookupPort()).isPositive();
            hot.createTable("kv.orders", TestLookupPort.orders());
            ClientConfig config = ClientConfig.of(URI.create("grpc+tls://127.0.0.1:" + hot.server().port())).withTrustedCertificates(cert).withToken("s3cret");
            try (InletClient first = InletClient.connect(config); InletClient second = InletClient.connect(config)) {
                try (UpsertWriter writer = first.newUpsertWriter("kv.orders", null, WriterOptions.defaults())) {
                    writer.upsert(new Object[] {"r1", 1L, null, "one"});
                    writer.upsert(new Object[] {"r1", 4L, null, "four"});
                }
                assertThat(first.lookup("kv.orders", List.<Object[]>of(new Object[] {"r1", 4L}, new Object[] {"r2", 1L})))
                        .satisfiesExactly(row -> assertThat(row).containsExactly("r1", 4L, null, "four"), row -> assertThat(row).isNull());
                assertThat(first.prefixLookup("kv.orders", List.<Object[]>of(new Object[] {"r1"})).getFirst()).extracting(row -> row[1]).containsExactly(1L, 4L);
                // on the port, not the Flight stream: the server holds the client's connection
                assertThat(hot.server().lookupConnections()).isEqualTo(1);

                // over the connection cap, the refusal is sent over TLS and the second client
                // is answered on the Flight stream
                assertThat(second.lookup("kv.orders", List.<Object[]>of(new Object[] {"r1", 1L})).getFirst()).containsExactly("r1", 1L, null, "one");
                assertThat(hot.server().lookupConnections()).isEqualTo(1);
            }
            // a plain-TCP hello, even with the right token, is answered with a TLS alert record
            // (content type 21) or not at all (the server closes, or resets if part of the hello
            // was left unread), never with a status frame (whose first byte is 0)
            try (Socket socket = new Socket("127.0.0.1", hot.server().lookupPort())) {
                socket.setSoTimeout(10_000);
                LookupFrames.writeHello(new DataOutputStream(socket.getOutputStream()), "s3cret");
                int first;
                try {
                    first = socket.getInputStream().read();
                }
                catch (SocketException reset) {
                    first = -1;
                }
                assertThat(first).isIn(21, -1);
            }
        }
    }

    @Test
    void aKeyThatIsNotPkcs8IsRefusedNamingTheFile()
            throws Exception
    {
        Path pkcs1 = dir.resolve("pkcs1.key");
        Files.writeString(pkcs1, "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n");
        assertThatThrownBy(() -> new TestingHotStore(dir.resolve("data"), Map.of("server.tls.cert-file", cert.toString(), "server.tls.key-file", pkcs1.toString())))
                .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.INVALID_CONFIGURATION))
                .hasMessage("Cannot use server.tls.cert-file " + cert + " with server.tls.key-file " + pkcs1 + ": " + pkcs1
                        + " holds a PEM block of type RSA PRIVATE KEY; expected an unencrypted PKCS#8 PRIVATE KEY (convert it with: openssl pkcs8 -topk8 -nocrypt)");
        // nothing was left open: the same data directory starts without TLS
        try (TestingHotStore hot = new TestingHotStore(dir.resolve("data"))) {
            assertThat(hot.server().port()).isPositive();
        }
    }

    /** {@code settings} with TLS on, with the test's certificate and key. */
    private Map<String, String> tls(Map<String, String> settings)
    {
        Map<String, String> all = new HashMap<>(settings);
        all.put("server.tls.cert-file", cert.toString());
        all.put("server.tls.key-file", key.toString());
        return all;
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
