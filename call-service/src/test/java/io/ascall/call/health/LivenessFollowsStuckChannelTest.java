package io.ascall.call.health;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.ascall.call.support.EngineerEventFactory;
import io.ascall.local.LocalEnvironment;
import io.ascall.local.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Liveness goes DOWN when the process can no longer do its job: here an incoming channel whose
 * record has stayed unprocessed longer than the commit strategy allows (the database is gone, so
 * the event cannot be applied). The channel is then failed for good, so liveness stays DOWN
 * until Kubernetes restarts the pod, whose new consumer resumes from the last committed offset
 * (nothing is lost: the system tests kill services mid-saga). Readiness, not liveness, covers
 * short outages: a record may wait 60 s in production before the channel counts as stuck.
 */
@QuarkusTest
@TestProfile(LivenessFollowsStuckChannelTest.ShortUnprocessedAge.class)
@QuarkusTestResource(value = StoppablePostgres.class, restrictToAnnotatedClass = true)
class LivenessFollowsStuckChannelTest {

    /** In production a record may wait 60 s (the default) before the channel counts as stuck. */
    public static class ShortUnprocessedAge implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mp.messaging.incoming.engineer-events.throttled.unprocessed-record-max-age.ms", "3000");
        }
    }

    private static final Duration NOTICE = Duration.ofSeconds(60);

    @AfterEach
    void databaseIsBack() {
        StoppablePostgres.startServer();
    }

    @Test
    void livenessIsDownWhileAChannelIsStuckAndUpWhenItMovesAgain() {
        await().atMost(NOTICE).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));

        StoppablePostgres.stopServer();
        String callId = UUID.randomUUID().toString();
        try (TopicProbe kafka = new TopicProbe(LocalEnvironment.shared().kafka().bootstrapServers())) {
            kafka.send("engineer-events", callId, new EngineerEventFactory(callId).assigned());
        }
        await().atMost(NOTICE).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> given().get("/q/health/live").then().statusCode(503)
                        .body("status", equalTo("DOWN"))
                        .body("checks.find { it.name == 'SmallRye Reactive Messaging - liveness check' }.data.'engineer-events'",
                                startsWith("[KO]"))
                        .body("checks.find { it.name == 'SmallRye Reactive Messaging - liveness check' }.data.'payment-events'",
                                equalTo("[OK]")));

        // the database is back, but the failed channel does not come back by itself: restart needed
        StoppablePostgres.startServer();
        await().atMost(NOTICE).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(503));
        given().get("/q/health/live").then().statusCode(503).body("status", equalTo("DOWN"));
    }
}
