/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.protocol;

import dev.inlet.catalog.model.TableDescriptor;

import java.math.BigDecimal;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A partition's name from its partition-key values, Hive style: {@code dt=2026-11-01} or
 * {@code dt=2026-11-01/region=eu}. Values are written as text (dates and timestamps in ISO-8601,
 * decimals without exponent) and URL-encoded, so a value may contain any character; null is
 * {@value #NULL_VALUE}, as in Paimon. An unpartitioned table has the empty name.
 */
public final class PartitionNames
{
    public static final String NULL_VALUE = "__DEFAULT_PARTITION__";

    private PartitionNames() {}

    /** The name of the partition holding {@code values} of the table's partition keys, in order. */
    public static String name(TableDescriptor table, Object[] partitionValues)
    {
        List<String> keys = table.partitionKeys();
        if (partitionValues.length != keys.size()) {
            throw new IllegalArgumentException("expected " + keys.size() + " partition values for " + keys + ", got " + partitionValues.length);
        }
        if (keys.isEmpty()) {
            return "";
        }
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < keys.size(); i++) {
            if (i > 0) {
                name.append('/');
            }
            name.append(keys.get(i)).append('=').append(encode(partitionValues[i]));
        }
        return name.toString();
    }

    private static String encode(Object value)
    {
        if (value == null) {
            return NULL_VALUE;
        }
        String text = switch (value) {
            case BigDecimal d -> d.toPlainString();
            case byte[] b -> throw new IllegalArgumentException("BYTES cannot be a partition key");
            default -> value.toString();
        };
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /**
     * The text values of a partition name, in key order (null for {@value #NULL_VALUE}).
     *
     * @throws IllegalArgumentException naming the partition if it does not fit the table's keys
     */
    public static List<String> values(TableDescriptor table, String name)
    {
        List<String> keys = table.partitionKeys();
        if (keys.isEmpty()) {
            if (!name.isEmpty()) {
                throw new IllegalArgumentException("the table is not partitioned, but partition '" + name + "' was named");
            }
            return List.of();
        }
        String[] parts = name.split("/", -1);
        if (parts.length != keys.size()) {
            throw new IllegalArgumentException("partition '" + name + "' does not have the form " + String.join("/", keys.stream().map(k -> k + "=<value>").toList()));
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            String prefix = keys.get(i) + "=";
            if (!parts[i].startsWith(prefix)) {
                throw new IllegalArgumentException("partition '" + name + "': expected '" + prefix + "...' at position " + (i + 1));
            }
            String raw = parts[i].substring(prefix.length());
            values.add(raw.equals(NULL_VALUE) ? null : URLDecoder.decode(raw, StandardCharsets.UTF_8));
        }
        return values;
    }
}
