/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.protocol;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Flight's {@code app_metadata} travels as an {@link ArrowBuf}; Flight sends its readable bytes,
 * so the writer index must be set after writing (a freshly written buffer would otherwise go out
 * empty).
 */
public final class MetadataBuffers
{
    private MetadataBuffers() {}

    /** A buffer holding {@code bytes}, ready to hand to Flight (which takes ownership). */
    public static ArrowBuf of(BufferAllocator allocator, byte[] bytes)
    {
        ArrowBuf buf = allocator.buffer(bytes.length);
        buf.setBytes(0, bytes);
        buf.writerIndex(bytes.length);
        return buf;
    }

    /** The readable bytes of a received buffer. */
    public static byte[] bytes(ArrowBuf buf)
    {
        byte[] bytes = new byte[(int) buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), bytes);
        return bytes;
    }
}
