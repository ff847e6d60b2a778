package io.ascall.callview

import io.ascall.apitesting.TestIssuer
import io.ascall.callview.support.Callers
import io.ascall.callview.support.Kafka
import io.ascall.callview.support.Kafka.header
import io.ascall.callview.support.Offer
import io.ascall.callview.support.SagaScript
import io.ascall.callview.support.TestEvent
import io.ascall.local.LocalEnvironment
import io.ascall.local.LocalPostgres
import io.ascall.local.ProjectPaths
import io.ascall.local.ServiceProcess
import io.ascall.local.TopicProbe
import io.restassured.RestAssured.given
import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import java.util.UUID
import org.awaitility.Awaitility.await
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/**
 * A stop of the service (a rolling update, a scale-down) while events wait for the database: the
 * packaged service, as a process of its own (an integration test, run after `package`), on a
 * PostgreSQL of this test's own that it stops and starts again with the same data.
 *
 * What is unfinished at the stop must stay on the topics for the next consumer, not go to the
 * dead-letter topic, which is only for records that can never be applied.
 */
class StopKeepsUnfinishedEventsIT {

    private val kafka = LocalEnvironment.shared().kafka()
    private val topics = TopicProbe(kafka.bootstrapServers())
    private val folder: Path =
        Files.createTempDirectory(ProjectPaths.scratchDir(), "stop-postgres-")
    private var postgres: LocalPostgres = LocalPostgres.start(folder.resolve("data"), 0)
    private val service: ServiceProcess =
        ServiceProcess.forModule("call-view-service")
            .config(postgres.datasourceConfig("callview"))
            .config("kafka.bootstrap.servers", kafka.bootstrapServers())
            // tokens of this JVM's test issuer (the views are read as an operator)
            .config("quarkus.oidc.auth-server-url", TestIssuer.realmUrl())
            // stop at once on SIGTERM (no load balancer to drain from here)
            .config("quarkus.shutdown.delay", "0s")
            // commit every second, as in the other tests: a stop waits one commit interval for
            // unfinished records
            .config("kafka.auto.commit.interval.ms", "1000")
            .jvmArg("-Xmx256m")
            .start()

    @AfterEach
    fun stopAll() {
        service.kill() // the test is over: nothing of this run needs a clean stop
        postgres.close()
        topics.close()
        folder.toFile().deleteRecursively()
    }

    @Test
    fun `a stop while events are being retried dead-letters none of them, and the next start applies them all`() {
        service.awaitReady(STARTUP)
        val first = dispatchedSaga()
        first.events.forEach { topics.send(it.topic, it.key, it.json) }
        awaitDispatched(listOf(first.callId))

        // every event from now on fails for a reason other than its content, and is retried
        postgres.close()
        val backlog = (1..CALLS).map { dispatchedSaga() }
        backlog.flatMap { it.events }.forEach { topics.send(it.topic, it.key, it.json) }
        await().atMost(Duration.ofSeconds(30)).until {
            service.logTail(200).contains("retrying in")
        }

        service.stop()
        val calls = backlog.map { it.callId.toString() }.toSet()
        val deadLetters =
            topics.read(Kafka.DEAD_LETTERS, null, { false }, Duration.ofSeconds(5)).filter {
                it.key() in calls
            }
        assertEquals(
            emptyList<String>(),
            deadLetters.map { "${it.key()}: ${it.header("dead-letter-reason")}" },
            "nothing unfinished at the stop was dead-lettered (${deadLetters.size} of ${backlog.size * 5} events were)",
        )
        assertTrue(
            service.logTail(40).contains("stopped in"),
            "stopped cleanly on SIGTERM, not killed:\n${service.logTail(80)}",
        )

        postgres = LocalPostgres.start(folder.resolve("data"), postgres.port())
        service.restart().awaitReady(STARTUP)
        awaitDispatched(backlog.map { it.callId })
    }

    /** The five events of a call requested, paid and dispatched to an engineer. */
    private fun dispatchedSaga(): Saga {
        val saga = SagaScript()
        val engineer = Offer("Kang Min-ji")
        return Saga(
            saga.callId,
            listOf(
                saga.callRequested(),
                saga.paymentApproved(),
                saga.callPaid(),
                saga.engineerAssigned(engineer),
                saga.assignment("AssignmentAccepted", engineer),
            ),
        )
    }

    private fun awaitDispatched(calls: List<UUID>) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted {
            val incomplete = calls.filterNot { call ->
                val view =
                    given()
                        .port(service.port())
                        .auth()
                        .oauth2(Callers.OPERATOR_TOKEN)
                        .get("/call-views/$call")
                view.statusCode == 200 &&
                    view.jsonPath().getInt("version") == 5 &&
                    view.jsonPath().getString("status") == "DISPATCHED"
            }
            assertEquals(
                emptyList<UUID>(),
                incomplete,
                "calls whose view lacks some of their five events",
            )
        }
    }

    private data class Saga(val callId: UUID, val events: List<TestEvent>)

    companion object {
        private val STARTUP: Duration = Duration.ofSeconds(120)
        /**
         * A backlog: more than one record per channel is fetched and waiting when the stop comes.
         */
        private const val CALLS = 20
    }
}
