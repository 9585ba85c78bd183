/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The {@code app_metadata} of each batch a {@code DoGet} sends: where its rows sit in the log.
 * A stream whose long poll found nothing ends with one metadata-only message with
 * {@code recordCount = 0}, so the reader still learns the log's end.
 *
 * <pre>{@code {"v":1, "baseOffset":120, "recordCount":40, "commitTimestamp":1764160000000, "logEndOffset":500}}</pre>
 *
 * @param v protocol version, 1
 * @param baseOffset offset of the batch's first row
 * @param recordCount rows in the batch; its offsets are {@code [baseOffset, baseOffset + recordCount)}
 * @param commitTimestamp when the server appended the batch (ms since the epoch)
 * @param logEndOffset the bucket's next offset when the batch was read (its high-water mark)
 */
public record BatchMetadata(
        @JsonProperty("v") int v,
        @JsonProperty("baseOffset") long baseOffset,
        @JsonProperty("recordCount") int recordCount,
        @JsonProperty("commitTimestamp") long commitTimestamp,
        @JsonProperty("logEndOffset") long logEndOffset)
{
    public static final int VERSION = 1;

    public BatchMetadata
    {
        ProtocolJson.checkVersion(v, VERSION, "batch metadata");
    }

    public byte[] toBytes()
    {
        return ProtocolJson.write(this);
    }

    public static BatchMetadata fromBytes(byte[] bytes)
    {
        return ProtocolJson.read(bytes, BatchMetadata.class, "batch metadata");
    }
}
