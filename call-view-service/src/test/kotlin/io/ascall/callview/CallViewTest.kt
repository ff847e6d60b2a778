package io.ascall.callview

import io.ascall.events.AssignmentAccepted
import io.ascall.events.AssignmentExpired
import io.ascall.events.CallPaid
import io.ascall.events.EngineerAssigned
import io.ascall.events.PaymentApproved
import java.time.Instant
import java.util.UUID
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Test

/** The projection's rules by themselves: what each fact implies, without a database. */
class CallViewTest {

    private val callId = UUID.randomUUID()

    @Test
    fun `the status each combination of facts implies`() {
        val cases =
            mapOf(
                (null to null) to null,
                (CallStep.REQUESTED to null) to CallStatus.REQUESTED,
                (CallStep.PAID to null) to CallStatus.PAID,
                (null to OfferStep.OFFERED) to CallStatus.ENGINEER_ASSIGNED,
                (CallStep.REQUESTED to OfferStep.OFFERED) to CallStatus.ENGINEER_ASSIGNED,
                (CallStep.PAID to OfferStep.ACCEPTED) to CallStatus.DISPATCHED,
                (CallStep.PAID to OfferStep.COMPLETED) to CallStatus.COMPLETED,
                (CallStep.PAID to OfferStep.EXPIRED) to CallStatus.PAID,
                (CallStep.PAID to OfferStep.REJECTED) to CallStatus.PAID,
                (CallStep.PAID to OfferStep.NO_ENGINEER) to CallStatus.CANCELLED,
                (CallStep.PAID to OfferStep.WITHDRAWN) to CallStatus.CANCELLED,
                (CallStep.CANCELLED to OfferStep.OFFERED) to CallStatus.CANCELLED,
                // call-service's decision wins a race: an offer accepted after the customer
                // cancelled
                (CallStep.CANCELLED to OfferStep.ACCEPTED) to CallStatus.CANCELLED,
                (CallStep.CANCELLED to OfferStep.COMPLETED) to CallStatus.CANCELLED,
                (CallStep.PAYMENT_FAILED to null) to CallStatus.PAYMENT_FAILED,
            )
        cases.forEach { (facts, status) ->
            assertEquals(status, CallStatus.implied(facts.first, facts.second), "$facts")
        }
    }

    @Test
    fun `an answer about an offer the call no longer follows changes nothing`() {
        val first = UUID.randomUUID()
        val firstEngineer = UUID.randomUUID()
        val second = UUID.randomUUID()
        val expiresAt = Instant.ofEpochSecond(300)
        val view =
            CallView(callId)
                .after(
                    envelope("EngineerAssigned", 1),
                    EngineerAssigned(first, firstEngineer, "Go Ara", expiresAt),
                )
                .after(envelope("AssignmentExpired", 2), AssignmentExpired(first, firstEngineer))
                .after(
                    envelope("EngineerAssigned", 3),
                    EngineerAssigned(second, UUID.randomUUID(), "Nam Joo-hyuk", expiresAt),
                )
        val after =
            view.after(envelope("AssignmentAccepted", 4), AssignmentAccepted(first, firstEngineer))
        assertEquals(view.engineer, after.engineer)
        assertEquals(
            view.version + 1,
            after.version,
            "it is applied all the same: its place in the order is taken",
        )
        assertEquals(CallStatus.ENGINEER_ASSIGNED, after.status)
    }

    @Test
    fun `the payment id comes from payment-service, or from CallPaid until then`() {
        val paymentId = UUID.randomUUID()
        val paid = CallView(callId).after(envelope("CallPaid", 2, Source.CALL), CallPaid(paymentId))
        assertEquals(paymentId, paid.paymentId)
        assertNull(paid.payment.status)
        assertEquals(
            paymentId,
            paid
                .after(envelope("PaymentApproved", 1, Source.PAYMENT), approved(paymentId))
                .paymentId,
        )
    }

    @Test
    fun `the last event time is the latest, in whatever order they come`() {
        val early = envelope("PaymentApproved", 1, Source.PAYMENT, at = 10)
        val late = envelope("CallPaid", 2, Source.CALL, at = 20)
        val approved = approved(UUID.randomUUID())
        val paid = CallPaid(UUID.randomUUID())
        assertEquals(
            Instant.ofEpochSecond(20),
            CallView(callId).after(late, paid).after(early, approved).lastEventAt,
        )
        assertEquals(
            Instant.ofEpochSecond(20),
            CallView(callId).after(early, approved).after(late, paid).lastEventAt,
        )
    }

    private fun approved(paymentId: UUID) = PaymentApproved(paymentId, "customer", 30000, "KRW")

    private fun envelope(
        type: String,
        sequence: Long,
        source: Source = Source.ENGINEER,
        at: Long = sequence,
    ) = Envelope(UUID.randomUUID(), type, callId, Instant.ofEpochSecond(at), source, sequence)
}
