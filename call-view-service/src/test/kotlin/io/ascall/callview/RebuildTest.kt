package io.ascall.callview

import io.ascall.callview.repository.run
import io.ascall.callview.support.CallViewServiceTest
import io.ascall.callview.support.Callers.api
import io.ascall.callview.support.Kafka
import io.ascall.callview.support.Offer
import io.ascall.callview.support.Projection
import io.ascall.callview.support.SagaScript
import io.ascall.callview.support.Views
import io.restassured.path.json.JsonPath
import io.vertx.mutiny.sqlclient.Pool
import jakarta.inject.Inject
import java.time.Duration
import java.util.UUID
import kotlinx.coroutines.runBlocking
import org.awaitility.Awaitility.await
import org.hamcrest.Matchers.equalTo
import org.hamcrest.Matchers.notNullValue
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

/**
 * `POST /admin/rebuild`: the projection built again from the topics ends identical to the live one.
 */
@CallViewServiceTest
class RebuildTest {

    @Inject lateinit var pool: Pool

    @Test
    fun `a rebuild from the topics ends identical to the live projection, row for row`() {
        val sagas = publishSagasOfEveryKind()
        Projection.awaitCaughtUp()
        val live = Projection.snapshot(pool, "public")
        assertEquals(true, live.views.size >= sagas.size)
        assertEquals(
            true,
            live.parked.isNotEmpty(),
            "an event waits for one that never came, in both",
        )

        val run = startRebuild()
        api().get("/admin/rebuild").then().statusCode(200).body("id", equalTo(run))
        val done = awaitRebuild(run)
        assertEquals("COMPLETED", done.getString("state"))
        assertEquals(live.views.size, done.getInt("callsBefore"))
        assertEquals(live.views.size, done.getInt("callsAfter"))
        assertEquals(
            listOf("call-events", "payment-events", "engineer-events"),
            done.getList<String>("topics.topic"),
        )
        assertEquals(
            done.getList<Int>("topics.end"),
            done.getList<Int>("topics.position"),
            "read to the end of each topic",
        )

        assertEquals(live, Projection.snapshot(pool, "public"), "the rebuilt projection, now live")
        assertEquals(
            live,
            Projection.snapshot(pool, "callview_retired"),
            "the one it replaced, kept aside",
        )

        // the live consumer goes on, into the rebuilt tables
        val saga = sagas.first()
        Kafka.send(saga.callCancelled("CUSTOMER"))
        assertEquals(
            "CANCELLED",
            Views.await(saga.callId) { it.getString("cancellationReason") == "CUSTOMER" }
                .getString("status"),
        )
    }

    @Test
    fun `one rebuild at a time, across replicas, unless the one running has stopped`() {
        val other = UUID.randomUUID()
        runBlocking {
            pool.run(
                "insert into rebuild_run (id, state, requested_at, heartbeat_at) values ($1, 'RUNNING', now(), now())",
                other,
            )
        }
        api()
            .post("/admin/rebuild")
            .then()
            .statusCode(409)
            .contentType("application/problem+json")
            .body("type", equalTo("urn:ascall:problem:conflict"))
            .body("rebuildId", equalTo(other.toString()))

        // its replica stopped: no progress for longer than callview.rebuild.abandoned-after
        runBlocking {
            pool.run(
                "update rebuild_run set heartbeat_at = now() - interval '1 hour' where id = $1",
                other,
            )
        }
        api()
            .get("/admin/rebuild")
            .then()
            .statusCode(200)
            .body("id", equalTo(other.toString()))
            .body("state", equalTo("ABANDONED"))
        val run = startRebuild()
        assertEquals("COMPLETED", awaitRebuild(run).getString("state"))
    }

    private fun startRebuild(): String =
        api()
            .post("/admin/rebuild")
            .then()
            .statusCode(202)
            .header("Location", org.hamcrest.Matchers.endsWith("/admin/rebuild"))
            .body("state", equalTo("RUNNING"))
            .body("requestedAt", notNullValue())
            .extract()
            .jsonPath()
            .getString("id")

    private fun awaitRebuild(id: String): JsonPath {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until {
            api().get("/admin/rebuild").then().extract().jsonPath().let {
                it.getString("id") == id && it.getString("state") != "RUNNING"
            }
        }
        return api().get("/admin/rebuild").then().statusCode(200).extract().jsonPath()
    }

    /**
     * Dispatched, declined, cancelled and no-engineer sagas, with duplicates and events out of
     * order (each event is made in its source's order, then published in another).
     */
    private fun publishSagasOfEveryKind(): List<SagaScript> {
        val dispatched = SagaScript()
        val engineer = Offer("Ahn Bo-hyun")
        val requested = dispatched.callRequested()
        val approved = dispatched.paymentApproved()
        val paid = dispatched.callPaid()
        val assigned = dispatched.engineerAssigned(engineer)
        val accepted = dispatched.assignment("AssignmentAccepted", engineer)
        Kafka.send(approved, accepted, paid, requested, assigned, accepted, approved)

        val declined = SagaScript()
        Kafka.send(
            declined.callRequested(),
            declined.paymentDeclined(),
            declined.callPaymentFailed("PAYMENT_DECLINED"),
        )

        val cancelled = SagaScript()
        val cancelledRequest = cancelled.callRequested()
        val charged = cancelled.paymentApproved()
        val cancelledPaid = cancelled.callPaid()
        val cancellation = cancelled.callCancelled("CUSTOMER")
        val refund = cancelled.paymentRefunded()
        Kafka.send(refund, cancellation, cancelledRequest, charged, cancelledPaid, refund)

        val nobody = SagaScript()
        val noEngineer = nobody.noEngineerAvailable(0)
        Kafka.send(
            nobody.callRequested(),
            nobody.paymentApproved(),
            nobody.callPaid(),
            noEngineer,
            nobody.callCancelled("NO_ENGINEER"),
            noEngineer,
            nobody.paymentRefunded(),
        )

        // an event whose predecessor never arrives stays parked, in the rebuild as in the live
        // projection
        val gap = SagaScript()
        gap.callRequested()
        Kafka.send(gap.callPaid())

        Views.awaitVersion(dispatched.callId, 5)
        Views.awaitVersion(declined.callId, 3)
        Views.awaitVersion(cancelled.callId, 5)
        Views.awaitVersion(nobody.callId, 6)
        return listOf(dispatched, declined, cancelled, nobody)
    }
}
