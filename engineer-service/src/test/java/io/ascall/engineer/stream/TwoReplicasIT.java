package io.ascall.engineer.stream;

import static io.ascall.engineer.support.Engineers.asEngineer;
import static io.ascall.engineer.support.Engineers.register;
import static io.ascall.engineer.support.Engineers.uniqueRegion;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.ascall.apitesting.TestIssuer;
import io.ascall.engineer.support.EngineerServiceTest;
import io.ascall.engineer.support.SseClient;
import io.ascall.engineer.support.SseClient.Event;
import io.ascall.engineer.support.TestCall;
import io.ascall.local.LocalEnvironment;
import io.ascall.local.ServiceProcess;

/**
 * Two replicas of engineer-service on one database and one Kafka: this test's application (A)
 * and the packaged service started as a process of its own (B; an integration test, run after
 * {@code package}). An engineer connected to either sees what the other one did, and a replica
 * that stops ends its streams cleanly at once, so that their clients resume on the other one.
 */
@EngineerServiceTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoReplicasIT {

    private static final Duration SOON = Duration.ofSeconds(30);
    private static ServiceProcess replicaB;

    @BeforeAll
    static void startReplicaB() {
        LocalEnvironment environment = LocalEnvironment.shared();
        replicaB = ServiceProcess.forModule("engineer-service")
                .name("engineer-service-b")
                .config(environment.postgres().datasourceConfig("engineer"))
                .config("kafka.bootstrap.servers", environment.kafka().bootstrapServers())
                // the same identity provider as this test's application: a token is good at either replica
                .config("quarkus.oidc.auth-server-url", TestIssuer.realmUrl())
                // stop at once on SIGTERM (no load balancer to drain from here)
                .config("quarkus.shutdown.delay", "0s")
                .jvmArg("-Xmx256m")
                .start()
                .awaitReady(Duration.ofSeconds(120));
    }

    @AfterAll
    static void stopReplicaB() {
        if (replicaB != null) {
            replicaB.stop();
        }
    }

    @Test
    @Order(1)
    void anEngineerConnectedToOneReplicaSeesWhatTheOtherOneDid() {
        String region = uniqueRegion("replicas");
        String engineer = register("Lee", region, "AIR_CONDITIONER");
        try (SseClient onA = SseClient.open(path(engineer));
                SseClient onB = SseClient.open(replicaB.port(), path(engineer))) {
            onA.awaitOpened();
            onB.awaitOpened();
            // B verifies tokens with the same identity provider, and refuses a request without one
            try (SseClient anonymous = SseClient.open(replicaB.port(), path(engineer), "Authorization", "")) {
                assertEquals(401, anonymous.status());
            }

            // offered by whichever replica consumes the call's partition: both streams see it
            TestCall call = new TestCall("AIR_CONDITIONER", region).requestAndPay();
            String assignment = (String)
                    onA.awaitEvent("assignment-offered", call.id).json().get("id");
            onB.awaitEvent("assignment-offered", call.id);

            actOn(replicaB, assignment, "accept", engineer);
            assertEquals(
                    "ACCEPTED",
                    onA.awaitEvent("assignment-accepted", call.id).json().get("status"),
                    "A's client sees the accept made on B");

            actOn(null, assignment, "complete", engineer);
            assertEquals(
                    "COMPLETED",
                    onB.awaitEvent("assignment-completed", call.id).json().get("status"),
                    "B's client sees the completion made on A");

            onA.awaitSeq(3, SOON);
            onB.awaitSeq(3, SOON);
            assertEquals(
                    describe(onA.feedEvents()), describe(onB.feedEvents()), "the same events, ids and order on both");
            assertEquals(
                    List.of("1 assignment-offered", "2 assignment-accepted", "3 assignment-completed"),
                    describe(onA.feedEvents()));
        }
    }

    @Test
    @Order(2)
    void aReplicaThatStopsEndsItsStreamsAndTheirClientsResumeOnTheOther() {
        String region = uniqueRegion("replica-stops");
        String engineer = register("Moon", region, "MICROWAVE");
        try (SseClient onB = SseClient.open(replicaB.port(), path(engineer))) {
            String position = onB.awaitOpened().id();

            long stopping = System.nanoTime();
            replicaB.stop();
            Duration stopped = Duration.ofNanos(System.nanoTime() - stopping);
            await().atMost(SOON).until(onB::ended);
            assertTrue(onB.endedCleanly(), "the stream was ended properly, not cut");
            assertThat(
                    "open streams do not hold the shutdown up (its timeout is 20 s)",
                    stopped,
                    lessThan(Duration.ofSeconds(15)));

            // meanwhile, on the replica left
            TestCall call = new TestCall("MICROWAVE", region).requestAndPay();
            try (SseClient onA = SseClient.open(path(engineer), "Last-Event-ID", position)) {
                assertEquals(
                        "OFFERED",
                        onA.awaitEvent("assignment-offered", call.id).json().get("status"));
                assertEquals(List.of("1 assignment-offered"), describe(onA.feedEvents()));
            }
        }
    }

    /** An engineer's answer, with their token, through one replica's API (null: this test's application). */
    private static void actOn(ServiceProcess replica, String assignment, String action, String engineer) {
        var request = asEngineer(engineer);
        if (replica != null) {
            request.baseUri(replica.baseUri().toString()).port(replica.port());
        }
        request.post("/assignments/" + assignment + "/" + action).then().statusCode(200);
    }

    private static List<String> describe(List<Event> events) {
        return events.stream().map(event -> event.id() + " " + event.name()).toList();
    }

    private static String path(String engineer) {
        return "/engineers/" + engineer + "/assignments/stream";
    }
}
