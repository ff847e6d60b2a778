package io.ascall.callview

import java.time.Instant
import java.util.UUID

/**
 * Who publishes what, on which topic (docs/asyncapi.yaml). Each source numbers its events per
 * call (`sequence`): the view applies a source's events of a call in that order.
 */
enum class Source(val topic: String, val service: String, val types: Set<String>) {
    CALL("call-events", "call-service", setOf("CallRequested", "CallPaid", "CallPaymentFailed", "CallCancelled")),
    PAYMENT("payment-events", "payment-service",
        setOf("PaymentApproved", "PaymentDeclined", "PaymentVoided", "PaymentRefunded")),
    ENGINEER("engineer-events", "engineer-service",
        setOf("EngineerAssigned", "AssignmentAccepted", "AssignmentRejected", "AssignmentExpired",
            "AssignmentWithdrawn", "ServiceCompleted", "NoEngineerAvailable"));

    companion object {
        fun ofTopic(topic: String): Source = entries.first { it.topic == topic }
        fun ofService(service: String): Source? = entries.firstOrNull { it.service == service }
    }
}

/** What every event carries beside its own fields. */
data class Envelope(
    val eventId: UUID,
    val type: String,
    val callId: UUID,
    val occurredAt: Instant,
    val source: Source,
    val sequence: Long,
) {
    override fun toString() = "$type #$sequence of call $callId from ${source.service} ($eventId)"
}

/** A saga event the view knows, with the fields it uses. */
sealed interface SagaEvent {
    val envelope: Envelope
}

/** call-service's facts about the call itself. */
sealed interface CallEvent : SagaEvent

data class CallRequested(
    override val envelope: Envelope,
    val customerId: String,
    val applianceType: String,
    val region: String,
    val address: String,
    val description: String?,
    val fee: Long,
    val currency: String,
) : CallEvent

data class CallPaid(override val envelope: Envelope, val paymentId: UUID) : CallEvent

data class CallPaymentFailed(override val envelope: Envelope, val failureReason: String, val paymentId: UUID?) : CallEvent

data class CallCancelled(override val envelope: Envelope, val reason: String) : CallEvent

/** payment-service's facts: the type of a payment's latest event is its status. */
sealed interface PaymentEvent : SagaEvent {
    val paymentId: UUID
}

data class PaymentApproved(override val envelope: Envelope, override val paymentId: UUID) : PaymentEvent

data class PaymentDeclined(override val envelope: Envelope, override val paymentId: UUID) : PaymentEvent

/** @property refunded money had been taken and was given back */
data class PaymentVoided(override val envelope: Envelope, override val paymentId: UUID, val refunded: Boolean) : PaymentEvent

data class PaymentRefunded(override val envelope: Envelope, override val paymentId: UUID) : PaymentEvent

/** engineer-service's facts about offering the call and the repair. */
sealed interface EngineerEvent : SagaEvent

data class EngineerAssigned(
    override val envelope: Envelope,
    val assignmentId: UUID,
    val engineerId: UUID,
    val engineerName: String,
) : EngineerEvent

/**
 * What became of one offer (assignment): AssignmentAccepted, AssignmentRejected, AssignmentExpired,
 * AssignmentWithdrawn or ServiceCompleted, as the [step] it leads to.
 */
data class AssignmentChanged(override val envelope: Envelope, val assignmentId: UUID, val step: OfferStep) : EngineerEvent

data class NoEngineerAvailable(override val envelope: Envelope, val offersMade: Int) : EngineerEvent
