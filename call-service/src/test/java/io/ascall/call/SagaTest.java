package io.ascall.call;

import static io.ascall.call.support.Calls.api;
import static io.ascall.call.support.Calls.newCall;
import static io.ascall.call.support.Calls.post;
import static io.ascall.call.support.Calls.uniqueCustomer;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.ascall.call.support.CallServiceTest;
import io.ascall.call.support.EngineerEventFactory;
import io.ascall.local.EventContract;
import io.ascall.local.LocalEnvironment;
import io.ascall.local.TopicProbe;

/**
 * call-service in the saga, over the real Kafka broker: the events it publishes (through its
 * outbox) and how it follows engineer-service's events, written here with a plain producer so
 * that duplicates, reordering and garbage can be injected.
 */
@CallServiceTest
class SagaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static TopicProbe kafka;

    @BeforeAll
    static void connect() {
        kafka = new TopicProbe(LocalEnvironment.shared().kafka().bootstrapServers());
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    private static String paidCall() {
        return post(newCall(uniqueCustomer("saga-")))
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getString("id");
    }

    private static void awaitStatus(String callId, String status) {
        await().atMost(WAIT)
                .untilAsserted(() -> api().get("/calls/" + callId).then().body("status", equalTo(status)));
    }

    private static List<JsonNode> callEvents(String callId, int count) {
        return kafka.values("call-events", callId, count, WAIT).stream()
                .map(SagaTest::parse)
                .toList();
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aPaidCallPublishesCallRequestedThenCallPaidKeyedByTheCallAndMatchingTheContract() {
        String callId = paidCall();
        List<ConsumerRecord<String, String>> records = kafka.read("call-events", callId, r -> r.size() >= 2, WAIT);
        assertEquals(2, records.size());
        for (ConsumerRecord<String, String> record : records) {
            assertEquals(callId, record.key());
            assertEquals(List.of(), EventContract.load().violations(record.value()), record.value());
            assertEquals(
                    parse(record.value()).get("type").asText(),
                    new String(record.headers().lastHeader("event-type").value(), StandardCharsets.UTF_8));
        }
        JsonNode requested = parse(records.get(0).value());
        JsonNode paid = parse(records.get(1).value());
        assertEquals("CallRequested", requested.get("type").asText());
        assertEquals(1, requested.get("sequence").asLong());
        assertEquals("WASHER", requested.get("applianceType").asText());
        assertEquals(30000, requested.get("fee").asLong());
        assertEquals("CallPaid", paid.get("type").asText());
        assertEquals(2, paid.get("sequence").asLong());
        assertEquals(
                api().get("/calls/" + callId).jsonPath().getString("paymentId"),
                paid.get("paymentId").asText());
    }

    @Test
    void aDeclinedCallPublishesCallPaymentFailed() {
        String callId = post(newCall(uniqueCustomer("declined-saga-")))
                .then()
                .statusCode(422)
                .extract()
                .jsonPath()
                .getString("callId");
        List<JsonNode> events = callEvents(callId, 2);
        assertEquals("CallPaymentFailed", events.get(1).get("type").asText());
        assertEquals("PAYMENT_DECLINED", events.get(1).get("failureReason").asText());
        assertEquals(List.of(), EventContract.load().violations(events.get(1).toString()));
    }

    @Test
    void theCallFollowsItsEngineerFromOfferToCompletion() {
        String callId = paidCall();
        EngineerEventFactory engineer = new EngineerEventFactory(callId);

        kafka.send("engineer-events", callId, engineer.assigned());
        awaitStatus(callId, "ENGINEER_ASSIGNED");
        api().get("/calls/" + callId)
                .then()
                .body("engineerName", equalTo("Kim Min-jun"))
                .body("assignmentId", notNullValue())
                .body("offersMade", equalTo(1));

        kafka.send("engineer-events", callId, engineer.accepted());
        awaitStatus(callId, "DISPATCHED");
        kafka.send("engineer-events", callId, engineer.completed());
        awaitStatus(callId, "COMPLETED");
    }

    /**
     * /q/metrics counts each step of the call once, after its commit: the transitions, the time to
     * dispatch, the events the relay published; and shows the payment breaker closed.
     */
    @Test
    void eachStepOfTheCallIsCountedOnceOnTheMetrics() {
        List<String> counted = List.of(
                "ascall_call_transitions_total{from=\"none\",to=\"REQUESTED\"}",
                "ascall_call_transitions_total{from=\"REQUESTED\",to=\"PAID\"}",
                "ascall_call_transitions_total{from=\"PAID\",to=\"ENGINEER_ASSIGNED\"}",
                "ascall_call_transitions_total{from=\"ENGINEER_ASSIGNED\",to=\"DISPATCHED\"}",
                "ascall_call_transitions_total{from=\"DISPATCHED\",to=\"COMPLETED\"}",
                "ascall_call_dispatch_seconds_count",
                "ascall_events_published_total{type=\"CallPaid\"}");
        List<Double> before = counted.stream().map(SagaTest::metric).toList();
        String callId = paidCall();
        EngineerEventFactory engineer = new EngineerEventFactory(callId);
        kafka.send("engineer-events", callId, engineer.assigned());
        kafka.send("engineer-events", callId, engineer.accepted());
        kafka.send("engineer-events", callId, engineer.completed());
        awaitStatus(callId, "COMPLETED");
        await().atMost(WAIT)
                .untilAsserted(() -> assertEquals(
                        before.stream().map(count -> count + 1).toList(),
                        counted.stream().map(SagaTest::metric).toList(),
                        String.join(", ", counted)));
        assertEquals(1.0, metric("ascall_circuit_breaker_state{breaker=\"payment-charge\",state=\"closed\"}"));
    }

    /** A sample's value in /q/metrics (Prometheus text), 0 when it is not there yet. */
    static double metric(String sample) {
        String text = api().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String line : text.split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1).trim());
            }
        }
        return 0;
    }

    @Test
    void aRejectedOfferPutsTheCallBackToPaidUntilTheNextEngineer() {
        String callId = paidCall();
        EngineerEventFactory first = new EngineerEventFactory(callId);
        kafka.send("engineer-events", callId, first.assigned());
        kafka.send("engineer-events", callId, first.rejected());
        awaitStatus(callId, "PAID");
        api().get("/calls/" + callId).then().body("assignmentId", equalTo(null)).body("offersMade", equalTo(1));
    }

    @Test
    void duplicatedAndReorderedEventsChangeNothing() {
        String callId = paidCall();
        EngineerEventFactory engineer = new EngineerEventFactory(callId);
        String assigned = engineer.assigned();
        String accepted = engineer.accepted();

        // #2 before #1, and #1 twice: the call still goes PAID -> ENGINEER_ASSIGNED -> DISPATCHED once
        kafka.send("engineer-events", callId, accepted);
        kafka.send("engineer-events", callId, assigned);
        kafka.send("engineer-events", callId, assigned);
        awaitStatus(callId, "DISPATCHED");
        kafka.send("engineer-events", callId, accepted);
        kafka.send("engineer-events", callId, engineer.completed());
        awaitStatus(callId, "COMPLETED");
        api().get("/calls/" + callId).then().body("offersMade", equalTo(1));
    }

    @Test
    void noEngineerAvailableCancelsTheCallAndAsksForTheRefund() {
        String callId = paidCall();
        EngineerEventFactory engineer = new EngineerEventFactory(callId);
        kafka.send("engineer-events", callId, engineer.noEngineerAvailable());
        awaitStatus(callId, "CANCELLED");
        api().get("/calls/" + callId).then().body("cancellationReason", equalTo("NO_ENGINEER"));

        List<JsonNode> events = callEvents(callId, 3);
        assertEquals("CallCancelled", events.get(2).get("type").asText());
        assertEquals("NO_ENGINEER", events.get(2).get("reason").asText());
        assertEquals(3, events.get(2).get("sequence").asLong());
    }

    @Test
    void aCustomerCancelsBeforeDispatchOnceAndNotAfter() {
        String callId = paidCall();
        api().post("/calls/" + callId + "/cancel")
                .then()
                .statusCode(200)
                .body("status", equalTo("CANCELLED"))
                .body("cancellationReason", equalTo("CUSTOMER"));
        api().post("/calls/" + callId + "/cancel").then().statusCode(200).body("status", equalTo("CANCELLED"));
        List<JsonNode> events = kafka.read("call-events", callId, r -> r.size() >= 4, Duration.ofSeconds(3)).stream()
                .map(r -> parse(r.value()))
                .toList();
        assertEquals(
                List.of("CallRequested", "CallPaid", "CallCancelled"),
                events.stream().map(e -> e.get("type").asText()).toList(),
                "one CallCancelled, however often cancelled");

        String dispatched = paidCall();
        EngineerEventFactory engineer = new EngineerEventFactory(dispatched);
        kafka.send("engineer-events", dispatched, engineer.assigned());
        kafka.send("engineer-events", dispatched, engineer.accepted());
        awaitStatus(dispatched, "DISPATCHED");
        api().post("/calls/" + dispatched + "/cancel")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:ascall:problem:conflict"))
                .body("callStatus", equalTo("DISPATCHED"));
        api().get("/calls/" + dispatched).then().body("status", equalTo("DISPATCHED"));
        api().post("/calls/" + UUID.randomUUID() + "/cancel").then().statusCode(404);
    }

    @Test
    void anOfferAcceptedAfterTheCustomerCancelledDoesNotDispatch() {
        String callId = paidCall();
        EngineerEventFactory engineer = new EngineerEventFactory(callId);
        kafka.send("engineer-events", callId, engineer.assigned());
        awaitStatus(callId, "ENGINEER_ASSIGNED");
        api().post("/calls/" + callId + "/cancel").then().statusCode(200);
        kafka.send("engineer-events", callId, engineer.accepted());
        // the acceptance was applied (not merely not yet read) and changed nothing
        await().atMost(WAIT).until(() -> lastAppliedEngineerEvent(callId) == 2);
        api().get("/calls/" + callId).then().body("status", equalTo("CANCELLED"));
    }

    /** The number of engineer-service's last event call-service's inbox applied for the call. */
    private static long lastAppliedEngineerEvent(String callId) throws java.sql.SQLException {
        var postgres = LocalEnvironment.shared().postgres();
        try (var db = java.sql.DriverManager.getConnection(
                        postgres.jdbcUrl("call"), postgres.username(), postgres.password());
                var query = db.prepareStatement(
                        "select last_sequence from event_stream where source = 'engineer-service' and call_id = ?")) {
            query.setObject(1, UUID.fromString(callId));
            try (var rows = query.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0;
            }
        }
    }

    @Test
    void aRefundIsRecordedOnTheCall() {
        String callId = paidCall();
        // payment-service's own PaymentApproved of the call is #1; this comes after it
        String refunded = JSON.createObjectNode()
                .put("eventId", UUID.randomUUID().toString())
                .put("type", "PaymentRefunded")
                .put("callId", callId)
                .put("occurredAt", java.time.Instant.now().toString())
                .put("source", "payment-service")
                .put("sequence", 2)
                .put("paymentId", UUID.randomUUID().toString())
                .put("amount", 30000)
                .put("currency", "KRW")
                .toString();
        kafka.send("payment-events", callId, refunded);
        await().atMost(WAIT)
                .untilAsserted(() -> api().get("/calls/" + callId).then().body("refundedAt", notNullValue()));
    }

    @Test
    void unreadableAndUnknownRecordsGoToTheDeadLetterTopicAndTheChannelGoesOn() {
        String callId = paidCall();
        EngineerEventFactory engineer = new EngineerEventFactory(callId);
        kafka.send("engineer-events", callId, "{not json");
        kafka.send("engineer-events", callId, engineer.unknownType());
        kafka.send("engineer-events", callId, engineer.assigned());
        awaitStatus(callId, "ENGINEER_ASSIGNED");

        List<ConsumerRecord<String, String>> dead = kafka.read("call-service.dlq", callId, r -> r.size() >= 2, WAIT);
        assertEquals(2, dead.size(), "both bad records are dead-lettered");
        List<String> reasons = dead.stream()
                .map(r ->
                        new String(r.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                .toList();
        assertTrue(reasons.get(0).contains("not JSON"), reasons.toString());
        assertTrue(reasons.get(1).contains("unknown event type 'EngineerTeleported'"), reasons.toString());
    }

    @Test
    void anEventMissingItsOwnFieldsIsDeadLetteredWithoutHoldingUpTheCallsLaterEvents() {
        String callId = paidCall();
        EngineerEventFactory engineer = new EngineerEventFactory(callId);
        kafka.send("engineer-events", callId, engineer.assignedWithoutEngineer());
        kafka.send("engineer-events", callId, engineer.assigned());
        awaitStatus(callId, "ENGINEER_ASSIGNED");
        List<ConsumerRecord<String, String>> dead = kafka.read("call-service.dlq", callId, r -> r.size() >= 1, WAIT);
        assertEquals(1, dead.size());
        assertEquals(
                "EngineerAssigned without 'engineerId'",
                new String(
                        dead.get(0).headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8));
    }

    @Test
    void operatorsListCallsStuckInAStep() {
        String callId = paidCall();
        api().queryParam("stuckFor", "PT0S")
                .queryParam("size", 100)
                .get("/calls")
                .then()
                .statusCode(200)
                .body("items.id", hasItem(callId));
        api().queryParam("stuckFor", "PT1H")
                .queryParam("size", 100)
                .get("/calls")
                .then()
                .statusCode(200)
                .body("items.id", not(hasItem(callId)));
        api().queryParam("stuckFor", "ten minutes")
                .get("/calls")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("stuckFor"));
    }
}
