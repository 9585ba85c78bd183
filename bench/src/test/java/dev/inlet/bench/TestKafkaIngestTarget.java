/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A smoke test of the Kafka baseline, not a benchmark: a real broker, 1,000 rows in, 1,000 out
 * (about 15 seconds on a busy 2-core machine, nearly all of it the broker's start).
 */
class TestKafkaIngestTarget
{
    @Test
    @Timeout(120)
    void ingestAndFetchThroughARealBroker(@TempDir Path directory)
            throws Exception
    {
        List<Object[]> rows = RowGenerator.generate(1_000, 1);
        TargetConfig config = new TargetConfig(directory, 4, Durability.FSYNC, 64 << 10, 10_000, Duration.ofMillis(5), 8L << 20, 1 << 20);
        // the client compiler only: the broker starts a few seconds sooner, and this test measures nothing
        KafkaIngestTarget target = new KafkaIngestTarget("256m", List.of("-XX:TieredStopAtLevel=1"));
        try (target) {
            target.start(config);
            target.ingest(rows.subList(0, 100));
            target.ingest(rows.subList(100, rows.size()));
            assertThat(target.fullFetch()).isEqualTo(1_000);
            assertThat(target.supportsColumnPruning()).isFalse();
            assertThatThrownBy(() -> target.prunedFetch(BenchSchema.PRUNED_COLUMNS)).isInstanceOf(UnsupportedOperationException.class);
        }
        assertThat(target.durability(Durability.FSYNC, config)).contains("flush.messages=1", "acks=all");
        // close() stopped the broker JVM, this JVM's only child
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)).isEmpty();
    }

    @Test
    void topicSettingsPerDurability()
    {
        assertThat(KafkaIngestTarget.topicConfig(Durability.FSYNC)).containsEntry("flush.messages", "1");
        assertThat(KafkaIngestTarget.topicConfig(Durability.NONE)).isEmpty();
    }
}
