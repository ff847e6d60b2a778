package io.ascall.call;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.ascall.call.support.EngineerEventFactory;
import io.ascall.local.LocalEnvironment;
import io.ascall.local.LocalEnvironmentResource;
import io.ascall.local.ServiceProcess;
import io.ascall.local.StoppablePostgres;
import io.ascall.local.TopicProbe;

/**
 * A stop of call-service (a rolling update, a scale-down) while its events wait for the database,
 * for the Java services' shared receiver what call-view-service's StopKeepsUnfinishedEventsIT is for
 * its own: what is unfinished at the stop stays on the topic for the next consumer and never goes
 * to {@code call-service.dlq}, which is only for events that can never be applied.
 *
 * <p>An integration test (run after {@code package}): the packaged service is stopped with SIGTERM
 * and started again as a process, as Kubernetes does with a pod.
 */
class StopKeepsUnfinishedEventsIT {

    private static final Duration START = Duration.ofSeconds(120);
    private static final String DEAD_LETTERS = "call-service.dlq";
    /** More than one record per partition fetched and waiting when the stop comes. */
    private static final int CALLS = 20;

    private final StoppablePostgres database = new StoppablePostgres();
    private final String kafka = LocalEnvironment.shared().kafka().bootstrapServers();
    private final TopicProbe topics = new TopicProbe(kafka);
    private Map<String, String> datasource;
    private ServiceProcess callService;

    @AfterEach
    void stopAll() {
        if (callService != null) {
            callService.kill(); // the test is over: nothing of this run needs a clean stop
        }
        database.stop();
        topics.close();
    }

    @Test
    void aStopWhileEventsAreRetriedDeadLettersNoneAndTheNextStartAppliesThemAll() throws Exception {
        database.init(Map.of(LocalEnvironmentResource.DATABASE, "call"));
        datasource = database.start();
        callService = ServiceProcess.forModule("call-service")
                .config(datasource)
                // stop at once on SIGTERM (no load balancer to drain from here)
                .config("quarkus.shutdown.delay", "0s")
                .jvmArg("-Xmx256m")
                .start()
                .awaitReady(START);

        // every event from now on fails for a reason other than its content, and is retried
        StoppablePostgres.stopServer();
        List<String> calls = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            String callId = UUID.randomUUID().toString();
            calls.add(callId);
            // of calls call-service does not know: applied, they change nothing but the inbox
            topics.send("engineer-events", callId, new EngineerEventFactory(callId).assigned());
        }
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> callService.logTail(200).contains("retrying in"));

        callService.stop();
        Set<String> ours = Set.copyOf(calls);
        List<String> deadLettered = topics.read(DEAD_LETTERS, null, found -> false, Duration.ofSeconds(5)).stream()
                .filter(record -> ours.contains(record.key()))
                .map(StopKeepsUnfinishedEventsIT::describe)
                .toList();
        assertEquals(List.of(), deadLettered, "nothing unfinished at the stop was dead-lettered");
        assertTrue(
                callService.logTail(60).contains("stopped in"),
                "stopped cleanly on SIGTERM, not killed:\n" + callService.logTail(80));

        StoppablePostgres.startServer();
        callService.restart().awaitReady(START);
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertEquals(List.of(), notApplied(calls), "calls whose event the inbox lacks"));
    }

    /** The calls of which call-service's inbox has not applied engineer-service's event #1. */
    private List<String> notApplied(List<String> calls) throws Exception {
        try (Connection db = DriverManager.getConnection(
                        datasource.get("quarkus.datasource.jdbc.url"),
                        datasource.get("quarkus.datasource.username"),
                        datasource.get("quarkus.datasource.password"));
                PreparedStatement query = db.prepareStatement("select call_id from event_stream"
                        + " where source = 'engineer-service' and last_sequence >= 1")) {
            List<String> applied = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    applied.add(rows.getString(1));
                }
            }
            return calls.stream().filter(call -> !applied.contains(call)).collect(Collectors.toList());
        }
    }

    private static String describe(ConsumerRecord<String, String> record) {
        Header reason = record.headers().lastHeader("dead-letter-reason");
        return record.key() + ": " + (reason == null ? "?" : new String(reason.value(), StandardCharsets.UTF_8));
    }
}
