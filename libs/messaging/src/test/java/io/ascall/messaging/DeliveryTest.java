package io.ascall.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.ascall.events.ApplianceType;
import io.ascall.events.CallCancelled;
import io.ascall.events.CallEvent;
import io.ascall.events.CallPaid;
import io.ascall.events.CallRequested;
import io.ascall.events.CancellationReason;
import io.ascall.events.EventCodec;
import io.ascall.local.LocalEnvironment;
import io.ascall.local.LocalEnvironmentResource;
import io.ascall.local.TopicProbe;
import io.ascall.messaging.app.TestSteps;
import io.ascall.messaging.app.TestSteps.Fault;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The receiving side of the mechanism on the real Kafka and PostgreSQL: records written straight
 * to the topic (so that duplicates, reordering and garbage can be made) are applied by the test
 * application's steps through {@link EventReceiver} and {@link Inbox}.
 */
@QuarkusTest
@QuarkusTestResource(
        value = LocalEnvironmentResource.class,
        initArgs = {
            @ResourceArg(name = LocalEnvironmentResource.DATABASE, value = "messaging"),
            @ResourceArg(name = LocalEnvironmentResource.KAFKA, value = "true")
        })
class DeliveryTest {

    static final String TOPIC = "messaging-test.call-events";
    static final String DEAD_LETTERS = "messaging-test.dlq";
    static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TopicProbe kafka;

    @Inject
    TestSteps steps;

    @Inject
    MeterRegistry registry;

