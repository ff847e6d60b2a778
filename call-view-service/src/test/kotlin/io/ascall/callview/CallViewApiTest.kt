package io.ascall.callview

import io.ascall.callview.support.CallViewServiceTest
import io.ascall.callview.support.Callers.api
import io.ascall.callview.support.Kafka
import io.ascall.callview.support.Offer
import io.ascall.callview.support.SagaScript
import io.ascall.callview.support.Views
import io.restassured.response.ValidatableResponse
import java.util.UUID
import org.hamcrest.Matchers.containsInAnyOrder
import org.hamcrest.Matchers.equalTo
import org.hamcrest.Matchers.hasItem
import org.hamcrest.Matchers.notNullValue
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance

/** The API: one call, pages of calls with filters, and every kind of bad request as a problem. */
@CallViewServiceTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CallViewApiTest {

    private val customer = "customer-" + UUID.randomUUID().toString().take(8)
    private val engineer = Offer("Bae Su-ji")
    private val completed = SagaScript(customerId = customer)
    private val declined = SagaScript(customerId = customer)
    private val assigned = SagaScript(customerId = customer)

    private var published = false

    /** Once for the class (in a @BeforeEach: RestAssured knows the test port only from there). */
    @BeforeEach
    fun threeCallsOfOneCustomer() {
        if (published) return
        published = true
        val other = Offer("Shin Hye-sun")
        Kafka.send(
            completed.callRequested(),
            completed.callPaid(),
            completed.engineerAssigned(other),
            completed.assignment("AssignmentAccepted", other),
            completed.assignment("ServiceCompleted", other),
        )
        Kafka.send(
            declined.callRequested(),
            declined.paymentDeclined(),
            declined.callPaymentFailed("PAYMENT_DECLINED"),
        )
        Kafka.send(
            assigned.callRequested(),
            assigned.callPaid(),
            assigned.engineerAssigned(engineer),
        )
        Views.awaitVersion(completed.callId, 5)
        Views.awaitVersion(declined.callId, 3)
        Views.awaitVersion(assigned.callId, 3)
    }

    @Test
    fun `a call's view has every field of its story`() {
        api()
            .get("/call-views/${assigned.callId}")
            .then()
            .statusCode(200)
            .contentType("application/json")
            .body("callId", equalTo(assigned.callId.toString()))
            .body("customerId", equalTo(customer))
            .body("status", equalTo("ENGINEER_ASSIGNED"))
            .body("engineerName", equalTo("Bae Su-ji"))
            .body("version", equalTo(3))
            .body(
                "keySet()",
                containsInAnyOrder(
                    "callId",
                    "customerId",
                    "applianceType",
                    "region",
                    "address",
                    "description",
                    "status",
                    "failureReason",
                    "cancellationReason",
                    "fee",
                    "currency",
                    "paymentId",
                    "paymentStatus",
                    "engineerId",
                    "engineerName",
                    "assignmentId",
                    "offersMade",
                    "requestedAt",
                    "paidAt",
                    "paymentFailedAt",
                    "assignedAt",
                    "dispatchedAt",
                    "completedAt",
                    "cancelledAt",
                    "refundedAt",
                    "lastEventAt",
                    "version",
                ),
            )
    }

    @Test
    fun `a call the view does not know is a 404 problem`() {
        problem(api().get("/call-views/${UUID.randomUUID()}").then(), 404, "not-found")
            .body("instance", Views.pathMatcher("/call-views/"))
        problem(api().get("/call-views/not-a-uuid").then(), 404, "not-found")
            .body("detail", equalTo("No call not-a-uuid (call ids are UUIDs)"))
    }

    @Test
    fun `the calls of a customer, newest first, paged`() {
        api()
            .queryParam("customerId", customer)
            .get("/call-views")
            .then()
            .statusCode(200)
            .body("total", equalTo(3))
            .body("page", equalTo(0))
            .body("size", equalTo(20))
            .body(
                "items.callId",
                equalTo(listOf(assigned, declined, completed).map { it.callId.toString() }),
            )
        api()
            .queryParam("customerId", customer)
            .queryParam("size", 2)
            .queryParam("page", 1)
            .get("/call-views")
            .then()
            .statusCode(200)
            .body("total", equalTo(3))
            .body("page", equalTo(1))
            .body("size", equalTo(2))
            .body("items.callId", equalTo(listOf(completed.callId.toString())))
    }

    @Test
    fun `filters by status and by engineer`() {
        api()
            .queryParam("customerId", customer)
            .queryParam("status", "PAYMENT_FAILED")
            .get("/call-views")
            .then()
            .statusCode(200)
            .body("total", equalTo(1))
            .body("items[0].callId", equalTo(declined.callId.toString()))
            .body("items[0].paymentStatus", equalTo("DECLINED"))
        api()
            .queryParam("engineerId", engineer.engineerId.toString())
            .get("/call-views")
            .then()
            .statusCode(200)
            .body("total", equalTo(1))
            .body("items[0].callId", equalTo(assigned.callId.toString()))
        api()
            .queryParam("status", "COMPLETED")
            .get("/call-views")
            .then()
            .statusCode(200)
            .body("items.callId", hasItem(completed.callId.toString()))
    }

    @Test
    fun `bad query parameters are one 400 naming each`() {
        problem(
                api()
                    .queryParam("page", "-1")
                    .queryParam("size", "101")
                    .queryParam("status", "LOST")
                    .queryParam("engineerId", "bob")
                    .queryParam("customerId", "x".repeat(65))
                    .get("/call-views")
                    .then(),
                400,
                "validation",
            )
            .body(
                "errors.field",
                containsInAnyOrder("page", "size", "status", "engineerId", "customerId"),
            )
            .body(
                "errors.find { it.field == 'status' }.message",
                equalTo(
                    "must be one of REQUESTED, PAYMENT_FAILED, PAID, ENGINEER_ASSIGNED, DISPATCHED, COMPLETED, CANCELLED"
                ),
            )
            .body(
                "errors.find { it.field == 'size' }.message",
                equalTo("must be a whole number from 1 to 100"),
            )
            .body("instance", equalTo("/call-views"))
        problem(api().queryParam("size", "ten").get("/call-views").then(), 400, "validation")
            .body("errors.field", equalTo(listOf("size")))
        problem(api().queryParam("size", "0").get("/call-views").then(), 400, "validation")
    }

    @Test
    fun `a NUL or a control character in a filter and a page beyond the deepest are 400s`() {
        problem(
                api().urlEncodingEnabled(false).get("/call-views?customerId=c%00").then(),
                400,
                "validation",
            )
            .body("errors.field", equalTo(listOf("customerId")))
        problem(
            api().urlEncodingEnabled(false).get("/call-views?status=PAID%1b").then(),
            400,
            "validation",
        )
        problem(
                api().queryParam("page", "2147483647").get("/call-views").then(),
                400,
                "validation",
            )
            .body("errors.field", equalTo(listOf("page")))
        api().queryParam("page", "1000000").get("/call-views").then().statusCode(200)
    }

    @Test
    fun `wrong methods, media types and paths are problems too`() {
        problem(api().delete("/call-views/${assigned.callId}").then(), 405, "method-not-allowed")
        problem(api().post("/call-views").then(), 405, "method-not-allowed")
        problem(
            api().accept("application/xml").get("/call-views/${assigned.callId}").then(),
            406,
            "not-acceptable",
        )
        problem(
            api().accept("application/json").get("/call-views/${assigned.callId}/stream").then(),
            406,
            "not-acceptable",
        )
        problem(api().get("/no-such-thing").then(), 404, "not-found")
    }

    @Test
    fun `the API is described`() {
        api()
            .get("/q/openapi")
            .then()
            .statusCode(200)
            .body(org.hamcrest.Matchers.containsString("/call-views/{callId}/stream"))
    }

    private fun problem(
        response: ValidatableResponse,
        status: Int,
        slug: String,
    ): ValidatableResponse =
        response
            .statusCode(status)
            .contentType("application/problem+json")
            .body("type", equalTo("urn:ascall:problem:$slug"))
            .body("title", notNullValue())
            .body("status", equalTo(status))
            .body("detail", notNullValue())
}
