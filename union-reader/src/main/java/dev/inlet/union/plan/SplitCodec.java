/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union.plan;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.catalog.model.TypeRoot;
import dev.inlet.union.filter.ColumnPredicate;
import dev.inlet.union.filter.Values;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The serialized form of a {@link Split}: JSON text, which a coordinator sends to the worker that
 * reads the split. Filter values travel as their type and text, so they come back as the same Java
 * values.
 */
public final class SplitCodec
{
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new SimpleModule("inlet-splits")
            .addSerializer(ColumnPredicate.class, new PredicateSerializer())
            .addDeserializer(ColumnPredicate.class, new PredicateDeserializer())
            .addSerializer(TablePath.class, new PathSerializer())
            .addDeserializer(TablePath.class, new PathDeserializer()));

    private SplitCodec() {}

    public static String toJson(Split split)
    {
        try {
            return JSON.writeValueAsString(split);
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize split " + split, e);
        }
    }

    /** @throws InletException {@code INVALID_SCAN} if the text is not a split */
    public static Split fromJson(String json)
    {
        try {
            return JSON.readValue(json, Split.class);
        }
        catch (JsonProcessingException | RuntimeException e) {
            throw new InletException(InletErrorCode.INVALID_SCAN, "Not a serialized Inlet split: " + e.getMessage(), e);
        }
    }

    private static final class PathSerializer
            extends JsonSerializer<TablePath>
    {
        @Override
        public void serialize(TablePath value, JsonGenerator gen, SerializerProvider serializers)
                throws IOException
        {
            gen.writeString(value.toString());
        }
    }

    private static final class PathDeserializer
            extends JsonDeserializer<TablePath>
    {
        @Override
        public TablePath deserialize(JsonParser p, DeserializationContext ctxt)
                throws IOException
        {
            return TablePath.parse(p.getValueAsString());
        }
    }

    private static final class PredicateSerializer
            extends JsonSerializer<ColumnPredicate>
    {
        @Override
        public void serialize(ColumnPredicate value, JsonGenerator gen, SerializerProvider serializers)
                throws IOException
        {
            gen.writeStartObject();
            gen.writeStringField("column", value.column());
            gen.writeStringField("op", value.op().name());
            gen.writeArrayFieldStart("values");
            for (Object v : value.values()) {
                gen.writeStartObject();
                gen.writeStringField("type", rootOf(v).name());
                gen.writeStringField("text", Values.text(v));
                gen.writeEndObject();
            }
            gen.writeEndArray();
            gen.writeEndObject();
        }
    }

    private static final class PredicateDeserializer
            extends JsonDeserializer<ColumnPredicate>
    {
        @Override
        public ColumnPredicate deserialize(JsonParser p, DeserializationContext ctxt)
                throws IOException
        {
            JsonNode node = p.getCodec().readTree(p);
            List<Object> values = new ArrayList<>();
            for (JsonNode v : node.get("values")) {
                values.add(value(TypeRoot.valueOf(v.get("type").asText()), v.get("text").asText()));
            }
            return new ColumnPredicate(node.get("column").asText(), ColumnPredicate.Op.valueOf(node.get("op").asText()), values);
        }
    }

    private static TypeRoot rootOf(Object value)
    {
        for (TypeRoot root : TypeRoot.values()) {
            if (root.javaClass().isInstance(value)) {
                return root;
            }
        }
        throw new IllegalArgumentException("no Inlet type holds " + value.getClass().getSimpleName() + " value '" + value + "'");
    }

    private static Object value(TypeRoot root, String text)
    {
        return switch (root) {
            case BOOLEAN -> Boolean.parseBoolean(text);
            case TINYINT -> Byte.parseByte(text);
            case SMALLINT -> Short.parseShort(text);
            case INT -> Integer.parseInt(text);
            case BIGINT -> Long.parseLong(text);
            case FLOAT -> Float.parseFloat(text);
            case DOUBLE -> Double.parseDouble(text);
            case DECIMAL -> new BigDecimal(text);
            case STRING -> text;
            case BYTES -> Base64.getDecoder().decode(text);
            case DATE -> LocalDate.parse(text);
            case TIMESTAMP -> LocalDateTime.parse(text);
            case TIMESTAMP_LTZ -> Instant.parse(text);
        };
    }
}