    @BeforeAll
    static void connect() {
        kafka = new TopicProbe(LocalEnvironment.shared().kafka().bootstrapServers());
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @Test
    void aRedeliveredEventIsAppliedOnce() {
        UUID call = UUID.randomUUID();
        String requested = event(call, 1, requested());
        send(call, requested);
        send(call, requested);
        send(call, event(call, 2, new CallPaid(UUID.randomUUID())));
        awaitEffects(call, "CallRequested#1", "CallPaid#2");
        send(call, requested);
        assertNothingMoreThan(call, "CallRequested#1", "CallPaid#2");
    }

    @Test
    void eventsArrivingInReverseOrderAreAppliedInOrderEachByTheStepOfItsType() {
        UUID call = UUID.randomUUID();
        send(call, event(call, 3, new CallCancelled(CancellationReason.CUSTOMER)));
        send(call, event(call, 2, new CallPaid(UUID.randomUUID())));
        awaitParked(call, 2);
        send(call, event(call, 1, requested()));
        awaitEffects(call, "CallRequested#1", "CallPaid#2", "CallCancelled#3");
        assertEquals(
                List.of("requested WASHER for alice", "cancelled: CUSTOMER"),
                details(call).stream().filter(d -> !d.startsWith("paid")).toList());
    }

    /**
     * A consumer that stopped after committing an event but before applying the parked one it let
     * through leaves that one waiting; the redelivery of the applied event (a duplicate then)
     * must release it, although an applied event only looks for parked ones when its own
     * transaction saw its successor waiting.
     */
    @Test
    void aParkedEventLeftBehindByAStoppedConsumerIsReleasedByTheRedeliveryOfItsPredecessor() {
        UUID call = UUID.randomUUID();
        String requested = event(call, 1, requested());
        send(call, requested);
        awaitEffects(call, "CallRequested#1");
        // the state such a stop leaves: #1 applied, #2 parked behind it
        execute(
                "insert into deferred_event (source, call_id, sequence, payload, received_at) values ('call-service', ?, 2, ?, now())",
                call,
                event(call, 2, new CallPaid(UUID.randomUUID())));
        send(call, requested);
        awaitEffects(call, "CallRequested#1", "CallPaid#2");
        awaitParked(call, 0);
    }

    @Test
    void aGapFilledByAnEventOfAnUnknownTypeLetsTheParkedEventThroughWithItsOwnStep() {
        UUID call = UUID.randomUUID();
        send(call, event(call, 1, requested()));
        awaitEffects(call, "CallRequested#1");
        send(call, event(call, 3, new CallPaid(UUID.randomUUID())));
        awaitParked(call, 1);
        ObjectNode teleported = envelope(call, 2, "CallTeleported");
        send(call, teleported.toString());
        awaitEffects(call, "CallRequested#1", "CallPaid#3");
        assertTrue(details(call).get(1).startsWith("paid by "), details(call).toString());
        assertDeadLettered(call, "CallTeleported", "unknown event type 'CallTeleported'");
        awaitParked(call, 0);
    }

    @Test
    void aGapFilledByAnEventWithoutItsRequiredFieldsLetsTheParkedEventThrough() {
        UUID call = UUID.randomUUID();
        send(call, event(call, 1, requested()));
        send(call, event(call, 3, new CallCancelled(CancellationReason.NO_ENGINEER)));
        ObjectNode paidWithoutPayment = envelope(call, 2, "CallPaid");
        send(call, paidWithoutPayment.toString());
        awaitEffects(call, "CallRequested#1", "CallCancelled#3");
        assertDeadLettered(call, "CallPaid", "CallPaid without 'paymentId'");
    }

    @Test
    void anUnreadableEventThatComesEarlyIsDeadLetteredAtOnceAndPassedOverInItsTurn() {
        UUID call = UUID.randomUUID();
        send(call, event(call, 1, requested()));
        send(call, envelope(call, 3, "CallTeleported").toString());
        assertDeadLettered(call, "CallTeleported", "unknown event type");
        send(call, event(call, 4, new CallCancelled(CancellationReason.CUSTOMER)));
        send(call, event(call, 2, new CallPaid(UUID.randomUUID())));
        awaitEffects(call, "CallRequested#1", "CallPaid#2", "CallCancelled#4");
    }

    @Test
    void anEventItsStepRefusesIsDeadLetteredAndTheCallsLaterEventsGoOn() {
        UUID call = UUID.randomUUID();
        steps.fail(call, 2, Fault.REFUSE);
        double before = deadLettered("refused");
        send(call, event(call, 1, requested()));
        send(call, event(call, 2, new CallPaid(UUID.randomUUID())));
        send(call, event(call, 3, new CallCancelled(CancellationReason.CUSTOMER)));
        awaitEffects(call, "CallRequested#1", "CallCancelled#3");
        assertDeadLettered(call, "CallPaid", "refused by the test");
        awaitDeadLettered("refused", before + 1);
        assertEquals(1, steps.attempts(call, 2), "a refusal is final: not retried");
    }

    @Test
    void aParkedEventItsStepRefusesWhenItsTurnComesIsDeadLetteredAndTheNextGoesOn() {
        UUID call = UUID.randomUUID();
        steps.fail(call, 3, Fault.REFUSE);
        send(call, event(call, 1, requested()));
        send(call, event(call, 4, new CallCancelled(CancellationReason.CUSTOMER)));
        send(call, event(call, 3, new CallPaid(UUID.randomUUID())));
        awaitParked(call, 2);
        await().atMost(WAIT).untilAsserted(() -> {
            assertTrue(gauge("ascall.inbox.parked") >= 2, "ascall_inbox_parked counts the parked events");
            assertTrue(gauge("ascall.inbox.parked.oldest.age") > 0, "and their age");
        });
        double refusedBefore = deadLettered("refused");
        send(call, event(call, 2, new CallPaid(UUID.randomUUID())));
        awaitEffects(call, "CallRequested#1", "CallPaid#2", "CallCancelled#4");
        List<ConsumerRecord<String, String>> dead = assertDeadLettered(call, "CallPaid", "refused by the test");
        assertEquals(TOPIC.replace("messaging-test.", ""), header(dead.get(0), "dead-letter-topic"));
        awaitDeadLettered("refused", refusedBefore + 1);
        awaitParked(call, 0);
    }

    @Test
    void aStepThatFailsOnceIsRetriedOnItsContextAndApplied() {
        UUID call = UUID.randomUUID();
        steps.fail(call, 1, Fault.ONCE);
        send(call, event(call, 1, requested()));
        send(call, event(call, 2, new CallPaid(UUID.randomUUID())));
        awaitEffects(call, "CallRequested#1", "CallPaid#2");
        assertEquals(2, steps.attempts(call, 1));
    }

    @Test
    void aStepThatAlwaysFailsIsSetAsideAfterItsAttemptsAndTheCallsLaterEventsGoOn() {
        UUID call = UUID.randomUUID();
        steps.fail(call, 2, Fault.ALWAYS);
        double before = deadLettered("gave_up");
        send(call, event(call, 1, requested()));
        send(call, event(call, 2, new CallPaid(UUID.randomUUID())));
        send(call, event(call, 3, new CallCancelled(CancellationReason.CUSTOMER)));
        awaitEffects(call, "CallRequested#1", "CallCancelled#3");
        assertDeadLettered(call, "CallPaid", "failed 4 times");
        assertEquals(4, steps.attempts(call, 2));
        awaitDeadLettered("gave_up", before + 1);
    }

    @Test
    void anUnreadableRecordIsDeadLetteredAndTheChannelGoesOn() {
        UUID call = UUID.randomUUID();
        double before = deadLettered("unreadable");
        kafka.send(TOPIC, call.toString(), "{not json");
        send(call, event(call, 1, requested()));
        awaitEffects(call, "CallRequested#1");
        List<ConsumerRecord<String, String>> dead = kafka.read(DEAD_LETTERS, call.toString(), r -> !r.isEmpty(), WAIT);
        assertTrue(header(dead.get(0), "dead-letter-reason").contains("not JSON"));
        awaitDeadLettered("unreadable", before + 1);
    }

    @Test
    void anEventFromAnotherSourceThanTheTopicsIsDeadLettered() {
        UUID call = UUID.randomUUID();
        ObjectNode impostor = envelope(call, 1, "CallRequested").put("source", "payment-service");
        impostor.setAll(EventCodec.instance().write(requested()));
        send(call, impostor.toString());
        send(call, event(call, 1, requested()));
        awaitEffects(call, "CallRequested#1");
        assertDeadLettered(call, "CallRequested", "where only call-service publishes");
    }

    /**
     * Events polled together are applied in one transaction: their effects share the id of the
     * transaction that wrote them (PostgreSQL's {@code xmin}), once each and in order per call.
     */
    @Test
    void eventsPolledTogetherAreAppliedInOneTransaction() {
        List<UUID> calls = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        for (UUID call : calls) {
            send(call, event(call, 1, requested()));
            send(call, event(call, 2, new CallPaid(UUID.randomUUID())));
        }
        for (UUID call : calls) {
            awaitEffects(call, "CallRequested#1", "CallPaid#2");
        }
        long transactions = calls.stream()
                .flatMap(call -> query("select xmin::text from test_effect where call_id = ?", call).stream())
                .distinct()
                .count();
        assertTrue(transactions < 2 * calls.size(), "8 events applied in " + transactions + " transactions");
    }

    /**
     * When one event of a run fails, the run is rolled back; the events before it are applied
     * again without it, it is retried on its own (its failed attempt counted), and the events
     * after it follow: each applied once, none held up by it.
     */
    @Test
    void anEventFailingInARunIsRetriedAloneAndTheRunsOtherEventsAreAppliedOnce() {
        UUID before = UUID.randomUUID();
        UUID failing = UUID.randomUUID();
        UUID after = UUID.randomUUID();
        steps.fail(failing, 2, Fault.ONCE);
        for (UUID call : List.of(before, failing, after)) {
            send(call, event(call, 1, requested()));
            send(call, event(call, 2, new CallPaid(UUID.randomUUID())));
        }
        for (UUID call : List.of(before, failing, after)) {
            awaitEffects(call, "CallRequested#1", "CallPaid#2");
        }
        assertEquals(2, steps.attempts(failing, 2), "the run's attempt and one retry");
        assertNothingMoreThan(before, "CallRequested#1", "CallPaid#2");
        assertNothingMoreThan(after, "CallRequested#1", "CallPaid#2");
        for (UUID call : List.of(before, failing, after)) {
            assertEquals(
                    List.of(1, 1),
                    List.of(steps.committed(call, 1), steps.committed(call, 2)),
                    "each step's action after its commit ran once, none for the rolled-back run");
        }
    }

    // --- helpers -----------------------------------------------------------------------------

    double deadLettered(String reason) {
        Counter counter = registry.find("ascall.events.dead.lettered")
                .tag("topic", "call-events")
                .tag("reason", reason)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    void awaitDeadLettered(String reason, double expected) {
        await().atMost(WAIT)
                .untilAsserted(() -> assertEquals(
                        expected, deadLettered(reason), "ascall_events_dead_lettered_total{reason=" + reason + "}"));
    }

    double gauge(String name) {
        Gauge gauge = registry.find(name).gauge();
        return gauge == null ? Double.NaN : gauge.value();
    }

    static CallRequested requested() {
        return new CallRequested("alice", ApplianceType.WASHER, "seoul-gangnam", "12 Teheran-ro", null, 30000, "KRW");
    }

    static ObjectNode envelope(UUID call, long sequence, String type) {
        return JSON.createObjectNode()
                .put("eventId", UUID.randomUUID().toString())
                .put("type", type)
                .put("callId", call.toString())
                .put("occurredAt", Instant.now().toString())
                .put("source", "call-service")
                .put("sequence", sequence);
    }

    static String event(UUID call, long sequence, CallEvent event) {
        ObjectNode json = envelope(call, sequence, event.type());
        json.setAll(EventCodec.instance().write(event));
        return json.toString();
    }

    static void send(UUID call, String record) {
        kafka.send(TOPIC, call.toString(), record);
    }

    /** "Type#sequence" of every effect of the call, in the order applied. */
    static List<String> effects(UUID call) {
        return query("select event_type || '#' || sequence from test_effect where call_id = ? order by position", call);
    }

    static List<String> details(UUID call) {
        return query("select detail from test_effect where call_id = ? order by position", call);
    }

    static void awaitEffects(UUID call, String... expected) {
        await().atMost(WAIT).untilAsserted(() -> assertEquals(List.of(expected), effects(call)));
    }

    static void assertNothingMoreThan(UUID call, String... expected) {
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertEquals(List.of(expected), effects(call)));
    }

    static void awaitParked(UUID call, int count) {
        await().atMost(WAIT)
                .untilAsserted(() -> assertEquals(
                        count,
                        query("select sequence::text from deferred_event where call_id = ?", call)
                                .size()));
    }

    static List<ConsumerRecord<String, String>> assertDeadLettered(UUID call, String type, String reason) {
        List<ConsumerRecord<String, String>> dead = kafka
                .read(
                        DEAD_LETTERS,
                        call.toString(),
                        records -> records.stream().anyMatch(r -> r.value().contains("\"" + type + "\"")),
                        WAIT)
                .stream()
                .filter(r -> r.value().contains("\"" + type + "\""))
                .toList();
        assertEquals(1, dead.size(), "dead-lettered " + type);
        String header = header(dead.get(0), "dead-letter-reason");
        assertTrue(header.contains(reason), header);
        return dead;
    }

    static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    static Connection database() throws SQLException {
        var config = ConfigProvider.getConfig();
        return DriverManager.getConnection(
                config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getValue("quarkus.datasource.password", String.class));
    }

    static void execute(String sql, Object... parameters) {
        try (Connection connection = database();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> query(String sql, Object parameter) {
        try (Connection connection = database();
                PreparedStatement query = connection.prepareStatement(sql)) {
            query.setObject(1, parameter);
            List<String> rows = new ArrayList<>();
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    rows.add(row.getString(1));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
