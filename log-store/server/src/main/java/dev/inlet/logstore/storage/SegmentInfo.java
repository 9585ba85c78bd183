/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.storage;

/**
 * A segment of a bucket log as retention and monitoring see it.
 *
 * @param baseOffset the offset of its first batch
 * @param nextOffset the offset after its last batch
 * @param sizeInBytes the size of its {@code .log} file
 * @param largestTimestamp the commit timestamp of its newest batch, {@code Long.MIN_VALUE} if empty
 * @param active whether appends go to it (the last segment); the active segment is never deleted
 */
public record SegmentInfo(long baseOffset, long nextOffset, long sizeInBytes, long largestTimestamp, boolean active) {}
