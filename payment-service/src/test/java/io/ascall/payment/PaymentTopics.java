package io.ascall.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.ascall.local.EventContract;
import io.ascall.local.LocalEnvironment;
import io.ascall.local.TopicProbe;

/**
 * The saga topics as the tests see them, through a plain Kafka client: what payment-service
 * published about a call (each event checked against docs/asyncapi.yaml), and events injected as
 * call-service would publish them (or as it never would: duplicated, reordered, unreadable).
 */
public final class PaymentTopics implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(20);
    /** How long a test watches a topic to see that nothing more is published. */
    public static final Duration QUIET = Duration.ofSeconds(3);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TopicProbe kafka =
            new TopicProbe(LocalEnvironment.shared().kafka().bootstrapServers());

    /** Writes call-service's event about the call, keyed by the call id as call-service does. */
    public void sendCallEvent(Object callId, String event) {
        kafka.send("call-events", callId.toString(), event);
    }

    /**
     * payment-service's events about the call once there are {@code count}, after making sure no
     * more follow within {@link #QUIET}; each checked: key = call id, header event-type = its type,
     * and it matches its schema in docs/asyncapi.yaml.
     */
    public List<JsonNode> paymentEvents(Object callId, int count) {
        String key = callId.toString();
        List<ConsumerRecord<String, String>> records = kafka.read("payment-events", key, r -> r.size() >= count, WAIT);
        assertEquals(count, records.size(), "payment-events of call " + key + ": " + values(records));
        List<ConsumerRecord<String, String>> settled = kafka.read("payment-events", key, r -> r.size() > count, QUIET);
        assertEquals(count, settled.size(), "no more payment-events of call " + key + ": " + values(settled));
        return settled.stream()
                .map(record -> {
                    assertEquals(key, record.key());
                    assertEquals(List.of(), EventContract.load().violations(record.value()), record.value());
                    JsonNode event = parse(record.value());
                    assertEquals(
                            event.get("type").asText(),
                            new String(record.headers().lastHeader("event-type").value(), StandardCharsets.UTF_8));
                    assertEquals(
                            event.get("eventId").asText(),
                            new String(record.headers().lastHeader("event-id").value(), StandardCharsets.UTF_8));
                    return event;
                })
                .toList();
    }

    /** The dead-lettered records about the call, once there are {@code count}. */
    public List<ConsumerRecord<String, String>> deadLetters(Object callId, int count) {
        return kafka.read("payment-service.dlq", callId.toString(), r -> r.size() >= count, WAIT);
    }

    @Override
    public void close() {
        kafka.close();
    }

    private static List<String> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
