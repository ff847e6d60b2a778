package io.ascall.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.ascall.local.LocalEnvironment;
import io.ascall.local.LocalRealm;
import io.ascall.local.ServiceProcess;
import io.ascall.local.TopicProbe;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * call-view-service with the three other services, each its own process: for a few dozen random
 * sagas (completed, declined, cancelled by the customer, no engineer) the view says what
 * call-service, payment-service and engineer-service say; redelivered and reordered events change
 * nothing; a second replica's streams see every change, whichever replica applied it; a rebuild
 * from the topics ends with the same views.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CallViewSystemTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TOPICS = List.of("call-events", "payment-events", "engineer-events");
    private static final int SAGAS = 32;
    private static final Duration SETTLE = Duration.ofSeconds(60);

    enum Kind {
        COMPLETED,
        DECLINED,
        CANCELLED,
        NO_ENGINEER
    }

    private static SagaSystem system;
    private static SagaClient saga;
    private static TopicProbe kafka;
    /** A second replica of call-view-service: the same database and consumer group. */
    private static ServiceProcess secondView;

    private static final Map<String, Kind> calls = Collections.synchronizedMap(new LinkedHashMap<>());

    @BeforeAll
    static void startTheSystem() {
        system = SagaSystem.startWithCallView("callview");
        saga = new SagaClient(system);
        kafka = new TopicProbe(system.kafka.bootstrapServers());
        secondView = ServiceProcess.forModule("call-view-service")
                // the database SagaSystem gives call-view-service for the system "callview"
                .config(LocalEnvironment.shared().postgres().datasourceConfig("callview_callview"))
                .config("kafka.bootstrap.servers", system.kafka.bootstrapServers())
                .config(
                        "quarkus.oidc.auth-server-url",
                        LocalEnvironment.shared().keycloak().issuer())
                .config("quarkus.shutdown.delay", "0s")
                .logFile(system.callView.logFile().resolveSibling("call-view-service-2.log"))
                .start()
                .awaitReady(Duration.ofSeconds(120));
    }

    @AfterAll
    static void stopTheSystem() {
        if (secondView != null) {
            secondView.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (system != null) {
            system.close();
        }
    }

    @Test
    @Order(1)
    void forRandomSagasTheViewSaysWhatTheServicesSay() throws Exception {
        List<Kind> kinds = new ArrayList<>();
        for (int i = 0; i < SAGAS; i++) {
            kinds.add(Kind.values()[i % Kind.values().length]);
        }
        Collections.shuffle(kinds, new Random(7));
        // the first sagas sequentially, while the services' JVMs warm up; then a few at a time (an
        // engineer must answer an offer within SagaSystem.OFFER_TIMEOUT)
        for (Kind kind : kinds.subList(0, 4)) {
            calls.put(run(kind), kind);
        }
        ExecutorService runners = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (Kind kind : kinds.subList(4, kinds.size())) {
                running.add(runners.submit(() -> calls.put(run(kind), kind)));
            }
            for (Future<?> done : running) {
                done.get(5, TimeUnit.MINUTES);
            }
        } finally {
            runners.shutdownNow();
        }
        assertEquals(SAGAS, calls.size());
        for (Map.Entry<String, Kind> call : calls.entrySet()) {
            await().atMost(SETTLE)
                    .pollInterval(Duration.ofMillis(300))
                    .untilAsserted(() -> assertViewSaysWhatServicesSay(call.getKey(), call.getValue()));
        }
    }

    @Test
    @Order(2)
    void redeliveredEventsChangeNothing() {
        List<String> some = new ArrayList<>(calls.keySet()).subList(0, 8);
        Map<String, Map<String, Object>> before = new HashMap<>();
        some.forEach(callId -> before.put(callId, view(callId)));
        Map<String, List<ConsumerRecord<String, String>>> records = recordsByCall();
        int sent = 0;
        for (String callId : some) {
            for (ConsumerRecord<String, String> record : records.get(callId)) {
                kafka.send(record.topic(), callId, record.value());
                sent++;
            }
        }
        assertTrue(sent >= some.size() * 3, "every call has several events");
        awaitCaughtUp();
        some.forEach(callId -> assertEquals(before.get(callId), view(callId), callId));
    }

    /**
     * Copies of four sagas' events (a new call id and event ids) reach the view in another order:
     * every payment and engineer event before any of call-service's (the order the original design
     * lost a payment's status in), then call-service's shuffled. The other services consume
     * call-events too and react to a copy: its region is one no engineer works in, so
     * engineer-service can only publish NoEngineerAvailable, as the copy's first engineer event,
     * which the view has by then from the copy (and skips); payment-service finds no payment for it.
     */
    @Test
    @Order(3)
    void theEventsOfSagasInAnotherOrderGiveTheSameViews() throws IOException {
        Map<String, List<ConsumerRecord<String, String>>> records = recordsByCall();
        Map<String, String> copies = new LinkedHashMap<>();
        List<String[]> first = new ArrayList<>();
        List<String[]> last = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            String original = calls.entrySet().stream()
                    .filter(e -> e.getValue() == kind)
                    .findFirst()
                    .orElseThrow()
                    .getKey();
            String copy = UUID.randomUUID().toString();
            copies.put(original, copy);
            Set<String> seen = new HashSet<>();
            for (ConsumerRecord<String, String> record : records.get(original)) {
                ObjectNode event = (ObjectNode) JSON.readTree(record.value());
                if (!seen.add(event.get("eventId").asText())) {
                    continue; // a redelivery of the previous test
                }
                event.put("callId", copy).put("eventId", UUID.randomUUID().toString());
                if (event.has("region")) {
                    event.put("region", SagaClient.uniqueRegion());
                }
                (record.topic().equals("call-events") ? last : first)
                        .add(new String[] {record.topic(), copy, event.toString()});
            }
        }
        Collections.shuffle(first, new Random(11));
        first.forEach(record -> kafka.send(record[0], record[1], record[2]));
        awaitCaughtUp();
        Collections.shuffle(last, new Random(13));
        last.forEach(record -> kafka.send(record[0], record[1], record[2]));

        copies.forEach((original, copy) -> await().atMost(SETTLE)
                .pollInterval(Duration.ofMillis(300))
                .untilAsserted(() -> {
                    Map<String, Object> expected = new HashMap<>(view(original));
                    Map<String, Object> actual = viewOrNull(copy);
                    assertNotNull(actual, "the copy of " + original + " is not in the view yet");
                    actual = new HashMap<>(actual);
                    for (String field : List.of("callId", "region")) {
                        expected.remove(field);
                        actual.remove(field);
                    }
                    assertEquals(expected, actual, "the copy of " + original);
                }));
    }

    @Test
    @Order(4)
    void everyReplicasStreamsSeeEveryChange() throws Exception {
        String region = SagaClient.uniqueRegion();
        String engineer = saga.registerEngineer("Moon Ga-young", region, "WASHER", "DRYER", "TV", "OVEN");
        for (String appliance : List.of("WASHER", "DRYER", "TV", "OVEN")) {
            String callId = paidCall(appliance, region);
            calls.put(callId, Kind.COMPLETED);
            try (EventStream first = EventStream.open(system.callView, callId);
                    EventStream second = EventStream.open(secondView, callId)) {
                Map<String, Object> offer = saga.awaitAssignment(engineer, callId, "OFFERED");
                saga.act((String) offer.get("id"), "accept", engineer).then().statusCode(200);
                first.awaitStatus("DISPATCHED");
                second.awaitStatus("DISPATCHED");
                saga.act((String) offer.get("id"), "complete", engineer).then().statusCode(200);
                first.awaitStatus("COMPLETED");
                second.awaitStatus("COMPLETED");
                assertEquals(first.lastVersion(), second.lastVersion(), "both replicas sent the call's latest version");
            }
        }
    }

    @Test
    @Order(5)
    void aRebuildFromTheTopicsEndsWithTheSameViews() {
        awaitCaughtUp();
        Map<String, Map<String, Object>> live = allViews(system.callView);
        assertTrue(live.size() >= SAGAS + Kind.values().length, "every saga and every copy: " + live.size());

        String id = given().baseUri(secondView.baseUri().toString())
                .post("/admin/rebuild")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath()
                .getString("id");
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    JsonPath run = given().baseUri(system.callView.baseUri().toString())
                            .get("/admin/rebuild")
                            .then()
                            .statusCode(200)
                            .extract()
                            .jsonPath();
                    return id.equals(run.getString("id")) && !"RUNNING".equals(run.getString("state"));
                });
        JsonPath run = given().baseUri(system.callView.baseUri().toString())
                .get("/admin/rebuild")
                .then()
                .extract()
                .jsonPath();
        assertEquals("COMPLETED", run.getString("state"), run.prettify());
        assertEquals(live, allViews(system.callView));
        assertEquals(live, allViews(secondView));
    }

    /** Runs one saga through the services' APIs, as customers and engineers would; answers its call id once settled. */
    private static String run(Kind kind) {
        String region = SagaClient.uniqueRegion();
        String appliance = "AIR_CONDITIONER";
        switch (kind) {
            case COMPLETED -> {
                String engineer = saga.registerEngineer("Engineer " + region, region, appliance);
                String callId = paidCall(appliance, region);
                Map<String, Object> offer = saga.awaitAssignment(engineer, callId, "OFFERED");
                saga.act((String) offer.get("id"), "accept", engineer).then().statusCode(200);
                saga.awaitCall(callId, "DISPATCHED");
                saga.act((String) offer.get("id"), "complete", engineer).then().statusCode(200);
                saga.awaitCall(callId, "COMPLETED");
                return callId;
            }
            case DECLINED -> {
                Response declined = requestCall(LocalRealm.DANA, appliance, region);
                assertEquals(422, declined.statusCode(), declined.asString());
                return declined.jsonPath().getString("callId");
            }
            case CANCELLED -> {
                String engineer = saga.registerEngineer("Engineer " + region, region, appliance);
                String callId = paidCall(appliance, region);
                saga.awaitAssignment(engineer, callId, "OFFERED");
                saga.cancel(callId).then().statusCode(200);
                saga.awaitAssignment(engineer, callId, "WITHDRAWN");
                saga.awaitPayment(callId, "REFUNDED");
                saga.awaitRefundRecorded(callId);
                return callId;
            }
            case NO_ENGINEER -> {
                String callId = paidCall(appliance, region);
                saga.awaitCall(callId, "CANCELLED");
                saga.awaitPayment(callId, "REFUNDED");
                saga.awaitRefundRecorded(callId);
                return callId;
            }
            default -> throw new IllegalArgumentException(kind.toString());
        }
    }

    private static String paidCall(String applianceType, String region) {
        Response created = requestCall(LocalRealm.ALICE, applianceType, region);
        assertEquals(201, created.statusCode(), created.asString());
        return created.jsonPath().getString("id");
    }

    /**
     * Requests a call as the mobile app does: when payment-service is slow (a JVM still warming up
     * on a busy machine) and call-service answers 503, again after Retry-After with the same
     * Idempotency-Key, which carries on with the same call.
     */
    private static Response requestCall(LocalRealm.User customer, String applianceType, String region) {
        String key = UUID.randomUUID().toString();
        for (int attempt = 1; ; attempt++) {
            Response response = saga.requestCall(customer, applianceType, region, key);
            if (response.statusCode() != 503 || attempt == 10) {
                return response;
            }
            try {
                Thread.sleep(1000L * Long.parseLong(response.header("Retry-After")));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** The view against call-service (the call), payment-service (its payment) and engineer-service (its offers). */
    private static void assertViewSaysWhatServicesSay(String callId, Kind kind) {
        Map<String, Object> view = viewOrNull(callId);
        assertNotNull(view, "the view does not know call " + callId + " yet");
        Map<String, Object> call = saga.call(callId).getMap("$");
        Map<String, Object> payment = saga.payment(callId);
        List<Map<String, Object>> offers = given().baseUri(
                        system.engineer.baseUri().toString())
                .queryParam("callId", callId)
                .get("/assignments")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("$");
        String what = kind + " call " + callId;

        for (String field : List.of(
                "status",
                "customerId",
                "applianceType",
                "region",
                "address",
                "description",
                "failureReason",
                "cancellationReason",
                "fee",
                "currency",
                "paymentId")) {
            assertEquals(call.get(field), view.get(field), what + ": " + field + " as call-service says");
        }
        if (call.get("offersMade").equals(view.get("offersMade"))) {
            for (String field : List.of("engineerId", "engineerName", "assignmentId")) {
                assertEquals(call.get(field), view.get(field), what + ": " + field + " as call-service says");
            }
        } else {
            // The one way the two may differ: the customer cancelled before call-service had read
            // engineer-service's offer, so call-service ignored it; the view keeps what
            // engineer-service says it offered (and withdrew). README of call-view-service.
            assertEquals("CANCELLED", call.get("status"), what + ": offers call-service missed " + call);
            assertTrue((Integer) call.get("offersMade") < (Integer) view.get("offersMade"), what);
        }
        assertEquals(call.get("refundedAt") != null, view.get("refundedAt") != null, what + ": refunded");
        assertEquals(payment == null ? null : payment.get("status"), view.get("paymentStatus"), what + ": payment");
        assertEquals(payment == null ? null : payment.get("id"), view.get("paymentId"), what + ": payment id");
        assertEquals(offers.size(), view.get("offersMade"), what + ": offers engineer-service made");
        if (view.get("engineerId") != null) {
            Map<String, Object> latest = offers.get(0);
            assertEquals(latest.get("engineerId"), view.get("engineerId"), what + ": engineer");
            assertEquals(latest.get("id"), view.get("assignmentId"), what + ": assignment");
            assertEquals(
                    Map.of(
                                    "OFFERED",
                                    "ENGINEER_ASSIGNED",
                                    "ACCEPTED",
                                    "DISPATCHED",
                                    "COMPLETED",
                                    "COMPLETED",
                                    "WITHDRAWN",
                                    "CANCELLED")
                            .get(latest.get("status")),
                    view.get("status"),
                    what + ": offer " + latest);
        }
        assertEquals(
                switch (kind) {
                    case COMPLETED -> "COMPLETED";
                    case DECLINED -> "PAYMENT_FAILED";
                    case CANCELLED, NO_ENGINEER -> "CANCELLED";
                },
                view.get("status"),
                what);
    }

    private static Map<String, Object> view(String callId) {
        Map<String, Object> view = viewOrNull(callId);
        assertNotNull(view, "no view of " + callId);
        return view;
    }

    private static Map<String, Object> viewOrNull(String callId) {
        Response response =
                given().baseUri(system.callView.baseUri().toString()).get("/call-views/" + callId);
        return response.statusCode() == 404
                ? null
                : response.then().statusCode(200).extract().jsonPath().getMap("$");
    }

    /** Every view a replica shows, by call id, read page by page. */
    private static Map<String, Map<String, Object>> allViews(ServiceProcess replica) {
        Map<String, Map<String, Object>> views = new HashMap<>();
        for (int page = 0; ; page++) {
            JsonPath body = given().baseUri(replica.baseUri().toString())
                    .queryParam("size", 100)
                    .queryParam("page", page)
                    .get("/call-views")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            List<Map<String, Object>> items = body.getList("items");
            items.forEach(item -> views.put((String) item.get("callId"), item));
            if (items.isEmpty()) {
                assertEquals(body.getInt("total"), views.size());
                return views;
            }
        }
    }

    /**
     * The view's consumer group has processed and committed everything the three topics had
     * when this was called (the readiness data, measured after the call, show no lag).
     */
    @SuppressWarnings("unchecked")
    private static void awaitCaughtUp() {
        Instant since = Instant.now();
        await().atMost(SETTLE).pollInterval(Duration.ofMillis(500)).until(() -> {
            Map<String, Object> data = given()
                    .baseUri(system.callView.baseUri().toString())
                    .get("/q/health/ready")
                    .then()
                    .extract()
                    .jsonPath()
                    .getList("checks", Map.class)
                    .stream()
                    .filter(check -> "call-view projection".equals(check.get("name")))
                    .findFirst()
                    .map(check -> (Map<String, Object>) check.get("data"))
                    .orElse(Map.of());
            Object measuredAt = data.get("lagMeasuredAt");
            return measuredAt != null
                    && Instant.parse((String) measuredAt).isAfter(since)
                    && TOPICS.stream().allMatch(topic -> Objects.equals(0, data.get("lag." + topic)));
        });
    }

    /** Every record of the three topics so far, by key (call id), in partition order. */
    private static Map<String, List<ConsumerRecord<String, String>>> recordsByCall() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, system.kafka.bootstrapServers());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        Map<String, List<ConsumerRecord<String, String>>> byCall = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = new ArrayList<>();
            TOPICS.forEach(topic -> consumer.partitionsFor(topic, Duration.ofSeconds(10))
                    .forEach(info -> partitions.add(new TopicPartition(topic, info.partition()))));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    byCall.computeIfAbsent(record.key(), key -> new ArrayList<>())
                            .add(record);
                }
            }
        }
        return byCall;
    }

    /** A Server-Sent Events client of one call's stream on one replica (java.net.http), read on a thread of its own. */
    private static final class EventStream implements AutoCloseable {

        private static final HttpClient HTTP =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        private final InputStream body;
        private final List<JsonPath> views = new CopyOnWriteArrayList<>();
        private final List<Long> ids = new CopyOnWriteArrayList<>();

        private EventStream(InputStream body) {
            this.body = body;
            Thread reader = new Thread(this::read, "event-stream");
            reader.setDaemon(true);
            reader.start();
        }

        static EventStream open(ServiceProcess replica, String callId) throws IOException, InterruptedException {
            HttpResponse<InputStream> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(replica.baseUri() + "/call-views/" + callId + "/stream"))
                            .header("Accept", "text/event-stream")
                            // the customer of the calls watches them
                            .header("Authorization", "Bearer " + system.accounts.token(LocalRealm.ALICE))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, response.statusCode());
            return new EventStream(response.body());
        }

        void awaitStatus(String status) {
            await().atMost(SETTLE)
                    .until(() -> views.stream().anyMatch(view -> status.equals(view.getString("status"))));
        }

        /** The id of the last event received; ids (the view's versions) only grow, each sent once. */
        long lastVersion() {
            List<Long> sorted = new ArrayList<>(new TreeSet<>(ids));
            assertEquals(sorted, ids, "versions in increasing order, none twice");
            return ids.get(ids.size() - 1);
        }

        private void read() {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                String id = null;
                StringBuilder data = new StringBuilder();
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.isEmpty()) {
                        if (!data.isEmpty()) {
                            ids.add(Long.parseLong(id));
                            views.add(JsonPath.from(data.toString()));
                        }
                        data.setLength(0);
                    } else if (line.startsWith("id:")) {
                        id = line.substring(3).trim();
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5).trim());
                    }
                }
            } catch (IOException closed) {
                // the test closed the stream
            }
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }
}
