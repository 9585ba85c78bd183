/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;

import java.io.IOException;

/**
 * The JSON encoding of every protocol message (tickets, commands, batch metadata, actions). JSON
 * keeps the protocol readable from any Flight client in any language; the messages are small
 * next to the Arrow batches they describe. Each message carries a version {@code v}; a reader
 * refuses versions newer than it knows.
 */
public final class ProtocolJson
{
    static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
            .configure(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES, false);

    private ProtocolJson() {}

    public static byte[] write(Object message)
    {
        try {
            return MAPPER.writeValueAsBytes(message);
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + message, e);
        }
    }

    /**
     * @throws InletException {@link InletErrorCode#MALFORMED_REQUEST} naming the message kind and
     *     what is wrong with it
     */
    public static <T> T read(byte[] bytes, Class<T> type, String kind)
    {
        if (bytes == null || bytes.length == 0) {
            throw new InletException(InletErrorCode.MALFORMED_REQUEST, "Malformed " + kind + ": empty");
        }
        try {
            return MAPPER.readValue(bytes, type);
        }
        catch (IOException e) {
            String reason = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new InletException(InletErrorCode.MALFORMED_REQUEST, "Malformed " + kind + ": " + reason, e);
        }
        catch (IllegalArgumentException | NullPointerException e) {
            throw new InletException(InletErrorCode.MALFORMED_REQUEST, "Malformed " + kind + ": " + e.getMessage(), e);
        }
    }

    static void checkVersion(int version, int current, String kind)
    {
        if (version < 1 || version > current) {
            throw new IllegalArgumentException(kind + " version " + version + " is not supported; this server reads versions 1 to " + current);
        }
    }
}
