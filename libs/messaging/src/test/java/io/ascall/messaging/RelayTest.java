package io.ascall.messaging;

import static io.ascall.messaging.DeliveryTest.WAIT;
import static io.ascall.messaging.DeliveryTest.awaitEffects;
import static io.ascall.messaging.DeliveryTest.query;
import static io.ascall.messaging.DeliveryTest.requested;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.ascall.events.CallCancelled;
import io.ascall.events.CallPaid;
import io.ascall.events.CancellationReason;
import io.ascall.local.LocalEnvironment;
import io.ascall.local.LocalEnvironmentResource;
import io.ascall.local.TopicProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;

/**
 * The publishing side on the real PostgreSQL and Kafka: events recorded in a transaction reach
 * the topic keyed by their call, numbered per call, and come back through the test application's
 * receiver; a relay that died between sending and marking sends again and nothing is applied
 * twice; two relays at once never publish an event twice or out of order.
 */
@QuarkusTest
@QuarkusTestResource(
        value = LocalEnvironmentResource.class,
        initArgs = {
            @ResourceArg(name = LocalEnvironmentResource.DATABASE, value = "messaging"),
            @ResourceArg(name = LocalEnvironmentResource.KAFKA, value = "true")
        })
class RelayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TopicProbe kafka;

    @Inject
    Outbox outbox;

    @Inject
    Pool pool;

    @Inject
    Vertx vertx;

    @Inject
    @Channel("outbox")
    MutinyEmitter<String> emitter;

    @Inject
    MessagingConfig config;

    @Inject
    Clock clock;

    @Inject
    MessagingMetrics metrics;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    String databaseUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    String user;

    @ConfigProperty(name = "quarkus.datasource.password")
    String password;

    @BeforeAll
    static void connect() {
        kafka = new TopicProbe(LocalEnvironment.shared().kafka().bootstrapServers());
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    private double published(String type) {
        Counter counter =
                registry.find("ascall.events.published").tag("type", type).counter();
        return counter == null ? 0 : counter.count();
    }

    private void record(UUID call, io.ascall.events.CallEvent... events) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> {
            var recorded = outbox.record(call, events[0]);
            for (int i = 1; i < events.length; i++) {
                var next = events[i];
                recorded = recorded.chain(() -> outbox.record(call, next));
            }
            return recorded;
        }));
    }

    @Test
    void eventsRecordedInATransactionArePublishedKeyedByTheirCallNumberedAndApplied() throws Throwable {
        UUID call = UUID.randomUUID();
        double requestedBefore = published("CallRequested");
        double paidBefore = published("CallPaid");
        record(call, requested(), new CallPaid(UUID.randomUUID()));
        List<ConsumerRecord<String, String>> published =
                kafka.read(DeliveryTest.TOPIC, call.toString(), records -> records.size() >= 2, WAIT);
        assertEquals(2, published.size());
        JsonNode first = JSON.readTree(published.get(0).value());
        JsonNode second = JSON.readTree(published.get(1).value());
        assertEquals(
                List.of("CallRequested", 1L, "call-service", "WASHER"),
                List.of(
                        first.get("type").asText(),
                        first.get("sequence").asLong(),
                        first.get("source").asText(),
                        first.get("applianceType").asText()));
        assertEquals(
                List.of("CallPaid", 2L),
                List.of(second.get("type").asText(), second.get("sequence").asLong()));
        assertEquals("CallRequested", DeliveryTest.header(published.get(0), "event-type"));
        awaitEffects(call, "CallRequested#1", "CallPaid#2");
        await().atMost(WAIT)
                .untilAsserted(() -> assertEquals(
                        List.of(requestedBefore + 1, paidBefore + 1),
                        List.of(published("CallRequested"), published("CallPaid")),
                        "ascall_events_published_total{type} counts each event once"));
    }

    @Test
    void aRelayThatDiedBetweenSendingAndMarkingPublishesAgainAndNothingIsAppliedTwice() throws Throwable {
        UUID call = UUID.randomUUID();
        record(call, requested(), new CallCancelled(CancellationReason.CUSTOMER));
        awaitEffects(call, "CallRequested#1", "CallCancelled#2");
        // what a crash after the send and before the mark's commit leaves behind
        try (Connection connection = DeliveryTest.database();
                PreparedStatement unmark =
                        connection.prepareStatement("update outbox_event set published_at = null where call_id = ?")) {
            unmark.setObject(1, call);
            assertEquals(2, unmark.executeUpdate());
        }
        List<ConsumerRecord<String, String>> published =
                kafka.read(DeliveryTest.TOPIC, call.toString(), records -> records.size() >= 4, WAIT);
        assertEquals(4, published.size(), "each event published again");
        DeliveryTest.assertNothingMoreThan(call, "CallRequested#1", "CallCancelled#2");
        assertEquals(
                List.of(),
                query("select event_id::text from outbox_event where call_id = ? and published_at is null", call));
    }

    @Test
    void twoRelaysAtOncePublishEveryEventOnceAndInItsCallsOrder() throws Throwable {
        OutboxRelay second = new OutboxRelay(pool, vertx, emitter, config, clock, metrics, databaseUrl, user, password);
        AtomicBoolean recording = new AtomicBoolean(true);
        Thread rival = new Thread(() -> {
            while (recording.get()) {
                second.publishBatch().await().atMost(Duration.ofSeconds(30));
            }
        });
        rival.start();
        List<UUID> calls = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                UUID call = UUID.randomUUID();
                calls.add(call);
                record(call, requested(), new CallPaid(UUID.randomUUID()));
                record(call, new CallCancelled(CancellationReason.CUSTOMER));
            }
        } finally {
            recording.set(false);
            rival.join();
        }
        for (UUID call : calls) {
            List<ConsumerRecord<String, String>> published =
                    kafka.read(DeliveryTest.TOPIC, call.toString(), records -> records.size() >= 3, WAIT);
            DeliveryTest.assertNothingMoreThan(call, "CallRequested#1", "CallPaid#2", "CallCancelled#3");
            published = kafka.read(DeliveryTest.TOPIC, call.toString(), records -> false, Duration.ofSeconds(1));
            Map<String, Integer> times = new HashMap<>();
            List<Long> sequences = new ArrayList<>();
            for (ConsumerRecord<String, String> record : published) {
                JsonNode event = JSON.readTree(record.value());
                times.merge(event.get("eventId").asText(), 1, Integer::sum);
                sequences.add(event.get("sequence").asLong());
            }
            assertTrue(times.values().stream().allMatch(n -> n == 1), "published once each: " + times);
            assertEquals(List.of(1L, 2L, 3L), sequences, "in the call's order");
        }
    }
}
