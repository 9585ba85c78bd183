/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.util.List;

/**
 * Rows as one-line JSON objects, as {@code inlet tail} and {@code inlet lookup} print them:
 * numbers and booleans as JSON values (decimals keep their scale, 12.50 not 12.5, and are never
 * written in exponent form), null as null, everything else as the text {@link TextValues} reads
 * back.
 */
public final class JsonRows
{
    private final ObjectMapper mapper = new ObjectMapper()
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    public ObjectNode object()
    {
        return mapper.createObjectNode();
    }

    /** Adds each value under its column's name. */
    public ObjectNode put(ObjectNode node, List<String> names, Object[] row)
    {
        for (int c = 0; c < names.size(); c++) {
            Object v = row[c];
            if (v == null) {
                node.putNull(names.get(c));
            }
            else if (v instanceof BigDecimal d) {
                node.put(names.get(c), d);
            }
            else if (v instanceof Number || v instanceof Boolean) {
                node.set(names.get(c), mapper.valueToTree(v));
            }
            else {
                node.put(names.get(c), TextValues.format(v));
            }
        }
        return node;
    }

    public String write(ObjectNode node)
    {
        try {
            return mapper.writeValueAsString(node);
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON tree as text", e);
        }
    }
}
