package io.ascall.engineer.support;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasSize;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Plain Kafka clients, as another service would be: a producer of {@code call-events}, and a
 * consumer that records everything on {@code engineer-events} and {@code engineer-service.dlq}
 * from the beginning, in the background, for tests to look up by call id.
 */
public final class Kafka {

    public static final String CALL_EVENTS = "call-events";
    public static final String ENGINEER_EVENTS = "engineer-events";
    public static final String DEAD_LETTERS = "engineer-service.dlq";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();
    private static KafkaProducer<String, String> producer;
    private static Thread consumer;

    private Kafka() {}

    /** A record read from a topic; {@code headers} keeps the last value of each header. */
    public record Received(
            String topic, int partition, long offset, String key, String value, Map<String, String> headers) {

        public Map<String, Object> json() {
            try {
                return JSON.readValue(value, new TypeReference<Map<String, Object>>() {});
            } catch (JsonProcessingException e) {
                throw new AssertionError("Not a JSON object on " + topic + ": " + value, e);
            }
        }

        public String type() {
            return (String) json().get("type");
        }
    }

    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static synchronized void sendCallEvent(String key, String value) {
        try {
            producer().send(new ProducerRecord<>(CALL_EVENTS, key, value)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot send to " + CALL_EVENTS, e);
        }
    }

    /** engineer-service's events about the call so far, in the order published. */
    /** The partition of call-events a call's events go to (the producer's default partitioner). */
    public static int partitionOf(UUID callId) {
        int partitions = producer().partitionsFor(CALL_EVENTS).size();
        return org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(
                        callId.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                % partitions;
    }

    public static List<Received> eventsOf(UUID callId) {
        return on(ENGINEER_EVENTS, callId.toString());
    }

    /** Waits until engineer-service has published {@code count} events about the call, and answers them. */
    public static List<Received> awaitEvents(UUID callId, int count) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> eventsOf(callId), hasSize(count));
    }

    /** What landed on the dead-letter topic with this key. */
    public static List<Received> deadLetters(String key) {
        return on(DEAD_LETTERS, key);
    }

    private static List<Received> on(String topic, String key) {
        startConsumer();
        return RECEIVED.stream()
                .filter(r -> r.topic().equals(topic) && key.equals(r.key()))
                .toList();
    }

    private static KafkaProducer<String, String> producer() {
        if (producer == null) {
            Properties config = new Properties();
            config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            producer = new KafkaProducer<>(config);
        }
        return producer;
    }

    private static synchronized void startConsumer() {
        if (consumer != null) {
            return;
        }
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "engineer-service-test-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "1000");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        KafkaConsumer<String, String> client = new KafkaConsumer<>(config);
        client.subscribe(List.of(ENGINEER_EVENTS, DEAD_LETTERS));
        consumer = new Thread(
                () -> {
                    while (true) {
                        for (ConsumerRecord<String, String> record : client.poll(Duration.ofMillis(200))) {
                            Map<String, String> headers = new HashMap<>();
                            for (Header header : record.headers()) {
                                headers.put(
                                        header.key(),
                                        header.value() == null
                                                ? null
                                                : new String(header.value(), StandardCharsets.UTF_8));
                            }
                            RECEIVED.add(new Received(
                                    record.topic(),
                                    record.partition(),
                                    record.offset(),
                                    record.key(),
                                    record.value(),
                                    headers));
                        }
                    }
                },
                "engineer-events-reader");
        consumer.setDaemon(true);
        consumer.start();
    }

    private static String bootstrapServers() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }
}
