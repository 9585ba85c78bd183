/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.Serializer;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static java.util.Objects.requireNonNull;

/**
 * The Kafka baseline: a single-node Apache Kafka 4.4 cluster ({@link KafkaBroker}) with one topic
 * of {@code buckets} partitions, written by a {@link KafkaProducer} that encodes each row with
 * {@link RowCodec} (key: the 8-byte {@code id}, so the default partitioner spreads rows by id, as
 * Inlet's bucket key does) and read back by a {@link KafkaConsumer}.
 *
 * <p>Durability: the producer always waits for {@code acks=all} and is idempotent. In
 * {@link Durability#FSYNC} the topic has {@code flush.messages=1}: the broker fsyncs the partition's
 * log after every append, in the request thread, before it answers the produce request. In
 * {@link Durability#NONE} the topic keeps Kafka's default, no fsync (the OS writes the page cache
 * back when it likes; Kafka relies on replication, which a single node does not have).
 */
public final class KafkaIngestTarget
        implements IngestTarget, FetchTarget
{
    public static final String TOPIC = "bench_rows";
    private static final Duration BROKER_START_TIMEOUT = Duration.ofSeconds(90);
    /** A fetch that receives nothing for this long has failed (the rows were acknowledged, so they are there). */
    private static final Duration FETCH_STALL_TIMEOUT = Duration.ofSeconds(30);

    private final String brokerHeap;
    private final List<String> brokerJvmFlags;
    private TargetConfig config;
    private KafkaBroker broker;
    private KafkaProducer<Long, Object[]> producer;

    /** With the broker heap of {@code kafka-server-start.sh}, 1 GiB. */
    public KafkaIngestTarget()
    {
        this("1g");
    }

    public KafkaIngestTarget(String brokerHeap)
    {
        this(brokerHeap, List.of());
    }

    /** With extra flags for the broker JVM (tests start it with the client compiler only, which starts faster). */
    KafkaIngestTarget(String brokerHeap, List<String> brokerJvmFlags)
    {
        this.brokerHeap = requireNonNull(brokerHeap, "brokerHeap is null");
        this.brokerJvmFlags = List.copyOf(brokerJvmFlags);
    }

    @Override
    public String name()
    {
        return "kafka";
    }

    @Override
    public String durability(Durability mode, TargetConfig config)
    {
        String common = "acks=all, enable.idempotence=true, replication 1, batch.size=%d, linger.ms=%d, buffer.memory=%d, compression none"
                .formatted(config.batchBytes(), config.linger().toMillis(), config.maxInFlightBytes());
        return switch (mode) {
            case FSYNC -> "topic flush.messages=1 (fsync of the partition log after every append, before the ack); " + common;
            case NONE -> "broker default flush (no fsync: acked from the page cache); " + common;
        };
    }

    /** The topic's settings in a durability mode; the others are the broker's defaults. */
    static Map<String, String> topicConfig(Durability mode)
    {
        return switch (mode) {
            case FSYNC -> Map.of(TopicConfig.FLUSH_MESSAGES_INTERVAL_CONFIG, "1");
            case NONE -> Map.of();
        };
    }

    @Override
    public void start(TargetConfig config)
            throws Exception
    {
        this.config = requireNonNull(config, "config is null");
        broker = KafkaBroker.start(config.directory().resolve("kafka"), brokerHeap, brokerJvmFlags, Map.of(), BROKER_START_TIMEOUT);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            NewTopic topic = new NewTopic(TOPIC, config.buckets(), (short) 1).configs(topicConfig(config.durability()));
            admin.createTopics(List.of(topic)).all().get();
        }
        producer = new KafkaProducer<>(producerConfig(broker.bootstrapServers(), config), new LongSerializer(), new RowSerializer());
        awaitLeaders();
    }

    static Map<String, Object> producerConfig(String bootstrapServers, TargetConfig config)
    {
        Map<String, Object> properties = new HashMap<>();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "inlet-bench");
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, config.batchBytes());
        properties.put(ProducerConfig.LINGER_MS_CONFIG, (int) config.linger().toMillis());
        properties.put(ProducerConfig.BUFFER_MEMORY_CONFIG, config.maxInFlightBytes());
        // one produce request may carry a full batch of every partition, as one round trip should
        properties.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Math.max(1 << 20, config.batchBytes() * config.buckets() + (64 << 10)));
        return properties;
    }

    /** Returns once the producer knows a leader for every partition, so that the first send does not wait for metadata. */
    private void awaitLeaders()
            throws InterruptedException, IOException
    {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<PartitionInfo> partitions = producer.partitionsFor(TOPIC);
            if (partitions.size() == config.buckets() && partitions.stream().allMatch(partition -> partition.leader() != null)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("topic " + TOPIC + " has no leader for every partition: " + partitions);
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void ingest(List<Object[]> rows)
            throws Exception
    {
        AtomicLong acknowledged = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Callback callback = (RecordMetadata _, Exception exception) -> {
            if (exception == null) {
                acknowledged.incrementAndGet();
            }
            else {
                failure.compareAndSet(null, exception);
            }
        };
        for (Object[] row : rows) {
            producer.send(new ProducerRecord<>(TOPIC, (Long) row[0], row), callback);
            if (failure.get() != null) {
                break;
            }
        }
        // flush() returns when every record sent so far is acknowledged or failed
        producer.flush();
        if (failure.get() != null) {
            throw new IOException("Kafka did not acknowledge every row", failure.get());
        }
        if (acknowledged.get() != rows.size()) {
            throw new IOException("Kafka acknowledged " + acknowledged.get() + " of " + rows.size() + " rows");
        }
    }

    /** The producer's own averages over its last 30 seconds or so (Kafka's metric window), which covers a measured pass. */
    @Override
    public String describeLastIngest()
    {
        Map<String, Double> values = new HashMap<>();
        for (Map.Entry<MetricName, ? extends Metric> entry : producer.metrics().entrySet()) {
            if (entry.getKey().group().equals("producer-metrics") && entry.getValue().metricValue() instanceof Double value) {
                values.put(entry.getKey().name(), value);
            }
        }
        return "producer: batch-size-avg %.0f B, records-per-request-avg %.0f, request-latency-avg %.1f ms, request-rate %.1f/s".formatted(
                values.getOrDefault("batch-size-avg", Double.NaN),
                values.getOrDefault("records-per-request-avg", Double.NaN),
                values.getOrDefault("request-latency-avg", Double.NaN),
                values.getOrDefault("request-rate", Double.NaN));
    }

    @Override
    public long fullFetch()
            throws Exception
    {
        Map<String, Object> properties = new HashMap<>();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "inlet-bench-fetch");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, config.fetchBytesPerBucket());
        properties.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, config.fetchBytesPerBucket() * config.buckets());
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC).stream()
                    .map(partition -> new TopicPartition(TOPIC, partition.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long expected = 0;
            for (TopicPartition partition : partitions) {
                expected += ends.get(partition) - consumer.position(partition);
            }
            long records = 0;
            long valueBytes = 0;
            long lastProgress = System.nanoTime();
            while (records < expected) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(100));
                if (batch.isEmpty()) {
                    if (System.nanoTime() - lastProgress > FETCH_STALL_TIMEOUT.toNanos()) {
                        throw new IOException("the Kafka fetch stalled after " + records + " of " + expected + " records");
                    }
                    continue;
                }
                lastProgress = System.nanoTime();
                for (ConsumerRecord<byte[], byte[]> record : batch) {
                    // touch each value, as a reader that hands it on would
                    valueBytes += record.value().length;
                    records++;
                }
            }
            if (valueBytes == 0 && records > 0) {
                throw new IOException("the Kafka fetch read empty values");
            }
            return records;
        }
    }

    @Override
    public boolean supportsColumnPruning()
    {
        return false;
    }

    @Override
    public long prunedFetch(List<String> columns)
    {
        throw new UnsupportedOperationException("a Kafka record value is opaque to the broker: it cannot send only some columns");
    }

    @Override
    public void close()
    {
        try {
            if (producer != null) {
                producer.close(Duration.ofSeconds(10));
            }
        }
        finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    /** {@link RowCodec} as the producer's value serializer, so that encoding runs inside {@code send}, as in an application. */
    static final class RowSerializer
            implements Serializer<Object[]>
    {
        @Override
        public byte[] serialize(String topic, Object[] row)
        {
            return RowCodec.encode(row);
        }
    }
}
