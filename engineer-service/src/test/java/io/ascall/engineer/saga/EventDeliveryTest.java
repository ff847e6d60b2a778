package io.ascall.engineer.saga;

import static io.ascall.engineer.support.Engineers.act;
import static io.ascall.engineer.support.Engineers.assignmentsOf;
import static io.ascall.engineer.support.Engineers.awaitOffers;
import static io.ascall.engineer.support.Engineers.register;
import static io.ascall.engineer.support.Engineers.uniqueRegion;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.hamcrest.MatcherAssert;
import org.junit.jupiter.api.Test;

import io.ascall.engineer.support.Database;
import io.ascall.engineer.support.EngineerServiceTest;
import io.ascall.engineer.support.Kafka;
import io.ascall.engineer.support.TestCall;
import io.ascall.local.EventContract;

/**
 * The events, as another service sees them on Kafka: keyed by call id, numbered per call, with
 * the fields of docs/asyncapi.yaml; and what engineer-service does with redelivered, reordered,
 * unreadable and unknown records.
 */
@EngineerServiceTest
class EventDeliveryTest {

    @Test
    void eventsAreKeyedByCallNumberedAndAsTheContractSays() {
        String region = uniqueRegion("contract");
        register("Hwang", region, "WASHER");
        register("Song", region, "WASHER");
        TestCall call = new TestCall("WASHER", region).requestAndPay();
        Map<String, Object> offer = awaitOffers(call.id, 1).get(0);
        act((String) offer.get("id"), "reject", (String) offer.get("engineerId"))
                .statusCode(200);
        Map<String, Object> next = awaitOffers(call.id, 2).get(0);
        act((String) next.get("id"), "accept", (String) next.get("engineerId")).statusCode(200);
        act((String) next.get("id"), "complete", (String) next.get("engineerId"))
                .statusCode(200);

        List<Kafka.Received> events = Kafka.awaitEvents(call.id, 5);
        assertEquals(
                List.of(
                        "EngineerAssigned",
                        "AssignmentRejected",
                        "EngineerAssigned",
                        "AssignmentAccepted",
                        "ServiceCompleted"),
                events.stream().map(Kafka.Received::type).toList());
        assertEquals(
                1, events.stream().map(Kafka.Received::partition).distinct().count(), "one partition per call");
        for (int i = 0; i < events.size(); i++) {
            Map<String, Object> event = events.get(i).json();
            assertEquals(call.id.toString(), events.get(i).key(), "the key is the call id");
            assertEquals(call.id.toString(), event.get("callId"));
            assertEquals("engineer-service", event.get("source"));
            assertEquals(i + 1, ((Number) event.get("sequence")).intValue());
            assertMatchesContract(events.get(i));
        }
        assertEquals(
                5,
                new HashSet<>(events.stream()
                                .map(event -> event.json().get("eventId"))
                                .toList())
                        .size(),
                "every event has an id of its own");
        assertEquals(next.get("engineerName"), events.get(2).json().get("engineerName"));
    }

    @Test
    void noEngineerAvailableIsAsTheContractSays() {
        TestCall call = new TestCall("TV", uniqueRegion("contract-nobody")).requestAndPay();
        Kafka.Received event = Kafka.awaitEvents(call.id, 1).get(0);
        assertEquals("NoEngineerAvailable", event.type());
        assertMatchesContract(event);
    }

    @Test
    void withdrawalIsAsTheContractSays() {
        String region = uniqueRegion("contract-withdrawn");
        register("Yang", region, "OVEN");
        TestCall call = new TestCall("OVEN", region).requestAndPay();
        awaitOffers(call.id, 1);
        call.send(call.cancelled("CUSTOMER"));
        Kafka.Received event = Kafka.awaitEvents(call.id, 2).get(1);
        assertEquals("AssignmentWithdrawn", event.type());
        assertMatchesContract(event);
    }

