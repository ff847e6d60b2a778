package io.ascall.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
    void duplicatedAndReorderedDeliveriesChangeNothing() {
        String region = SagaClient.uniqueRegion();
        String engineer = saga.registerEngineer("Han Ji-woo", region, "OVEN");
        String callId = saga.paidCall("OVEN", region);
        saga.awaitAssignment(engineer, callId, "OFFERED");
        saga.cancel(callId).then().statusCode(200);
        saga.awaitPayment(callId, "REFUNDED");
        saga.awaitRefundRecorded(callId);
        Map<String, Long> before = distinctEvents(callId);

        // every event of the call, again, in reverse order
        List<ConsumerRecord<String, String>> all = new ArrayList<>();
        for (String topic : TOPICS) {
            all.addAll(kafka.read(topic, callId, r -> false, Duration.ofSeconds(2)));
        }
        Collections.reverse(all);
        for (ConsumerRecord<String, String> record : all) {
            kafka.send(record.topic(), record.key(), record.value());
        }

        // a later call through the same services proves the redeliveries were consumed
        String marker = saga.paidCall("OVEN", region);
        saga.awaitAssignment(engineer, marker, "OFFERED");
        assertEquals("CANCELLED", saga.call(callId).getString("status"));
        assertEquals("REFUNDED", saga.payment(callId).get("status"));
        assertEquals(1, saga.assignmentsOf(engineer).stream().filter(a -> callId.equals(a.get("callId"))).count());
        assertEquals(before, distinctEvents(callId), "redelivered events produced new events");
    }

    @Test
    void servicesKilledMidSagaLoseNothingAndChargeOrRefundNothingTwice() {
        String region = SagaClient.uniqueRegion();
        List<String> engineers = List.of(saga.registerEngineer("Lim Eun-ji", region, "WASHER"),
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
            long offers = engineers.stream().flatMap(e -> saga.assignmentsOf(e).stream())
                    .filter(a -> callId.equals(a.get("callId"))).count();
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
        ids.forEach((callId, byType) -> byType.forEach((type, eventIds) -> counts
                .computeIfAbsent(callId, key -> new HashMap<>()).put(type, (long) eventIds.size())));
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
