package io.ascall.callview

import io.ascall.callview.health.ProjectionReadiness
import io.ascall.callview.messaging.Inbox
import io.ascall.callview.support.CallViewServiceTest
import io.ascall.callview.support.Kafka
import io.ascall.callview.support.Projection
import io.ascall.callview.support.SagaScript
import io.ascall.callview.support.Views
import io.restassured.RestAssured.given
import io.smallrye.mutiny.coroutines.awaitSuspending
import io.vertx.mutiny.sqlclient.Pool
import io.vertx.mutiny.sqlclient.Tuple
import jakarta.inject.Inject
import java.time.Duration
import kotlinx.coroutines.runBlocking
import org.awaitility.Awaitility.await
import org.hamcrest.Matchers.containsString
import org.hamcrest.Matchers.equalTo
import org.hamcrest.Matchers.hasItem
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

/**
 * Health and the lag behind the topics: visible as a metric and as readiness data, never a reason
 * to be unready.
 */
@CallViewServiceTest
class HealthTest {

    @Inject lateinit var pool: Pool

    @Test
    fun `readiness includes the database and reports the projection's lag`() {
        given()
            .get("/q/health/ready")
            .then()
            .statusCode(200)
            .body("status", equalTo("UP"))
            .body("checks.name", hasItem("Reactive PostgreSQL connections health check"))
            .body("checks.name", hasItem(ProjectionReadiness.NAME))
        await().atMost(Duration.ofSeconds(10)).until { Projection.lag("call-events") != null }
        val data = Projection.readinessData()
        assertEquals(
            true,
            data.keys.containsAll(
                listOf(
                    "lag.call-events",
                    "lag.payment-events",
                    "lag.engineer-events",
                    "parkedEvents",
                    "openStreams",
                    "lagMeasuredAt",
                )
            ),
            data.toString(),
        )
    }

    @Test
    fun `liveness is the process`() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"))
    }

    @Test
    fun `the lag per topic is a metric`() {
        given()
            .get("/q/metrics")
            .then()
            .statusCode(200)
            .body(containsString("callview_consumer_lag{topic=\"call-events\"}"))
            .body(containsString("callview_consumer_lag{topic=\"payment-events\"}"))
            .body(containsString("callview_consumer_lag{topic=\"engineer-events\"}"))
    }

    @Test
    fun `a projection held up falls behind visibly, stays ready, and catches up`() {
        Projection.awaitCaughtUp()
        val saga = SagaScript()
        runBlocking {
            // what a long rebuild swap does: the live projection waits for this lock
            val holder = pool.connection.awaitSuspending()
            try {
                holder
                    .preparedQuery("select pg_advisory_lock($1)")
                    .execute(Tuple.of(Inbox.SWAP_LOCK))
                    .awaitSuspending()
                Kafka.send(saga.callRequested(), saga.paymentApproved(), saga.callPaid())
                await().atMost(Duration.ofSeconds(20)).until {
                    (Projection.lag("call-events") ?: 0) >= 1
                }
                given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                assertEquals(404, Views.status(saga.callId))
            } finally {
                holder
                    .preparedQuery("select pg_advisory_unlock($1)")
                    .execute(Tuple.of(Inbox.SWAP_LOCK))
                    .awaitSuspending()
                holder.close().awaitSuspending()
            }
        }
        assertEquals("PAID", Views.awaitVersion(saga.callId, 3).getString("status"))
        Projection.awaitCaughtUp()
    }
}
