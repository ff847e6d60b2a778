package io.ascall.callview

import io.ascall.events.AssignmentAccepted
import io.ascall.events.AssignmentEvent
import io.ascall.events.AssignmentExpired
import io.ascall.events.AssignmentRejected
import io.ascall.events.AssignmentWithdrawn
import io.ascall.events.CallCancelled
import io.ascall.events.CallEvent
import io.ascall.events.CallPaid
import io.ascall.events.CallPaymentFailed
import io.ascall.events.CallRequested
import io.ascall.events.EngineerAssigned
import io.ascall.events.EngineerEvent
import io.ascall.events.NoEngineerAvailable
import io.ascall.events.PaymentApproved
import io.ascall.events.PaymentDeclined
import io.ascall.events.PaymentEvent
import io.ascall.events.PaymentRefunded
import io.ascall.events.PaymentVoided
import io.ascall.events.SagaEvent
import io.ascall.events.ServiceCompleted
import java.time.Instant
import java.util.UUID

/**
 * Everything the view knows about one call: the latest facts of each source, and what they imply.
 *
 * Each source's facts change only with that source's events, which the inbox applies in the
 * source's order ([Envelope.sequence]). The facts of one source never depend on another's, and
 * [status] is computed from the facts alone: so the same set of events gives the same view whatever
 * order the three topics deliver them in (README: "Ordering across topics").
 *
 * @property version how many events were applied to this view; the id of its Server-Sent Events
 */
data class CallView(
    val callId: UUID,
    val call: CallFacts = CallFacts(),
    val payment: PaymentFacts = PaymentFacts(),
    val engineer: EngineerFacts = EngineerFacts(),
    val lastEventAt: Instant? = null,
    val version: Long = 0,
) {
    /**
     * The call's status as call-service has it, or will once it has applied what the view has seen.
     */
    val status: CallStatus?
        get() = CallStatus.implied(call.step, engineer.step)

    /**
     * payment-service names the call's payment; call-service's CallPaid says the same once the view
     * has it.
     */
    val paymentId: UUID?
        get() = payment.paymentId ?: call.paymentId

    /**
     * Shown by the API only once its CallRequested is applied: before, the view lacks the call's
     * own data.
     */
    val isKnown: Boolean
        get() = call.requestedAt != null

    /** The view once the event, with its envelope, is applied. */
    fun after(envelope: Envelope, event: SagaEvent): CallView {
        val occurredAt = envelope.occurredAt
        val changed =
            when (event) {
                is CallEvent -> copy(call = call.after(event, occurredAt))
                is PaymentEvent -> copy(payment = payment.after(event, occurredAt))
                is EngineerEvent -> copy(engineer = engineer.after(event, occurredAt))
            }
        return changed.copy(
            lastEventAt =
                if (lastEventAt == null || occurredAt.isAfter(lastEventAt)) occurredAt
                else lastEventAt,
            version = version + 1,
        )
    }
}

/** The last step call-service reported about its call. */
enum class CallStep {
    REQUESTED,
    PAID,
    PAYMENT_FAILED,
    CANCELLED,
}

/** The last step engineer-service reported about offering the call. */
enum class OfferStep {
    OFFERED,
    ACCEPTED,
    REJECTED,
    EXPIRED,
    WITHDRAWN,
    COMPLETED,
    NO_ENGINEER,
}

/** A payment's status, as payment-service's latest event about it says. */
enum class PaymentStatus {
    APPROVED,
    DECLINED,
    VOIDED,
    REFUNDED,
}

/** The call's status, named as call-service names it. */
enum class CallStatus {
    REQUESTED,
    PAYMENT_FAILED,
    PAID,
    ENGINEER_ASSIGNED,
    DISPATCHED,
    COMPLETED,
    CANCELLED;

    companion object {
        /**
         * The status the facts imply, the first rule that applies winning:
         * 1. call-service's own final word: CANCELLED, PAYMENT_FAILED (its decisions win a race,
         *    e.g. an offer accepted after the customer cancelled does not dispatch the call);
         * 2. engineer-service withdrew the offer (it does so only for a cancelled call) or found no
         *    engineer (call-service cancels such a call): CANCELLED;
         * 3. engineer-service's latest step: COMPLETED, DISPATCHED (accepted), ENGINEER_ASSIGNED
         *    (offered), PAID (an offer rejected or expired; the next one follows): engineer-service
         *    offers only paid calls, so its steps say more than call-service's PAID;
         * 4. call-service's PAID, then REQUESTED.
         *
         * Null when the view has none of these facts yet.
         */
        fun implied(call: CallStep?, offer: OfferStep?): CallStatus? =
            when {
                call == CallStep.CANCELLED -> CANCELLED
                call == CallStep.PAYMENT_FAILED -> PAYMENT_FAILED
                offer == OfferStep.WITHDRAWN || offer == OfferStep.NO_ENGINEER -> CANCELLED
                offer == OfferStep.COMPLETED -> COMPLETED
                offer == OfferStep.ACCEPTED -> DISPATCHED
                offer == OfferStep.OFFERED -> ENGINEER_ASSIGNED
                offer != null || call == CallStep.PAID -> PAID
                call == CallStep.REQUESTED -> REQUESTED
                else -> null
            }
    }
}

