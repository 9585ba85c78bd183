/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.server;

import org.apache.arrow.flight.CallHeaders;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.auth2.Auth2Constants;
import org.apache.arrow.flight.auth2.CallHeaderAuthenticator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import static java.util.Objects.requireNonNull;

/**
 * Accepts a call only if it carries {@code Authorization: Bearer <token>} with the configured
 * token. The comparison takes the same time whatever the token, so it leaks nothing about it.
 * A rejected call reaches no handler, so it writes nothing.
 */
final class BearerTokenAuthenticator
        implements CallHeaderAuthenticator
{
    private final byte[] expected;

    BearerTokenAuthenticator(String token)
    {
        this.expected = requireNonNull(token, "token is null").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public AuthResult authenticate(CallHeaders headers)
    {
        String header = headers.get(Auth2Constants.AUTHORIZATION_HEADER);
        if (header == null || !header.startsWith(Auth2Constants.BEARER_PREFIX)) {
            throw CallStatus.UNAUTHENTICATED.withDescription("The hot store needs a bearer token (Authorization: Bearer <token>); none was given").toRuntimeException();
        }
        byte[] given = header.substring(Auth2Constants.BEARER_PREFIX.length()).getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(expected, given)) {
            throw CallStatus.UNAUTHENTICATED.withDescription("The bearer token is not valid for this hot store").toRuntimeException();
        }
        return () -> "client";
    }
}
