package io.ascall.callview.rest

import io.ascall.callview.CallStatus
import io.ascall.callview.CallView
import io.ascall.callview.PaymentStatus
import io.quarkus.runtime.annotations.RegisterForReflection
import java.time.Instant
import java.util.UUID
import org.eclipse.microprofile.openapi.annotations.media.Schema

/**
 * A call's whole story as the API shows it. Registered for reflection: it is also the data of the
 * stream's events, which Jackson writes outside a REST signature.
 *
 * @property version how many events the view has applied; the `id` of the stream's events
 */
@RegisterForReflection
@Schema(
    description =
        "A call's whole story, as the saga events have told it so far: every member is written, null" +
            " until an event has given it"
)
data class CallViewResponse(
    val callId: UUID,
    val customerId: String?,
    val applianceType: String?,
    val region: String?,
    val address: String?,
    val description: String?,
    @field:Schema(description = "The status the events imply, as call-service names it")
    val status: CallStatus?,
    val failureReason: String?,
    val cancellationReason: String?,
    val fee: Long?,
    val currency: String?,
    val paymentId: UUID?,
    // PaymentStatus's names written out (keep them in step): as a reference, the member, nullable,
    // is inlined in the document, and a PaymentStatus schema would be left that nothing uses.
    @field:Schema(
        description = "As payment-service's latest event about the call's payment says",
        implementation = String::class,
        enumeration = ["APPROVED", "DECLINED", "VOIDED", "REFUNDED"],
    )
    val paymentStatus: PaymentStatus?,
    val engineerId: UUID?,
    val engineerName: String?,
    val assignmentId: UUID?,
    val offersMade: Int,
    val requestedAt: Instant?,
    val paidAt: Instant?,
    val paymentFailedAt: Instant?,
    val assignedAt: Instant?,
    val dispatchedAt: Instant?,
    val completedAt: Instant?,
    val cancelledAt: Instant?,
    val refundedAt: Instant?,
    val lastEventAt: Instant?,
    @field:Schema(
        description = "How many events the view has applied; the `id` of the stream's events"
    )
    val version: Long,
) {
    companion object {
        fun of(view: CallView) =
            CallViewResponse(
                callId = view.callId,
                customerId = view.call.customerId,
                applianceType = view.call.applianceType,
                region = view.call.region,
                address = view.call.address,
                description = view.call.description,
                status = view.status,
                failureReason = view.call.failureReason,
                cancellationReason = view.call.cancellationReason,
                fee = view.call.fee,
                currency = view.call.currency,
                paymentId = view.paymentId,
                paymentStatus = view.payment.status,
                engineerId = view.engineer.engineerId,
                engineerName = view.engineer.engineerName,
                assignmentId = view.engineer.assignmentId,
                offersMade = view.engineer.offersMade,
                requestedAt = view.call.requestedAt,
                paidAt = view.call.paidAt,
                paymentFailedAt = view.call.paymentFailedAt,
                assignedAt = view.engineer.assignedAt,
                dispatchedAt = view.engineer.dispatchedAt,
                completedAt = view.engineer.completedAt,
                cancelledAt = view.call.cancelledAt,
                refundedAt = view.payment.refundedAt,
                lastEventAt = view.lastEventAt,
                version = view.version,
            )
    }
}

/** One page of calls, newest first. */
@Schema(description = "One page of call views, newest first")
data class CallViewPage(
    val items: List<CallViewResponse>,
    @field:Schema(description = "The page's index, from 0") val page: Int,
    @field:Schema(description = "The page size asked for") val size: Int,
    @field:Schema(description = "Calls that match, on all pages") val total: Long,
)