/** What call-service said about its call (call-events). */
data class CallFacts(
    val step: CallStep? = null,
    val customerId: String? = null,
    val applianceType: String? = null,
    val region: String? = null,
    val address: String? = null,
    val description: String? = null,
    val fee: Long? = null,
    val currency: String? = null,
    val failureReason: String? = null,
    val cancellationReason: String? = null,
    val paymentId: UUID? = null,
    val requestedAt: Instant? = null,
    val paidAt: Instant? = null,
    val paymentFailedAt: Instant? = null,
    val cancelledAt: Instant? = null,
) {
    /** @param at when the event occurred */
    fun after(event: CallEvent, at: Instant): CallFacts =
        when (event) {
            // always call-service's first event: its later ones wait for it in the inbox
            is CallRequested ->
                copy(
                    step = step ?: CallStep.REQUESTED,
                    customerId = event.customerId,
                    applianceType = event.applianceType.name,
                    region = event.region,
                    address = event.address,
                    description = event.description,
                    fee = event.fee,
                    currency = event.currency,
                    requestedAt = at,
                )
            is CallPaid -> copy(step = CallStep.PAID, paymentId = event.paymentId, paidAt = at)
            is CallPaymentFailed ->
                copy(
                    step = CallStep.PAYMENT_FAILED,
                    failureReason = event.failureReason.name,
                    paymentId = event.paymentId ?: paymentId,
                    paymentFailedAt = at,
                )
            is CallCancelled ->
                copy(
                    step = CallStep.CANCELLED,
                    cancellationReason = event.reason.name,
                    cancelledAt = at,
                )
        }
}

/** What payment-service said about the call's payment (payment-events). */
data class PaymentFacts(
    val paymentId: UUID? = null,
    val status: PaymentStatus? = null,
    /**
     * When money taken for the call was given back: a refund, or a void of a charge that arrived
     * late.
     */
    val refundedAt: Instant? = null,
) {
    /** @param at when the event occurred */
    fun after(event: PaymentEvent, at: Instant): PaymentFacts =
        when (event) {
            is PaymentApproved -> copy(paymentId = event.paymentId, status = PaymentStatus.APPROVED)
            is PaymentDeclined -> copy(paymentId = event.paymentId, status = PaymentStatus.DECLINED)
            is PaymentVoided ->
                copy(
                    paymentId = event.paymentId,
                    status = PaymentStatus.VOIDED,
                    refundedAt = if (event.refunded) at else refundedAt,
                )
            is PaymentRefunded ->
                copy(paymentId = event.paymentId, status = PaymentStatus.REFUNDED, refundedAt = at)
        }
}

/**
 * What engineer-service said about offering the call (engineer-events). Like call-service, the view
 * names the engineer of the offer that stands (or was accepted, or withdrawn), and forgets it when
 * the offer is rejected or expires.
 */
data class EngineerFacts(
    val step: OfferStep? = null,
    val assignmentId: UUID? = null,
    val engineerId: UUID? = null,
    val engineerName: String? = null,
    /** How many engineers were offered the call. */
    val offersMade: Int = 0,
    val assignedAt: Instant? = null,
    val dispatchedAt: Instant? = null,
    val completedAt: Instant? = null,
) {
    /** @param at when the event occurred */
    fun after(event: EngineerEvent, at: Instant): EngineerFacts =
        when (event) {
            is EngineerAssigned ->
                copy(
                    step = OfferStep.OFFERED,
                    assignmentId = event.assignmentId,
                    engineerId = event.engineerId,
                    engineerName = event.engineerName,
                    offersMade = offersMade + 1,
                    assignedAt = at,
                )
            is AssignmentAccepted ->
                answer(event) { copy(step = OfferStep.ACCEPTED, dispatchedAt = at) }
            is ServiceCompleted ->
                answer(event) { copy(step = OfferStep.COMPLETED, completedAt = at) }
            is AssignmentRejected -> answer(event) { withoutOffer(OfferStep.REJECTED) }
            is AssignmentExpired -> answer(event) { withoutOffer(OfferStep.EXPIRED) }
            is AssignmentWithdrawn -> answer(event) { copy(step = OfferStep.WITHDRAWN) }
            is NoEngineerAvailable ->
                copy(step = OfferStep.NO_ENGINEER, offersMade = maxOf(offersMade, event.offersMade))
        }

    /** An answer about an offer the call no longer follows changes nothing. */
    private inline fun answer(event: AssignmentEvent, change: () -> EngineerFacts) =
        if (event.assignmentId() == assignmentId) change() else this

    /** The offer ended without the engineer: the next one follows. */
    private fun withoutOffer(step: OfferStep) =
        copy(
            step = step,
            assignmentId = null,
            engineerId = null,
            engineerName = null,
            assignedAt = null,
        )
}
