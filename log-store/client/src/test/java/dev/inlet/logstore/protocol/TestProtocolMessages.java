/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.protocol;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The JSON forms docs/protocol.md shows, as a client in another language writes them: optional fields may be left out. */
class TestProtocolMessages
{
    private static byte[] json(String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anAppendCommandWithoutTheUpsertFieldsIsAnAppend()
    {
        AppendCommand command = AppendCommand.fromBytes(json("{\"v\":1, \"table\":\"shop.orders\", \"writerId\":7312598234}"));
        assertThat(command.upsert()).isFalse();
        assertThat(command.targetColumns()).isNull();
        assertThat(command.writerId()).isEqualTo(7312598234L);

        AppendCommand upsert = AppendCommand.fromBytes(json("{\"v\":1, \"table\":\"shop.users\", \"writerId\":5, \"upsert\":true, \"targetColumns\":[\"user_id\",\"email\"]}"));
        assertThat(upsert.upsert()).isTrue();
        assertThat(upsert.targetColumns()).containsExactly("user_id", "email");
    }

    @Test
    void aLookupHeaderNeedsOnlyItsTable()
    {
        LookupMessages.Header header = LookupMessages.decodeRequest(LookupMessages.encodeRequest(
                ProtocolJson.read(json("{\"v\":1,\"table\":\"shop.users\"}"), LookupMessages.Header.class, "lookup header"), java.nio.ByteBuffer.allocate(0))).header();
        assertThat(header.prefix()).isFalse();
        assertThat(header.insertIfAbsent()).isFalse();
        assertThat(header.schemaId()).isZero();
    }

    @Test
    void requiredFieldsStayRequired()
    {
        assertThatThrownBy(() -> BatchRoute.fromBytes(json("{\"v\":1, \"partition\":\"\", \"sequence\":3}")))
                .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.MALFORMED_REQUEST))
                .hasMessageContaining("Malformed batch route");
        assertThatThrownBy(() -> AppendCommand.fromBytes(json("{\"v\":1, \"writerId\":1}")))
                .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.MALFORMED_REQUEST))
                .hasMessageContaining("append command has no table");
        assertThat(List.of(ChangeType.values())).extracting(ChangeType::shortString).containsExactly("+A", "+I", "-U", "+U", "-D");
    }
}
