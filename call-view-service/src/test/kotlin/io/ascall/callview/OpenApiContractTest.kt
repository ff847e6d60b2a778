package io.ascall.callview

import io.ascall.apitesting.ApiContract
import io.ascall.apitesting.Tokens
import io.ascall.callview.repository.run
import io.ascall.callview.support.CallViewServiceTest
import io.ascall.callview.support.Callers.api
import io.ascall.callview.support.Kafka
import io.ascall.callview.support.Offer
import io.ascall.callview.support.Projection
import io.ascall.callview.support.SagaScript
import io.ascall.callview.support.SseClient
import io.ascall.callview.support.Views
import io.restassured.specification.RequestSpecification
import io.vertx.mutiny.sqlclient.Pool
import jakarta.inject.Inject
import java.time.Duration
import java.util.UUID
import kotlinx.coroutines.runBlocking
import org.awaitility.Awaitility.await
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance

/**
 * Every operation of call-view-service's OpenAPI document, exercised on the running service through
 * its answers (success, the domain's refusals, the shared errors), each answer validated against
 * the document the service serves. Fails on any undocumented status, member, type or null. The
 * stream goes through RestAssured only where it is refused before it starts (an accepted one never
 * ends); its 200 is read by a Server-Sent Events client.
 */
@CallViewServiceTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiContractTest {

    @Inject lateinit var pool: Pool

    private lateinit var contract: ApiContract

    private val customer = "contract-" + UUID.randomUUID().toString().take(8)
    private val engineer = Offer("Kim Do-yun")
    private val completed = SagaScript(customerId = customer)
    private val declined = SagaScript(customerId = customer)
    private val cancelled = SagaScript(customerId = customer)

    private var published = false

    /** Once for the class (in a @BeforeEach: RestAssured knows the test port only from there). */
    @BeforeEach
    fun threeCallsOfOneCustomer() {
        if (published) return
        published = true
        contract = ApiContract.ofRunningService()
        Kafka.send(
            completed.callRequested(),
            completed.paymentApproved(),
            completed.callPaid(),
            completed.engineerAssigned(engineer),
            completed.assignment("AssignmentAccepted", engineer),
            completed.assignment("ServiceCompleted", engineer),
        )
        Kafka.send(
            declined.callRequested(),
            declined.paymentDeclined(),
            declined.callPaymentFailed("PAYMENT_DECLINED"),
        )
        Kafka.send(
            cancelled.callRequested(),
            cancelled.paymentApproved(),
            cancelled.callPaid(),
            cancelled.callCancelled("CUSTOMER"),
            cancelled.paymentRefunded(),
        )
        Views.awaitVersion(completed.callId, 6)
        Views.awaitVersion(declined.callId, 3)
        Views.awaitVersion(cancelled.callId, 5)
    }

    @AfterAll
    fun everyOperationConformed() {
        contract.assertConforms()
        contract.assertEveryOperationExercised()
    }

    private fun client(): RequestSpecification = api().filter(contract)

    @Test
    fun `reading a call's view`() {
        for (saga in listOf(completed, declined, cancelled)) {
            client().get("/call-views/${saga.callId}").then().statusCode(200)
        }
        client().get("/call-views/${UUID.randomUUID()}").then().statusCode(404)
        client().get("/call-views/not-a-uuid").then().statusCode(404)
    }

    @Test
    fun `listing call views`() {
        client().queryParam("customerId", customer).get("/call-views").then().statusCode(200)
        client()
            .queryParam("customerId", customer)
            .queryParam("status", "COMPLETED")
            .get("/call-views")
            .then()
            .statusCode(200)
        client()
            .queryParam("engineerId", engineer.engineerId.toString())
            .get("/call-views")
            .then()
            .statusCode(200)
        client()
            .queryParam("customerId", customer)
            .queryParam("page", 1)
            .queryParam("size", 1)
            .get("/call-views")
            .then()
            .statusCode(200)
        client().queryParam("status", "CANCELLED").get("/call-views").then().statusCode(200)
        client().queryParam("customerId", "nobody-at-all").get("/call-views").then().statusCode(200)
        client().get("/call-views").then().statusCode(200)
        client()
            .queryParam("page", "-1")
            .queryParam("size", "101")
            .queryParam("engineerId", "bob")
            .get("/call-views")
            .then()
            .statusCode(400)
        client().queryParam("status", "LOST").get("/call-views").then().statusCode(400)
        client().queryParam("customerId", " ").get("/call-views").then().statusCode(400)
        client().queryParam("size", "ten").get("/call-views").then().statusCode(400)
    }

    @Test
    fun `following a call's view`() {
        // refused before the stream starts: through RestAssured and the contract
        client()
            .accept("text/event-stream")
            .get("/call-views/not-a-uuid/stream")
            .then()
            .statusCode(404)
        for (lastEventId in listOf("yesterday", "-1", "1.5")) {
            client()
                .accept("text/event-stream")
                .header("Last-Event-ID", lastEventId)
                .get("/call-views/${completed.callId}/stream")
                .then()
                .statusCode(400)
        }
        // accepted, it never ends: read as a browser's EventSource would, not by the validator
        SseClient.open("/call-views/${completed.callId}/stream").use { stream ->
            assertEquals(200, stream.response.statusCode())
            assertEquals(
                "text/event-stream",
                stream.response
                    .headers()
                    .firstValue("Content-Type")
                    .orElse("")
                    .substringBefore(';'),
            )
            val event = stream.next()
            assertEquals("call-view", event.name)
            assertEquals(event.view.getLong("version").toString(), event.id)
            assertEquals(completed.callId.toString(), event.view.getString("callId"))
        }
    }

    @Test
    fun `refusing callers without the right token`() {
        val view = "/call-views/${completed.callId}"
        val stranger = Tokens.customer("contract-stranger-" + UUID.randomUUID().toString().take(8))
        val engineerToken = Tokens.engineer("contract-engineer")
        // no token: 401, with the challenge, on every operation
        client().header("Authorization", "").get(view).then().statusCode(401)
        client().header("Authorization", "").get("/call-views").then().statusCode(401)
        client()
            .header("Authorization", "")
            .accept("text/event-stream")
            .get("$view/stream")
            .then()
            .statusCode(401)
        client().header("Authorization", "").post("/admin/rebuild").then().statusCode(401)
        client().header("Authorization", "").get("/admin/rebuild").then().statusCode(401)
        // a role that reads nothing here, or a customer on the operators' API: 403
        client().auth().oauth2(engineerToken).get(view).then().statusCode(403)
        client().auth().oauth2(engineerToken).get("/call-views").then().statusCode(403)
        client()
            .auth()
            .oauth2(engineerToken)
            .accept("text/event-stream")
            .get("$view/stream")
            .then()
            .statusCode(403)
        client().auth().oauth2(stranger).post("/admin/rebuild").then().statusCode(403)
        client().auth().oauth2(stranger).get("/admin/rebuild").then().statusCode(403)
        // a customer naming another customer: 403; another customer's call: 404, as no call
        client()
            .auth()
            .oauth2(stranger)
            .queryParam("customerId", customer)
            .get("/call-views")
            .then()
            .statusCode(403)
        client().auth().oauth2(stranger).get(view).then().statusCode(404)
        client()
            .auth()
            .oauth2(stranger)
            .accept("text/event-stream")
            .get("$view/stream")
            .then()
            .statusCode(404)
    }

    @Test
    fun `rebuilding the projection`() {
        // none has run yet: 404. The runs of other tests are set aside meanwhile, then put back.
        val runs = runBlocking {
            pool
                .run("select coalesce(json_agg(r), '[]')::text from rebuild_run r")
                .first()
                .getString(0)
        }
        try {
            runBlocking { pool.run("delete from rebuild_run") }
            client().get("/admin/rebuild").then().statusCode(404)
        } finally {
            runBlocking {
                pool.run(
                    "insert into rebuild_run select * from json_populate_recordset(null::rebuild_run, $1::text::json)",
                    runs,
                )
            }
        }

        // another replica's rebuild is running: 409, and it is the latest
        val other = UUID.randomUUID()
        runBlocking {
            pool.run(
                "insert into rebuild_run (id, state, requested_at, heartbeat_at) values ($1, 'RUNNING', now(), now())",
                other,
            )
        }
        client().post("/admin/rebuild").then().statusCode(409)
        client().get("/admin/rebuild").then().statusCode(200)
        // its replica stopped: ABANDONED once its progress is old
        runBlocking {
            pool.run(
                "update rebuild_run set heartbeat_at = now() - interval '1 hour' where id = $1",
                other,
            )
        }
        client().get("/admin/rebuild").then().statusCode(200)

        // a real one: 202, followed until it has swapped in, so that no test meets it running
        Projection.awaitCaughtUp()
        val run =
            client()
                .post("/admin/rebuild")
                .then()
                .statusCode(202)
                .extract()
                .jsonPath()
                .getString("id")
        client().get("/admin/rebuild").then().statusCode(200)
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until {
            api().get("/admin/rebuild").then().extract().jsonPath().let {
                it.getString("id") == run && it.getString("state") != "RUNNING"
            }
        }
        val done = client().get("/admin/rebuild").then().statusCode(200).extract().jsonPath()
        assertEquals("COMPLETED", done.getString("state"))
        // the rebuilt projection, now live, holds the calls as they were
        assertEquals(6, Views.get(completed.callId).getInt("version"))
    }
}
