/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.protocol;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TLS contexts for the lookup port ({@link LookupFrames}) from the same PEM files as the Flight
 * endpoint, with the same meaning: a server presents {@code server.tls.cert-file} with the
 * PKCS#8 key of {@code server.tls.key-file}; a client trusts exactly the certificates of
 * {@code server.tls.trusted-certs} if given (as Flight's client does), else the JDK's default
 * trust store. Only the JDK is used, so both ends read the files the way gRPC's JDK provider does.
 */
public final class PemTls
{
    private static final Pattern PEM_BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448");
    private static final char[] NO_PASSWORD = new char[0];

    private PemTls() {}

    /**
     * A server's context.
     *
     * @throws IOException a file cannot be read
     * @throws GeneralSecurityException a file does not hold what it should (named in the message)
     */
    public static SSLContext server(Path certificateChain, Path privateKey)
            throws IOException, GeneralSecurityException
    {
        List<? extends Certificate> chain = certificates(certificateChain);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", privateKey(privateKey), NO_PASSWORD, chain.toArray(Certificate[]::new));
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, NO_PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    /** A client's context: trusts exactly {@code trusted}'s certificates, or the JDK's defaults. */
    public static SSLContext client(Optional<Path> trusted)
            throws IOException, GeneralSecurityException
    {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (trusted.isEmpty()) {
            trust.init((KeyStore) null);
        }
        else {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int n = 0;
            for (Certificate certificate : certificates(trusted.get())) {
                store.setCertificateEntry("trusted-" + n++, certificate);
            }
            trust.init(store);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static List<? extends Certificate> certificates(Path file)
            throws IOException, GeneralSecurityException
    {
        byte[] pem = Files.readAllBytes(file);
        List<? extends Certificate> certificates = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem)));
        if (certificates.isEmpty()) {
            throw new GeneralSecurityException(file + " holds no PEM certificate");
        }
        return certificates;
    }

    private static PrivateKey privateKey(Path file)
            throws IOException, GeneralSecurityException
    {
        Matcher block = PEM_BLOCK.matcher(Files.readString(file, StandardCharsets.US_ASCII));
        if (!block.find()) {
            throw new GeneralSecurityException(file + " holds no PEM block; expected -----BEGIN PRIVATE KEY-----");
        }
        if (!block.group(1).equals("PRIVATE KEY")) {
            throw new GeneralSecurityException(file + " holds a PEM block of type " + block.group(1)
                    + "; expected an unencrypted PKCS#8 PRIVATE KEY (convert it with: openssl pkcs8 -topk8 -nocrypt)");
        }
        PKCS8EncodedKeySpec spec;
        try {
            spec = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(block.group(2)));
        }
        catch (IllegalArgumentException e) {
            throw new GeneralSecurityException(file + " is not valid base64 inside its PEM block: " + e.getMessage(), e);
        }
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            }
            catch (InvalidKeySpecException e) {
                // the key is of another algorithm: try the next
            }
        }
        throw new GeneralSecurityException(file + " holds a PKCS#8 key of none of the algorithms " + KEY_ALGORITHMS);
    }
}
