/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The {@code PutResult} metadata the server sends for each appended batch, in the order the
 * batches arrived, once the batch is durable under the server's flush policy.
 *
 * <pre>{@code {"v":1, "partition":"", "bucket":3, "sequence":17, "baseOffset":400, "lastOffset":449, "duplicate":false}}</pre>
 *
 * @param duplicate the batch had been appended before (a retry); the offsets are those of the
 *     first append and nothing was written again
 */
public record AppendAck(
        @JsonProperty("v") int v,
        @JsonProperty("partition") String partition,
        @JsonProperty("bucket") int bucket,
        @JsonProperty("sequence") int sequence,
        @JsonProperty("baseOffset") long baseOffset,
        @JsonProperty("lastOffset") long lastOffset,
        @JsonProperty("duplicate") boolean duplicate)
{
    public static final int VERSION = 1;

    public AppendAck
    {
        ProtocolJson.checkVersion(v, VERSION, "append ack");
        partition = partition == null ? "" : partition;
    }

    public byte[] toBytes()
    {
        return ProtocolJson.write(this);
    }

    public static AppendAck fromBytes(byte[] bytes)
    {
        return ProtocolJson.read(bytes, AppendAck.class, "append ack");
    }
}
