package io.ascall.call.health;

import static io.ascall.call.support.Calls.api;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.ascall.apitesting.TestIssuer;
import io.ascall.call.support.EngineerEventFactory;
import io.ascall.local.LocalEnvironment;
import io.ascall.local.LocalEnvironmentResource;
import io.ascall.local.ServiceProcess;
import io.ascall.local.StoppablePostgres;
import io.ascall.local.TopicProbe;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Liveness goes DOWN when the process can no longer do its job: here an incoming channel whose
 * record has stayed unprocessed longer than the commit strategy allows (the database is gone, so
 * the event cannot be applied). SmallRye's throttled commit strategy reports that as a fatal
 * failure of the channel: it closes the channel's consumer and keeps the failure, so liveness stays
 * DOWN once the database is back, and only a restart (Kubernetes restarting the pod) brings the
 * channel back; the new consumer resumes from the last committed offset, so the record that was
 * stuck is consumed then (nothing is lost). Readiness, not liveness, covers short outages: a record
 * may wait 60 s in production before its channel counts as stuck.
 *
 * <p>An integration test (run after {@code package}): it restarts the packaged service as a
 * process, as Kubernetes restarts a pod, which a {@code @QuarkusTest} application cannot do.
 */
class LivenessFollowsStuckChannelIT {

    private static final Duration NOTICE = Duration.ofSeconds(60);
    private static final Duration START = Duration.ofSeconds(120);
    private static final String MESSAGING_LIVENESS = "SmallRye Reactive Messaging - liveness check";
    private static final String DATABASE_CHECK = "Reactive PostgreSQL connections health check";
    /** call-service's consumer group (application.properties). */
    private static final String GROUP = "call-service";

    private final StoppablePostgres database = new StoppablePostgres();
    private final String kafka = LocalEnvironment.shared().kafka().bootstrapServers();
    private ServiceProcess callService;

    @BeforeEach
    void startCallService() {
        database.init(Map.of(LocalEnvironmentResource.DATABASE, "call"));
        callService = ServiceProcess.forModule("call-service")
                .config(database.start())
                .config("quarkus.oidc.auth-server-url", TestIssuer.realmUrl())
                // in production a record may wait 60 s (the default) before its channel counts as stuck
                .config("mp.messaging.incoming.engineer-events.throttled.unprocessed-record-max-age.ms", "3000")
                // stop at once on SIGTERM (no load balancer to drain from here)
                .config("quarkus.shutdown.delay", "0s")
                .jvmArg("-Xmx256m")
                .start()
                .awaitReady(START);
    }

    @AfterEach
    void stopCallService() {
        if (callService != null) {
            callService.stop();
        }
        database.stop();
    }

    @Test
    void aStuckChannelTurnsLivenessDownUntilTheServiceIsRestarted() {
        callServiceHealth().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));

        StoppablePostgres.stopServer();
        String callId = UUID.randomUUID().toString();
        ConsumerRecord<String, String> stuck;
        try (TopicProbe topics = new TopicProbe(kafka)) {
            topics.send("engineer-events", callId, new EngineerEventFactory(callId).assigned());
            stuck = topics.read("engineer-events", callId, found -> !found.isEmpty(), NOTICE)
                    .get(0);
        }
        await().atMost(NOTICE).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> channelIsFailed());

        // the database is back and readiness sees it, but the failed channel stays failed
        StoppablePostgres.startServer();
        await().atMost(NOTICE)
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> callServiceHealth()
                        .get("/q/health/ready")
                        .then()
                        .body("checks.find { it.name == '" + DATABASE_CHECK + "' }.status", equalTo("UP")));
        channelIsFailed();

        callService.restart().awaitReady(START);

        Response live = callServiceHealth().get("/q/health/live");
        live.then().statusCode(200).body("status", equalTo("UP"));
        assertThat(consumerStates(live, "engineer-events"), everyItem(equalTo("[OK]")));
        // the restarted consumer took the stuck record up again from the last committed offset
        TopicPartition partition = new TopicPartition(stuck.topic(), stuck.partition());
        await().atMost(NOTICE)
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(
                        "committed offset of " + partition, committedOffset(partition), greaterThan(stuck.offset())));
    }

    private void channelIsFailed() {
        Response live = callServiceHealth().get("/q/health/live");
        live.then().statusCode(503).body("status", equalTo("DOWN"));
        // the consumer holding the stuck record's partition failed; the others, and the other channel, did not
        assertThat(consumerStates(live, "engineer-events"), hasItem(startsWith("[KO]")));
        assertThat(consumerStates(live, "payment-events"), everyItem(equalTo("[OK]")));
    }

    /** The liveness check's state of each consumer of the channel (engineer-events$1, $2, …: one per copy). */
    private static List<String> consumerStates(Response live, String channel) {
        Map<String, String> data =
                live.jsonPath().getMap("checks.find { it.name == '" + MESSAGING_LIVENESS + "' }.data");
        List<String> states = data.entrySet().stream()
                .filter(entry -> entry.getKey().startsWith(channel + "$"))
                .map(Map.Entry::getValue)
                .toList();
        assertThat("consumers of " + channel + " in " + data, states, not(empty()));
        return states;
    }

    private RequestSpecification callServiceHealth() {
        return api().baseUri(callService.baseUri().toString());
    }

    private long committedOffset(TopicPartition partition) throws Exception {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        try (Admin admin = Admin.create(config)) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(GROUP)
                    .partitionsToOffsetAndMetadata()
                    .get();
            OffsetAndMetadata committed = offsets.get(partition);
            return committed == null ? -1 : committed.offset();
        }
    }
}
