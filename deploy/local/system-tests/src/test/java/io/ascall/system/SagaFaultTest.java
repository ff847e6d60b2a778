package io.ascall.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.ascall.local.TopicProbe;

/**
 * What real deployments live through: Kafka redelivering and reordering, a process killed with
 * SIGKILL in the middle of the saga, Kafka stopped under traffic. Every call must still reach
 * its expected state, and no payment may be charged or refunded twice.
 */
class SagaFaultTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TOPICS = List.of("call-events", "payment-events", "engineer-events");
    private static final Duration READY = Duration.ofSeconds(120);

    private static SagaSystem system;
    private static SagaClient saga;
    private static TopicProbe kafka;

    @BeforeAll
    static void startTheSystem() {
        // offers do not expire here: every call's offer stands until the test acts on it
        system = SagaSystem.start("faults", Duration.ofMinutes(10));
        saga = new SagaClient(system);
        kafka = new TopicProbe(system.kafka.bootstrapServers());
    }

    @AfterAll
    static void stopTheSystem() {
        if (kafka != null) {
            kafka.close();
        }
        if (system != null) {
            system.close();
        }
    }

    @Test
    void redeliveredEventsAreSkippedByEveryServiceAndChangeNothing() {
        String region = SagaClient.uniqueRegion();
        String engineer = saga.registerEngineer("Han Ji-woo", region, "OVEN");
        String callId = saga.paidCall("OVEN", region);
        saga.awaitAssignment(engineer, callId, "OFFERED");
        saga.cancel(callId).then().statusCode(200);
        saga.awaitPayment(callId, "REFUNDED");
        saga.awaitRefundRecorded(callId);
        Map<String, Long> before = distinctEvents(callId);

        // every event of the call, again (the same event ids), in reverse order
        List<ConsumerRecord<String, String>> all = new ArrayList<>();
        for (String topic : TOPICS) {
            all.addAll(kafka.read(topic, callId, r -> false, Duration.ofSeconds(2)));
        }
        Collections.reverse(all);
        for (ConsumerRecord<String, String> record : all) {
            kafka.send(record.topic(), record.key(), record.value());
        }

        // every consumer group has committed past the redeliveries: they were read and skipped
        awaitConsumedUpToNow();
        assertEquals("CANCELLED", saga.call(callId).getString("status"));
        assertEquals("REFUNDED", saga.payment(callId).get("status"));
        assertEquals(
                1,
                saga.assignmentsOf(engineer).stream()
                        .filter(a -> callId.equals(a.get("callId")))
                        .count());
        assertEquals(before, distinctEvents(callId), "redelivered events produced new events");
    }

    @Test
    void eventsArrivingInReverseOrderAreParkedAndAppliedInTheirSourcesOrder() {
        String region = SagaClient.uniqueRegion();
        String engineer = saga.registerEngineer("Seo Min-jun", region, "DRYER");
        // call-service's two events of a call, as its outbox would publish them, arriving last first:
        // engineer-service must park CallPaid #2 until CallRequested #1, then offer the call once
        String callId = UUID.randomUUID().toString();
        ObjectNode requested = callEvent(callId, 1, "CallRequested")
                .put("customerId", "reordered-customer")
                .put("applianceType", "DRYER")
                .put("region", region)
                .put("address", "1 Haeundae-ro")
                .put("fee", 30000)
                .put("currency", "KRW");
        requested.putNull("description");
        ObjectNode paid = callEvent(callId, 2, "CallPaid")
                .put("paymentId", UUID.randomUUID().toString());
        kafka.send("call-events", callId, paid.toString());
        awaitConsumedUpToNow();
        assertEquals(
                0,
                saga.assignmentsOf(engineer).stream()
                        .filter(a -> callId.equals(a.get("callId")))
                        .count(),
                "CallPaid was applied before CallRequested");
        kafka.send("call-events", callId, requested.toString());

        saga.awaitAssignment(engineer, callId, "OFFERED");
        awaitConsumedUpToNow();
        assertEquals(
                1,
                saga.assignmentsOf(engineer).stream()
                        .filter(a -> callId.equals(a.get("callId")))
                        .count());
        assertEquals(Map.of("EngineerAssigned", 1L, "CallRequested", 1L, "CallPaid", 1L), distinctEvents(callId));
    }

    private static ObjectNode callEvent(String callId, long sequence, String type) {
        return JSON.createObjectNode()
                .put("eventId", UUID.randomUUID().toString())
                .put("type", type)
                .put("callId", callId)
                .put("occurredAt", Instant.now().toString())
                .put("source", "call-service")
                .put("sequence", sequence);
    }

    /**
     * Waits until every service's consumer group has committed, on every partition of the topics
     * it reads, an offset at least the topic's end as it is now: everything sent so far was read
     * and its processing finished (the throttled commit strategy commits only processed records).
     */
    private static void awaitConsumedUpToNow() {
        Map<String, List<String>> readers = Map.of(
                "call-service",
                List.of("engineer-events", "payment-events"),
                "engineer-service",
                List.of("call-events"),
                "payment-service",
                List.of("call-events"));
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, system.kafka.bootstrapServers());
        try (Admin admin = Admin.create(config)) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (String topic : TOPICS) {
                admin.describeTopics(List.of(topic))
                        .allTopicNames()
                        .get()
                        .get(topic)
                        .partitions()
                        .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            }
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((partition, info) -> ends.put(partition, info.offset()));
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> {
                        for (Map.Entry<String, List<String>> reader : readers.entrySet()) {
                            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(
                                            reader.getKey())
                                    .partitionsToOffsetAndMetadata()
                                    .get();
                            ends.forEach((partition, end) -> {
                                if (end > 0 && reader.getValue().contains(partition.topic())) {
                                    OffsetAndMetadata offset = committed.get(partition);
                                    assertTrue(
                                            offset != null && offset.offset() >= end,
                                            reader.getKey() + " has not consumed " + partition + " up to " + end + ": "
                                                    + offset);
                                }
                            });
                        }
                    });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void servicesKilledMidSagaLoseNothingAndChargeOrRefundNothingTwice() {
        String region = SagaClient.uniqueRegion();
        List<String> engineers = List.of(
                saga.registerEngineer("Lim Eun-ji", region, "WASHER"),
                saga.registerEngineer("Oh Sung-min", region, "WASHER"));
        List<String> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calls.add(saga.paidCall("WASHER", region));
        }
        system.engineer.kill();
        system.engineer.restart();
        system.engineer.awaitReady(READY);
        for (String callId : calls) {
            saga.awaitCall(callId, "ENGINEER_ASSIGNED");
        }

        for (String callId : calls) {
            saga.cancel(callId).then().statusCode(200);
        }
        system.payment.kill();
        system.call.kill();
        system.payment.restart();
        system.call.restart();
        system.payment.awaitReady(READY);
        system.call.awaitReady(READY);

        for (String callId : calls) {
            saga.awaitPayment(callId, "REFUNDED");
            saga.awaitRefundRecorded(callId);
        }
        Map<String, Map<String, Long>> eventsByCall = distinctEventsByCall();
        for (String callId : calls) {
            assertEquals("CANCELLED", saga.call(callId).getString("status"));
            Map<String, Long> events = eventsByCall.get(callId);
            assertEquals(1L, events.getOrDefault("PaymentApproved", 0L), "charged once: " + events);
            assertEquals(1L, events.getOrDefault("PaymentRefunded", 0L), "refunded once: " + events);
            assertEquals(1L, events.getOrDefault("CallCancelled", 0L), events.toString());
            long offers = engineers.stream()
                    .flatMap(e -> saga.assignmentsOf(e).stream())
                    .filter(a -> callId.equals(a.get("callId")))
                    .count();
            assertEquals(1, offers, "offered once: " + callId);
        }
    }

    @Test
    void kafkaStoppedAndRestartedUnderTrafficLosesNothing() {
        String region = SagaClient.uniqueRegion();
        saga.registerEngineer("Seo Min-ho", region, "MICROWAVE");
        saga.registerEngineer("Bae Soo-ah", region, "MICROWAVE");
        List<String> calls = new ArrayList<>();
        calls.add(saga.paidCall("MICROWAVE", region));
        system.kafka.stop();
        try {
            // the synchronous path goes on without Kafka; the events wait in the outboxes
            for (int i = 0; i < 4; i++) {
                calls.add(saga.paidCall("MICROWAVE", region));
            }
        } finally {
            system.kafka.restart();
        }
        calls.add(saga.paidCall("MICROWAVE", region));
        for (String callId : calls) {
            saga.awaitCall(callId, "ENGINEER_ASSIGNED");
        }
        Map<String, Map<String, Long>> eventsByCall = distinctEventsByCall();
        for (String callId : calls) {
            Map<String, Long> events = eventsByCall.get(callId);
            assertEquals(1L, events.get("CallRequested"), events.toString());
            assertEquals(1L, events.get("PaymentApproved"), events.toString());
            assertEquals(1L, events.get("CallPaid"), events.toString());
            assertEquals(1L, events.get("EngineerAssigned"), events.toString());
        }
    }

    /** How many distinct events (by id) of each type the call has on all topics; redeliveries count once. */
    private static Map<String, Long> distinctEvents(String callId) {
        return distinctEventsByCall().getOrDefault(callId, Map.of());
    }

    /** Per call, how many distinct events of each type all three topics hold. */
    private static Map<String, Map<String, Long>> distinctEventsByCall() {
        Map<String, Map<String, Set<String>>> ids = new HashMap<>();
        for (String topic : TOPICS) {
            for (ConsumerRecord<String, String> record : kafka.read(topic, null, r -> false, Duration.ofSeconds(3))) {
                JsonNode event = parse(record.value());
                ids.computeIfAbsent(record.key(), key -> new HashMap<>())
                        .computeIfAbsent(event.get("type").asText(), type -> new HashSet<>())
                        .add(event.get("eventId").asText());
            }
        }
        Map<String, Map<String, Long>> counts = new HashMap<>();
        ids.forEach((callId, byType) -> byType.forEach((type, eventIds) ->
                counts.computeIfAbsent(callId, key -> new HashMap<>()).put(type, (long) eventIds.size())));
        return counts;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
