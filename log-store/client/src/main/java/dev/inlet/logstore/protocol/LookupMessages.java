/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.logstore.arrow.ArrowSchemas;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code lookup} action's messages. Request body: {@code headerLength int32 | header JSON |
 * keys}, where keys is an Arrow IPC record-batch message (no schema message) whose columns are
 * {@link #keyColumns}. Result: one {@code Result} whose body is a record-batch message of the
 * table's columns followed by {@code _key_index INT32}, the position of the request key each row
 * answers (a point lookup returns at most one row per key, a prefix lookup any number; a key
 * without rows returns none).
 */
public final class LookupMessages
{
    public static final String KEY_INDEX_COLUMN = "_key_index";

    private LookupMessages() {}

    /**
     * @param prefix whether the keys are bucket-key prefixes (partition keys and bucket key)
     *     rather than whole primary keys
     * @param insertIfAbsent for point lookups: insert a key that has no row (its other columns
     *     null, the auto-increment column assigned) and return the new row: dictionary encoding
     * @param schemaId the table schema the client decodes the answer with; the server refuses
     *     ({@code BATCH_SCHEMA_MISMATCH}) if the table has another one by now; 0 skips the check
     */
    public record Header(
            @JsonProperty("v") int v,
            @JsonProperty("table") String table,
            @JsonProperty("prefix") @com.fasterxml.jackson.annotation.JsonSetter(nulls = com.fasterxml.jackson.annotation.Nulls.AS_EMPTY) boolean prefix,
            @JsonProperty("insertIfAbsent") @com.fasterxml.jackson.annotation.JsonSetter(nulls = com.fasterxml.jackson.annotation.Nulls.AS_EMPTY) boolean insertIfAbsent,
            @JsonProperty("schemaId") @com.fasterxml.jackson.annotation.JsonSetter(nulls = com.fasterxml.jackson.annotation.Nulls.AS_EMPTY) int schemaId)
    {
        public static final int VERSION = 1;

        public Header
        {
            ProtocolJson.checkVersion(v, VERSION, "lookup header");
            java.util.Objects.requireNonNull(table, "lookup header has no table");
        }
    }

    /**
     * The {@code DoExchange} command of a lookup stream: one long-lived call carrying many lookups
     * of one table and kind, which saves a unary call's cost per request. The client sends key
     * batches ({@link #keyColumns}) with a {@link StreamRequest} as app_metadata; the server
     * answers each, in order, with a result batch ({@link #resultSchema}) whose app_metadata is a
     * {@link StreamResponse}. A request that fails gets an empty batch with the error; the stream
     * goes on. A schema change of the table ends the stream with {@code BATCH_SCHEMA_MISMATCH}.
     */
    public record StreamCommand(
            @JsonProperty("v") int v,
            @JsonProperty("lookupStream") boolean lookupStream,
            @JsonProperty("table") String table,
            @JsonProperty("prefix") boolean prefix,
            @JsonProperty("schemaId") int schemaId)
    {
        public StreamCommand
        {
            ProtocolJson.checkVersion(v, Header.VERSION, "lookup stream command");
            java.util.Objects.requireNonNull(table, "lookup stream command has no table");
        }

        public byte[] toBytes()
        {
            return ProtocolJson.write(this);
        }

        public static boolean isLookupStream(byte[] command)
        {
            try {
                return ProtocolJson.MAPPER.readTree(command).path("lookupStream").asBoolean(false);
            }
            catch (java.io.IOException e) {
                return false;
            }
        }

        public static StreamCommand fromBytes(byte[] bytes)
        {
            return ProtocolJson.read(bytes, StreamCommand.class, "lookup stream command");
        }
    }

    public record StreamRequest(@JsonProperty("id") long id, @JsonProperty("insertIfAbsent") boolean insertIfAbsent)
    {
        public byte[] toBytes()
        {
            return ProtocolJson.write(this);
        }

        public static StreamRequest fromBytes(byte[] bytes)
        {
            return ProtocolJson.read(bytes, StreamRequest.class, "lookup stream request");
        }
    }

    /** @param errorCode null when the request succeeded; else the {@code InletErrorCode} name, with {@code message} */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record StreamResponse(@JsonProperty("id") long id, @JsonProperty("errorCode") String errorCode, @JsonProperty("message") String message)
    {
        public byte[] toBytes()
        {
            return ProtocolJson.write(this);
        }

        public static StreamResponse fromBytes(byte[] bytes)
        {
            return ProtocolJson.read(bytes, StreamResponse.class, "lookup stream response");
        }
    }

    /** The columns of a request's key batch, in table order. */
    public static List<Column> keyColumns(TableDescriptor table, boolean prefix)
    {
        List<String> names = new ArrayList<>(table.partitionKeys());
        names.addAll(prefix ? table.effectiveBucketKey() : table.primaryKey());
        return table.columns().stream().filter(c -> names.contains(c.name())).toList();
    }

    /** The schema of a result batch. */
    public static Schema resultSchema(TableDescriptor table)
    {
        List<Field> fields = new ArrayList<>(ArrowSchemas.toArrowSchema(table).getFields());
        fields.add(new Field(KEY_INDEX_COLUMN, new FieldType(false, new ArrowType.Int(32, true), null), List.of()));
        return new Schema(fields);
    }

    public static byte[] encodeRequest(Header header, ByteBuffer keys)
    {
        byte[] json = ProtocolJson.write(header);
        ByteBuffer body = ByteBuffer.allocate(4 + json.length + keys.remaining());
        body.putInt(json.length).put(json).put(keys.duplicate());
        return body.array();
    }

    public record Request(Header header, ByteBuffer keys) {}

    public static Request decodeRequest(byte[] body)
    {
        if (body == null || body.length < 4) {
            throw new InletException(InletErrorCode.MALFORMED_REQUEST, "Malformed lookup request: shorter than its header length");
        }
        ByteBuffer in = ByteBuffer.wrap(body);
        int length = in.getInt();
        if (length <= 0 || length > body.length - 4) {
            throw new InletException(InletErrorCode.MALFORMED_REQUEST, "Malformed lookup request: header length " + length + " does not fit the " + body.length + "-byte body");
        }
        byte[] json = new byte[length];
        in.get(json);
        Header header = ProtocolJson.read(json, Header.class, "lookup header");
        return new Request(header, in.slice());
    }
}
