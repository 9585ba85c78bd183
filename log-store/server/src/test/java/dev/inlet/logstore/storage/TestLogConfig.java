/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.storage;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestLogConfig
{
    @Test
    void defaults()
    {
        assertThat(LogConfig.DEFAULT).isEqualTo(new LogConfig(
                256 * 1024 * 1024,
                7L * 24 * 60 * 60 * 1000,
                4096,
                16 * 1024 * 1024,
                FlushPolicy.FSYNC,
                1000,
                7L * 24 * 60 * 60 * 1000,
                -1));
    }

    @Test
    void withersChangeOneField()
    {
        LogConfig config = LogConfig.DEFAULT
                .withSegmentBytes(1)
                .withSegmentMs(2)
                .withIndexIntervalBytes(3)
                .withMaxBatchBytes(4)
                .withFlushPolicy(FlushPolicy.NONE)
                .withFlushIntervalMs(5)
                .withRetentionMs(6)
                .withRetentionBytes(7);
        assertThat(config).isEqualTo(new LogConfig(1, 2, 3, 4, FlushPolicy.NONE, 5, 6, 7));
    }

    @Test
    void rejectsImpossibleValues()
    {
        assertThatThrownBy(() -> LogConfig.DEFAULT.withSegmentBytes(0)).hasMessage("segmentBytes must be positive: 0");
        assertThatThrownBy(() -> LogConfig.DEFAULT.withIndexIntervalBytes(-1)).hasMessage("indexIntervalBytes must be positive: -1");
        assertThatThrownBy(() -> LogConfig.DEFAULT.withMaxBatchBytes(Integer.MAX_VALUE)).hasMessage("maxBatchBytes must be between 0 and 2147483600: 2147483647");
        assertThatThrownBy(() -> LogConfig.DEFAULT.withRetentionMs(-2)).hasMessage("retentionMs must be -1 (unlimited) or non-negative: -2");
        assertThatThrownBy(() -> LogConfig.DEFAULT.withFlushPolicy(null)).hasMessage("flushPolicy is null");
    }
}
