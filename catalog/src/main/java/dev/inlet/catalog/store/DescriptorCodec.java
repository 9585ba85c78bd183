/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.model.AggregateFunction;
import dev.inlet.catalog.model.ChangelogMode;
import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.DataType;
import dev.inlet.catalog.model.LakeFormat;
import dev.inlet.catalog.model.MergeEngine;
import dev.inlet.catalog.model.TableDescriptor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON form of a {@link TableDescriptor} as the catalog database stores it. Written field by
 * field (not by reflection) so that renaming a Java field never changes stored data. Carries a
 * format version; {@link #decode(String)} reads every version up to {@link #CURRENT_VERSION}.
 *
 * <pre>{@code
 * {"version":1,
 *  "columns":[{"id":1,"name":"order_id","type":"BIGINT","nullable":false,"comment":"..."}],
 *  "primaryKey":["order_id"], "partitionKeys":[], "bucketCount":4, "bucketKey":[],
 *  "mergeEngine":{"kind":"last_row","versionColumn":null,"aggregations":{}},
 *  "autoIncrementColumn":null, "lakeFormat":"paimon", "lakeOptions":{},
 *  "freshnessMillis":60000, "hotRetentionMillis":604800000, "comment":null}
 * }</pre>
 */
public final class DescriptorCodec
{
    public static final int CURRENT_VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DescriptorCodec() {}

    public static String encode(TableDescriptor d)
    {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("version", CURRENT_VERSION);
        ArrayNode columns = root.putArray("columns");
        for (Column c : d.columns()) {
            ObjectNode node = columns.addObject();
            node.put("id", c.id());
            node.put("name", c.name());
            node.put("type", c.type().toString());
            node.put("nullable", c.nullable());
            node.put("comment", c.comment().orElse(null));
        }
        strings(root.putArray("primaryKey"), d.primaryKey());
        strings(root.putArray("partitionKeys"), d.partitionKeys());
        root.put("bucketCount", d.bucketCount());
        strings(root.putArray("bucketKey"), d.bucketKey());
        ObjectNode engine = root.putObject("mergeEngine");
        engine.put("kind", d.mergeEngine().kind().id());
        engine.put("versionColumn", d.mergeEngine().versionColumn().orElse(null));
        ObjectNode aggregations = engine.putObject("aggregations");
        d.mergeEngine().aggregations().forEach((column, function) -> aggregations.put(column, function.id()));
        root.put("autoIncrementColumn", d.autoIncrementColumn().orElse(null));
        root.put("changelogMode", d.changelogMode().id());
        root.put("lakeFormat", d.lakeFormat().id());
        ObjectNode lakeOptions = root.putObject("lakeOptions");
        d.lakeOptions().forEach(lakeOptions::put);
        root.put("freshnessMillis", d.freshness().toMillis());
        root.put("hotRetentionMillis", d.hotRetention().toMillis());
        root.put("comment", d.comment().orElse(null));
        try {
            return MAPPER.writeValueAsString(root);
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a table descriptor", e);
        }
    }

    public static TableDescriptor decode(String json)
    {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        }
        catch (JsonProcessingException e) {
            throw new InletException(InletErrorCode.CATALOG_STORE_FAILURE, "A stored table descriptor is not valid JSON: " + e.getOriginalMessage(), e);
        }
        int version = root.path("version").asInt(-1);
        if (version < 1 || version > CURRENT_VERSION) {
            throw new InletException(InletErrorCode.CATALOG_SCHEMA_TOO_NEW, "A stored table descriptor has format version " + version
                    + "; this Inlet build reads versions 1 to " + CURRENT_VERSION);
        }
        List<Column> columns = new ArrayList<>();
        for (JsonNode c : root.path("columns")) {
            columns.add(new Column(c.path("id").asInt(), c.path("name").asText(), DataType.parse(c.path("type").asText()),
                    c.path("nullable").asBoolean(), text(c, "comment")));
        }
        JsonNode engineNode = root.path("mergeEngine");
        MergeEngine.Kind kind = MergeEngine.Kind.parse(engineNode.path("kind").asText("last_row"));
        Map<String, AggregateFunction> aggregations = new LinkedHashMap<>();
        engineNode.path("aggregations").properties().forEach(e -> aggregations.put(e.getKey(), AggregateFunction.parse(e.getValue().asText())));
        MergeEngine engine = new MergeEngine(kind, text(engineNode, "versionColumn"), aggregations);
        Map<String, String> lakeOptions = new LinkedHashMap<>();
        root.path("lakeOptions").properties().forEach(e -> lakeOptions.put(e.getKey(), e.getValue().asText()));
        return new TableDescriptor(
                columns,
                strings(root.path("primaryKey")),
                strings(root.path("partitionKeys")),
                root.path("bucketCount").asInt(),
                strings(root.path("bucketKey")),
                engine,
                text(root, "autoIncrementColumn"),
                ChangelogMode.parse(root.path("changelogMode").asText("full")), // absent in records written before it existed
                LakeFormat.parse(root.path("lakeFormat").asText("none")),
                lakeOptions,
                Duration.ofMillis(root.path("freshnessMillis").asLong()),
                Duration.ofMillis(root.path("hotRetentionMillis").asLong()),
                text(root, "comment"));
    }

    private static void strings(ArrayNode array, List<String> values)
    {
        values.forEach(array::add);
    }

    private static List<String> strings(JsonNode array)
    {
        List<String> values = new ArrayList<>();
        array.forEach(n -> values.add(n.asText()));
        return values;
    }

    private static Optional<String> text(JsonNode node, String field)
    {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
    }
}
