/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.client;

/** Where a subscription starts reading a bucket. */
public sealed interface StartPosition
{
    /** The first offset still in the hot store. */
    record Earliest() implements StartPosition {}

    /** Only rows appended after the subscription. */
    record Latest() implements StartPosition {}

    /** A given offset. */
    record Offset(long offset) implements StartPosition {}

    /** The first row committed at or after {@code epochMillis}. */
    record Timestamp(long epochMillis) implements StartPosition {}

    static StartPosition earliest()
    {
        return new Earliest();
    }

    static StartPosition latest()
    {
        return new Latest();
    }

    static StartPosition offset(long offset)
    {
        return new Offset(offset);
    }

    static StartPosition timestamp(long epochMillis)
    {
        return new Timestamp(epochMillis);
    }
}
