package io.ascall.callview

import io.ascall.callview.support.CallViewServiceTest
import io.ascall.callview.support.Kafka
import io.ascall.callview.support.Offer
import io.ascall.callview.support.SagaScript
import io.ascall.callview.support.TestEvent
import io.ascall.callview.support.Views
import io.restassured.path.json.JsonPath
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Test

/** What each saga event does to the view, step by step, for every path a call can take. */
@CallViewServiceTest
class ProjectionTest {

    @Test
    fun `a paid call is offered, accepted and completed`() {
        val saga = SagaScript()
        val engineer = Offer("Park Ji-hoon")

        var view =
            step(
                saga,
                1,
                saga.callRequested(applianceType = "DRYER", region = "busan", fee = 35000),
            )
        assertEquals("REQUESTED", view.getString("status"))
        assertEquals(saga.customerId, view.getString("customerId"))
        assertEquals("DRYER", view.getString("applianceType"))
        assertEquals("busan", view.getString("region"))
        assertEquals("12 Teheran-ro", view.getString("address"))
        assertEquals("drum does not spin", view.getString("description"))
        assertEquals(35000, view.getInt("fee"))
        assertEquals("KRW", view.getString("currency"))
        assertNotNull(view.getString("requestedAt"))
        assertNull(view.getString("paymentStatus"))

        view = step(saga, 2, saga.paymentApproved())
        assertEquals("APPROVED", view.getString("paymentStatus"))
        assertEquals(saga.paymentId.toString(), view.getString("paymentId"))
        assertEquals(
            "REQUESTED",
            view.getString("status"),
            "the payment alone does not make the call paid",
        )

        view = step(saga, 3, saga.callPaid())
        assertEquals("PAID", view.getString("status"))
        assertNotNull(view.getString("paidAt"))

        view = step(saga, 4, saga.engineerAssigned(engineer))
        assertEquals("ENGINEER_ASSIGNED", view.getString("status"))
        assertEquals(engineer.engineerId.toString(), view.getString("engineerId"))
        assertEquals("Park Ji-hoon", view.getString("engineerName"))
        assertEquals(engineer.assignmentId.toString(), view.getString("assignmentId"))
        assertEquals(1, view.getInt("offersMade"))
        assertNotNull(view.getString("assignedAt"))

        view = step(saga, 5, saga.assignment("AssignmentAccepted", engineer))
        assertEquals("DISPATCHED", view.getString("status"))
        assertNotNull(view.getString("dispatchedAt"))

        view = step(saga, 6, saga.assignment("ServiceCompleted", engineer))
        assertEquals("COMPLETED", view.getString("status"))
        assertNotNull(view.getString("completedAt"))
        assertEquals(view.getString("completedAt"), view.getString("lastEventAt"))
        assertEquals(engineer.engineerId.toString(), view.getString("engineerId"))
    }

    @Test
    fun `a declined payment fails the call`() {
        val saga = SagaScript()
        step(saga, 1, saga.callRequested())
        var view = step(saga, 2, saga.paymentDeclined())
        assertEquals("DECLINED", view.getString("paymentStatus"))
        assertEquals("REQUESTED", view.getString("status"))

        view = step(saga, 3, saga.callPaymentFailed("PAYMENT_DECLINED"))
        assertEquals("PAYMENT_FAILED", view.getString("status"))
        assertEquals("PAYMENT_DECLINED", view.getString("failureReason"))
        assertNotNull(view.getString("paymentFailedAt"))
        assertNull(view.getString("paidAt"))
    }

    @Test
    fun `a charge that arrives after the call failed is voided and given back`() {
        val saga = SagaScript()
        step(saga, 1, saga.callRequested())
        var view = step(saga, 2, saga.callPaymentFailed("PAYMENT_UNAVAILABLE", paymentId = null))
        assertEquals("PAYMENT_FAILED", view.getString("status"))
        assertEquals("PAYMENT_UNAVAILABLE", view.getString("failureReason"))
        assertNull(view.getString("paymentId"))

        step(saga, 3, saga.paymentApproved())
        view = step(saga, 4, saga.paymentVoided(refunded = true))
        assertEquals("PAYMENT_FAILED", view.getString("status"))
        assertEquals("VOIDED", view.getString("paymentStatus"))
        assertEquals(saga.paymentId.toString(), view.getString("paymentId"))
        assertNotNull(view.getString("refundedAt"))
    }

    @Test
    fun `a customer's cancellation withdraws the offer and refunds`() {
        val saga = SagaScript()
        val engineer = Offer("Jung Ha-eun")
        paid(saga)
        step(saga, 4, saga.engineerAssigned(engineer))

        var view = step(saga, 5, saga.callCancelled("CUSTOMER"))
        assertEquals("CANCELLED", view.getString("status"))
        assertEquals("CUSTOMER", view.getString("cancellationReason"))
        assertNotNull(view.getString("cancelledAt"))

        view = step(saga, 6, saga.assignment("AssignmentWithdrawn", engineer))
        assertEquals("CANCELLED", view.getString("status"))
        assertEquals(
            engineer.engineerId.toString(),
            view.getString("engineerId"),
            "as call-service keeps it",
        )

        view = step(saga, 7, saga.paymentRefunded())
        assertEquals("REFUNDED", view.getString("paymentStatus"))
        assertNotNull(view.getString("refundedAt"))
    }

    @Test
    fun `offers that expire or are rejected go to the next engineer until none is left`() {
        val saga = SagaScript()
        val first = Offer("Kang Seo-yeon")
        val second = Offer("Yoon Do-hyun")
        paid(saga)
        step(saga, 4, saga.engineerAssigned(first))

        var view = step(saga, 5, saga.assignment("AssignmentExpired", first))
        assertEquals("PAID", view.getString("status"))
        assertNull(view.getString("engineerId"))
        assertNull(view.getString("assignmentId"))
        assertNull(view.getString("assignedAt"))

        view = step(saga, 6, saga.engineerAssigned(second))
        assertEquals("ENGINEER_ASSIGNED", view.getString("status"))
        assertEquals("Yoon Do-hyun", view.getString("engineerName"))
        assertEquals(2, view.getInt("offersMade"))

        view = step(saga, 7, saga.assignment("AssignmentRejected", second))
        assertEquals("PAID", view.getString("status"))

        view = step(saga, 8, saga.noEngineerAvailable(offersMade = 2))
        assertEquals(
            "CANCELLED",
            view.getString("status"),
            "call-service cancels a call no engineer takes",
        )
        assertNull(view.getString("cancellationReason"), "not said until call-service says it")

        view = step(saga, 9, saga.callCancelled("NO_ENGINEER"))
        assertEquals("NO_ENGINEER", view.getString("cancellationReason"))
        view = step(saga, 10, saga.paymentRefunded())
        assertEquals("REFUNDED", view.getString("paymentStatus"))
        assertEquals(2, view.getInt("offersMade"))
        assertNull(view.getString("engineerId"))
    }

    private fun paid(saga: SagaScript) {
        step(saga, 1, saga.callRequested())
        step(saga, 2, saga.paymentApproved())
        step(saga, 3, saga.callPaid())
    }

    /** Publishes the event and answers the view once it has applied it. */
    private fun step(saga: SagaScript, version: Int, event: TestEvent): JsonPath {
        Kafka.send(event)
        return Views.awaitVersion(saga.callId, version)
    }
}