    @Test
    void aRedeliveredEventChangesNothing() {
        String region = uniqueRegion("duplicate");
        register("Son", region, "DRYER");
        register("Go", region, "DRYER");
        TestCall call = new TestCall("DRYER", region);
        Map<String, Object> requested = call.requested();
        Map<String, Object> paid = call.paid();
        call.send(requested, requested, paid, paid, requested, paid);

        awaitOffers(call.id, 1);
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(5))
                .until(() -> Kafka.eventsOf(call.id).size(), equalTo(1));
        assertEquals(1, assignmentsOf(call.id).size());
    }

    @Test
    void anEventThatArrivesEarlyWaitsForTheOnesBeforeIt() {
        String region = uniqueRegion("reorder");
        register("Lim", region, "MICROWAVE");
        TestCall call = new TestCall("MICROWAVE", region);
        Map<String, Object> requested = call.requested();
        Map<String, Object> paid = call.paid();

        call.send(paid);
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(5))
                .until(() -> assignmentsOf(call.id), hasSize(0));
        assertNull(Database.dispatchState(call.id), "CallPaid was applied before CallRequested");

        call.send(requested, paid);
        awaitOffers(call.id, 1);
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(5))
                .until(() -> Kafka.eventsOf(call.id).size(), equalTo(1));
    }

    @Test
    void aCancellationThatOvertakesThePaymentStillWithdrawsTheOffer() {
        String region = uniqueRegion("overtaken");
        register("Jeon", region, "REFRIGERATOR");
        TestCall call = new TestCall("REFRIGERATOR", region);
        Map<String, Object> requested = call.requested();
        Map<String, Object> paid = call.paid();
        Map<String, Object> cancelled = call.cancelled("CUSTOMER");

        call.send(cancelled, requested, cancelled);
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(5))
                .until(() -> Database.dispatchState(call.id), equalTo("AWAITING_PAYMENT"));
        call.send(paid);

        assertEquals(
                List.of("EngineerAssigned", "AssignmentWithdrawn"),
                Kafka.awaitEvents(call.id, 2).stream().map(Kafka.Received::type).toList());
        assertEquals("CANCELLED", Database.dispatchState(call.id));
    }

    @Test
    void unreadableAndUnknownRecordsAreDeadLetteredAndTheChannelGoesOn() {
        String garbageKey = UUID.randomUUID().toString();
        Kafka.sendCallEvent(garbageKey, "this is not JSON {");

        String region = uniqueRegion("dlq");
        register("Ko", region, "TV");
        TestCall call = new TestCall("TV", region);
        Map<String, Object> unknown = call.requested();
        unknown.put("type", "CallTeleported");
        call.send(unknown);
        call.send(call.requested(), call.paid());

        List<Kafka.Received> garbage =
                await().atMost(Duration.ofSeconds(20)).until(() -> Kafka.deadLetters(garbageKey), hasSize(1));
        assertEquals("this is not JSON {", garbage.get(0).value());
        MatcherAssert.assertThat(garbage.get(0).headers().get("dead-letter-reason"), containsString("not JSON"));

        List<Kafka.Received> teleported =
                await().atMost(Duration.ofSeconds(20)).until(() -> Kafka.deadLetters(call.id.toString()), hasSize(1));
        assertEquals("CallTeleported", teleported.get(0).json().get("type"));
        MatcherAssert.assertThat(
                teleported.get(0).headers().get("dead-letter-reason"), containsString("unknown event type"));

        // the unknown event took its place in the call's order: the events after it are applied
        assertEquals("EngineerAssigned", Kafka.awaitEvents(call.id, 1).get(0).type());
    }

    @Test
    void aPaidCallWaitingBehindAnEventOfAnUnknownTypeIsOfferedWhenThatEventFillsTheGap() {
        String region = uniqueRegion("gap-unknown");
        register("Kang", region, "WASHER");
        TestCall call = new TestCall("WASHER", region);
        Map<String, Object> requested = call.requested();
        Map<String, Object> unknown = call.requested();
        unknown.put("type", "CallTeleported");
        Map<String, Object> paid = call.paid();
        call.send(requested, paid);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> Database.dispatchState(call.id), equalTo("AWAITING_PAYMENT"));
        call.send(unknown);

        assertEquals(
                "EngineerAssigned",
                Kafka.awaitEvents(call.id, 1).get(0).type(),
                "the parked CallPaid is applied by its own step once the unknown event took its place");
        List<Kafka.Received> dead =
                await().atMost(Duration.ofSeconds(20)).until(() -> Kafka.deadLetters(call.id.toString()), hasSize(1));
        assertEquals("CallTeleported", dead.get(0).json().get("type"));
    }

    @Test
    void aPaidCallWhoseRequestWasDeadLetteredIsDeadLetteredWithAReasonAndItsPartitionGoesOn() {
        String region = uniqueRegion("poison");
        register("Moon", region, "TV");
        // an appliance call-service knows and engineer-service does not: CallRequested cannot be read
        TestCall poisoned = new TestCall("HOVERCRAFT", region).requestAndPay();
        TestCall next = new TestCall("TV", region);
        while (Kafka.partitionOf(next.id) != Kafka.partitionOf(poisoned.id)) {
            next = new TestCall("TV", region);
        }
        next.requestAndPay();

        List<Kafka.Received> dead = await().atMost(Duration.ofSeconds(30))
                .until(() -> Kafka.deadLetters(poisoned.id.toString()), hasSize(2));
        assertEquals(
                List.of("CallRequested", "CallPaid"),
                dead.stream().map(d -> d.json().get("type")).toList());
        MatcherAssert.assertThat(dead.get(1).headers().get("dead-letter-reason"), containsString("CallRequested"));
        assertEquals(
                "EngineerAssigned",
                Kafka.awaitEvents(next.id, 1).get(0).type(),
                "a later call of the same partition is still offered");
        assertEquals(List.of(), Kafka.eventsOf(poisoned.id));
    }

    private static final Set<String> ENVELOPE = Set.of("eventId", "type", "callId", "occurredAt", "source", "sequence");

    /**
     * The event matches its schema in docs/asyncapi.yaml (formats included), and has no field the
     * schema does not declare (the schemas allow additional properties; we publish none).
     */
    private static void assertMatchesContract(Kafka.Received event) {
        assertEquals(List.of(), EventContract.load().violations(event.value()), event.type() + ": " + event.value());
        Set<String> fields = new HashSet<>(ENVELOPE);
        fields.addAll(
                switch (event.type()) {
                    case "EngineerAssigned" -> Set.of("assignmentId", "engineerId", "engineerName", "expiresAt");
                    case "NoEngineerAvailable" -> Set.of("offersMade");
                    default -> Set.of("assignmentId", "engineerId");
                });
        assertEquals(fields, event.json().keySet(), event.type());
    }
}
