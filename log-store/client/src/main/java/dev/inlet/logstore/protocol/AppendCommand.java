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
 * <pre>{@code {"v":1, "table":"shop.orders", "writerId":7312598234}}</pre>
 *
 * @param v protocol version, 1
 * @param table {@code database.table}
 * @param writerId the writer's id for idempotent appends, or -1 for none (a retried batch may
 *     then be stored twice)
 */
public record AppendCommand(
        @JsonProperty("v") int v,
        @JsonProperty("table") String table,
        @JsonProperty("writerId") long writerId)
{
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
