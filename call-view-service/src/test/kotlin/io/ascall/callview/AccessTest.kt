package io.ascall.callview

import io.ascall.apitesting.Problems
import io.ascall.apitesting.Problems.challenge
import io.ascall.apitesting.Problems.problem
import io.ascall.apitesting.Problems.unauthorized
import io.ascall.apitesting.Tokens
import io.ascall.callview.stream.CallViewStreams
import io.ascall.callview.support.CallViewServiceTest
import io.ascall.callview.support.Callers.asCustomer
import io.ascall.callview.support.Callers.asOperator
import io.ascall.callview.support.Callers.asToken
import io.ascall.callview.support.Kafka
import io.ascall.callview.support.Offer
import io.ascall.callview.support.SagaScript
import io.ascall.callview.support.SseClient
import io.ascall.callview.support.Views
import io.restassured.RestAssured.given
import jakarta.inject.Inject
import java.time.Duration
import java.util.UUID
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit
import org.awaitility.Awaitility.await
import org.eclipse.microprofile.config.ConfigProvider
import org.hamcrest.Matchers.contains
import org.hamcrest.Matchers.equalTo
import org.hamcrest.Matchers.everyItem
import org.hamcrest.Matchers.startsWith
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance

/**
 * call-view-service's rows of the README's access table: a customer reads, lists and follows only
 * their own calls (another customer's call is answered as no call: 404; naming another customer in
 * a filter is a 403), operators see every call and alone rebuild the projection, and nobody else
 * gets in. Alice and Bob each have a call, both offered to the same engineer, so that a filter that
 * leaked would show it.
 */
@CallViewServiceTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessTest {

    @Inject lateinit var streams: CallViewStreams

    private val alice = "access-alice-" + UUID.randomUUID().toString().take(8)
    private val bob = "access-bob-" + UUID.randomUUID().toString().take(8)
    private val engineer = Offer("Lee Seo-yeon")
    private val alices = SagaScript(customerId = alice)
    private val bobs = SagaScript(customerId = bob)

    /** How long a customer's stream request waits for the view to know the call (test profile). */
    private val awaitCall: Duration =
        ConfigProvider.getConfig().getValue("callview.stream.await-call", Duration::class.java)

    private var published = false

    /** Once for the class (in a @BeforeEach: RestAssured knows the test port only from there). */
    @BeforeEach
    fun oneCallEach() {
        if (published) return
        published = true
        for (saga in listOf(alices, bobs)) {
            Kafka.send(saga.callRequested(), saga.callPaid(), saga.engineerAssigned(engineer))
        }
        // as the first test class of a JVM (by name), this may wait for the consumer group to form:
        // the previous JVM's consumers leave it only after their session timeout (10 s)
        Views.awaitVersion(alices.callId, 3, Duration.ofSeconds(90))
        Views.awaitVersion(bobs.callId, 3)
    }

    @Test
    fun `a customer reads their own call's view, and another's is no call`() {
        asCustomer(alice)
            .get("/call-views/${alices.callId}")
            .then()
            .statusCode(200)
            .body("customerId", equalTo(alice))
        problem(asCustomer(alice).get("/call-views/${bobs.callId}").then(), 404, "not-found")
            .body("detail", equalTo("No call ${bobs.callId}"))
        // the same answer as for a call that does not exist
        val unknown = UUID.randomUUID()
        problem(asCustomer(alice).get("/call-views/$unknown").then(), 404, "not-found")
            .body("detail", equalTo("No call $unknown"))
        // operators read every call
        asOperator()
            .get("/call-views/${bobs.callId}")
            .then()
            .statusCode(200)
            .body("customerId", equalTo(bob))
    }

    @Test
    fun `a customer lists their own calls only, whatever the filters`() {
        // their own, whether or not they name themselves
        asCustomer(alice)
            .get("/call-views")
            .then()
            .statusCode(200)
            .body("total", equalTo(1))
            .body("items.customerId", everyItem(equalTo(alice)))
        asCustomer(alice)
            .queryParam("customerId", alice)
            .get("/call-views")
            .then()
            .statusCode(200)
            .body("items.callId", contains(alices.callId.toString()))
        // the filters that cross customers narrow their own calls only: the engineer came to both
        for (filter in
            listOf("engineerId" to engineer.engineerId, "status" to "ENGINEER_ASSIGNED")) {
            asCustomer(alice)
                .queryParam(filter.first, filter.second.toString())
                .get("/call-views")
                .then()
                .statusCode(200)
                .body("total", equalTo(1))
                .body("items.callId", contains(alices.callId.toString()))
        }
        asOperator()
            .queryParam("engineerId", engineer.engineerId.toString())
            .get("/call-views")
            .then()
            .statusCode(200)
            .body("total", equalTo(2))
        // naming another customer is refused, not answered with an empty page
        problem(
                asCustomer(alice).queryParam("customerId", bob).get("/call-views").then(),
                403,
                "forbidden",
            )
            .body("detail", startsWith("A customer sees only their own calls"))
        problem(
            asCustomer(alice)
                .queryParam("customerId", bob)
                .queryParam("engineerId", engineer.engineerId.toString())
                .get("/call-views")
                .then(),
            403,
            "forbidden",
        )
        // operators list anyone's
        asOperator()
            .queryParam("customerId", bob)
            .get("/call-views")
            .then()
            .statusCode(200)
            .body("items.callId", contains(bobs.callId.toString()))
    }

    @Test
    fun `a customer follows their own call's stream, and another's is refused before it opens`() {
        SseClient.open("/call-views/${alices.callId}/stream", token = Tokens.customer(alice)).use {
            stream ->
            assertEquals(200, stream.response.statusCode())
            assertEquals(alices.callId.toString(), stream.next().view.getString("callId"))
        }
        val before = streams.openStreams()
        // another's call and an unknown one: the same 404, as a problem, after the same wait
        for (call in listOf(bobs.callId, UUID.randomUUID())) {
            val started = System.nanoTime()
            val refusal = refusedStream(call, Tokens.customer(alice), 404, "not-found")
            assertEquals("No call $call", refusal.problem.getString("detail"))
            val took = Duration.ofNanos(System.nanoTime() - started)
            assertTrue(took >= awaitCall, "refused after $took, not after $awaitCall")
        }
        // and no refusal left a follower behind (the count may also drop: a closed stream ends on
        // its next heartbeat)
        await().atMost(Duration.ofSeconds(5)).until { streams.openStreams() <= before }
        // operators follow any call
        SseClient.open("/call-views/${bobs.callId}/stream").use { stream ->
            assertEquals(200, stream.response.statusCode())
            assertEquals(bob, stream.next().view.getString("customerId"))
        }
    }

    @Test
    fun `a customer's stream opened right after requesting the call opens once the view knows it`() {
        val saga = SagaScript(customerId = alice)
        val path = "/call-views/${saga.callId}/stream"
        val opening = CompletableFuture.supplyAsync {
            SseClient.open(path, token = Tokens.customer(alice))
        }
        // the request waits for the view to know the call: no answer yet
        Thread.sleep(awaitCall.toMillis() / 5)
        assertFalse(opening.isDone, "answered before the view knew the call")
        Kafka.send(saga.callRequested())
        opening.get(awaitCall.toMillis() * 2, TimeUnit.MILLISECONDS).use { stream ->
            assertEquals(200, stream.response.statusCode())
            val first = stream.next()
            assertEquals("1", first.id)
            assertEquals(alice, first.view.getString("customerId"))
        }
    }

    @Test
    fun `rebuilding the projection is the operators' alone`() {
        val latest = asOperator().get("/admin/rebuild")
        assertTrue(latest.statusCode in listOf(200, 404), "operators follow rebuilds: $latest")
        for (token in
            listOf(
                Tokens.customer(alice),
                Tokens.engineer("access-engineer"),
                Tokens.user("nobody"),
            )) {
            problem(asToken(token).post("/admin/rebuild").then(), 403, "forbidden")
            problem(asToken(token).get("/admin/rebuild").then(), 403, "forbidden")
        }
        // no refused request started one (operators start them: RebuildTest)
        val after = asOperator().get("/admin/rebuild")
        assertEquals(latest.statusCode, after.statusCode)
        assertEquals(latest.jsonPath().getString("id"), after.jsonPath().getString("id"))
    }

    @Test
    fun `engineers, users without a role and services read nothing here`() {
        for (token in
            listOf(
                Tokens.engineer("access-engineer"),
                Tokens.user("access-nobody"),
                Tokens.service("call-service", "call-view-service"),
            )) {
            problem(asToken(token).get("/call-views/${alices.callId}").then(), 403, "forbidden")
            problem(asToken(token).get("/call-views").then(), 403, "forbidden")
            refusedStream(alices.callId, token, 403, "forbidden")
        }
    }

    @Test
    fun `without a valid token only health answers`() {
        val bad =
            listOf(
                null,
                Tokens.expiredCustomer(alice),
                Tokens.forgedCustomer(alice),
                Tokens.customerFor(alice, "call-service"),
                "not-a-jwt",
            )
        for (token in bad) {
            val sent = token != null
            unauthorized(asToken(token).get("/call-views/${alices.callId}").then(), sent)
            unauthorized(asToken(token).get("/call-views").then(), sent)
            val refusal = refusedStream(alices.callId, token, 401, "unauthorized")
            assertEquals(challenge(sent), refusal.header("WWW-Authenticate"))
            unauthorized(asToken(token).post("/admin/rebuild").then(), sent)
            unauthorized(asToken(token).get("/admin/rebuild").then(), sent)
        }
        given().get("/q/health/ready").then().statusCode(200)
        given().get("/q/health/live").then().statusCode(200)
        given().get("/q/openapi").then().statusCode(200)
    }

    /**
     * The call's stream asked for with [token], refused as a problem before it opened (a stream
     * that opens instead fails the test at once: it would never end).
     */
    private fun refusedStream(
        callId: UUID,
        token: String?,
        status: Int,
        slug: String,
    ): SseClient.Refusal {
        val refusal = SseClient.refused("/call-views/$callId/stream", token)
        assertEquals(status, refusal.status, refusal.body)
        assertEquals(
            Problems.MEDIA_TYPE,
            refusal.header("Content-Type")?.substringBefore(';'),
        )
        assertEquals(Problems.type(slug), refusal.problem.getString("type"))
        return refusal
    }
}
