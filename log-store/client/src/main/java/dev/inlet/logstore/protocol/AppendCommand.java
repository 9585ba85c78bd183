/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Objects;

/**
 * The {@code FlightDescriptor} command of a {@code DoPut}: which table the stream appends to, and
 * as which writer. Every batch of the stream then carries a {@link BatchRoute} as its
 * {@code app_metadata}.
 *
 * <pre>{@code {"v":1, "table":"shop.orders", "writerId":7312598234}}
 * {"v":1, "table":"shop.users", "writerId":7312598235, "upsert":true, "targetColumns":["id","email"]}}</pre>
 *
 * @param v protocol version, 1
 * @param table {@code database.table}
 * @param writerId the writer's id for idempotent appends, or -1 for none (a retried batch may
 *     then be stored twice)
 * @param upsert whether the batches are upserts and deletes to a primary-key table (each batch:
 *     the target columns then {@code _op}) rather than rows appended to a log table
 * @param targetColumns for upserts: the columns the writer sets (a partial update; they must
 *     include the primary key), or null for every column but the auto-increment one
 */
public record AppendCommand(
        @JsonProperty("v") int v,
        @JsonProperty("table") String table,
        @JsonProperty("writerId") long writerId,
        @JsonProperty("upsert") @com.fasterxml.jackson.annotation.JsonSetter(nulls = com.fasterxml.jackson.annotation.Nulls.AS_EMPTY) boolean upsert,
        @JsonProperty("targetColumns") java.util.List<String> targetColumns)
{
    public AppendCommand(int v, String table, long writerId)
    {
        this(v, table, writerId, false, null);
    }

    public static final int VERSION = 1;

    public AppendCommand
    {
        ProtocolJson.checkVersion(v, VERSION, "append command");
        Objects.requireNonNull(table, "append command has no table");
    }

    public byte[] toBytes()
    {
        return ProtocolJson.write(this);
    }

    public static AppendCommand fromBytes(byte[] bytes)
    {
        return ProtocolJson.read(bytes, AppendCommand.class, "append command");
    }
}
