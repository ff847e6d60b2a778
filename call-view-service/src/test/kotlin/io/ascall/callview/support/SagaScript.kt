package io.ascall.callview.support

import com.fasterxml.jackson.databind.ObjectMapper
import io.ascall.local.EventContract
import java.time.Duration
import java.time.Instant
import java.util.UUID

/** One event as a producer writes it: topic, key (the call id) and JSON. */
data class TestEvent(
    val topic: String,
    val key: String,
    val json: String,
    val type: String,
    val eventId: UUID,
) {
    override fun toString() = "$type($eventId)"

    val occurredAt: String
        get() = JSON.readTree(json)["occurredAt"].asText()

    /**
     * The same event with the fields changed or added (for events that break the contract on
     * purpose).
     */
    fun with(vararg fields: Pair<String, Any?>): TestEvent {
        val node = JSON.readTree(json) as com.fasterxml.jackson.databind.node.ObjectNode
        fields.forEach { (name, value) ->
            node.set<com.fasterxml.jackson.databind.JsonNode>(name, JSON.valueToTree(value))
        }
        return copy(json = JSON.writeValueAsString(node), type = node["type"].asText())
    }

    companion object {
        val JSON = ObjectMapper()
    }
}

/**
 * The events of one call as call-service, payment-service and engineer-service publish them:
 * envelope (a new event id, the source's next sequence for the call, an occurredAt one second after
 * the previous one) and fields, each checked against docs/asyncapi.yaml.
 */
class SagaScript(
    val callId: UUID = UUID.randomUUID(),
    val customerId: String = "customer-" + UUID.randomUUID().toString().take(8),
) {
    val paymentId: UUID = UUID.randomUUID()
    private val sequences = mutableMapOf<String, Long>()
    /** Each script's call is requested after the previous script's: newer scripts list first. */
    private var clock = BASE.plus(Duration.ofMinutes(SCRIPTS.incrementAndGet()))

    fun callRequested(
        applianceType: String = "WASHER",
        region: String = "seoul-gangnam",
        fee: Long = 30000,
    ) =
        call(
            "CallRequested",
            "customerId" to customerId,
            "applianceType" to applianceType,
            "region" to region,
            "address" to "12 Teheran-ro",
            "description" to "drum does not spin",
            "fee" to fee,
            "currency" to "KRW",
        )

    fun callPaid() = call("CallPaid", "paymentId" to paymentId)

    fun callPaymentFailed(reason: String, paymentId: UUID? = this.paymentId) =
        call(
            "CallPaymentFailed",
            "failureReason" to reason,
            "paymentId" to paymentId,
            "declineReason" to if (reason == "PAYMENT_DECLINED") "card declined" else null,
        )

    fun callCancelled(reason: String) = call("CallCancelled", "reason" to reason)

    fun paymentApproved() =
        payment(
            "PaymentApproved",
            "paymentId" to paymentId,
            "customerId" to customerId,
            "amount" to 30000,
            "currency" to "KRW",
        )

    fun paymentDeclined() =
        payment("PaymentDeclined", "paymentId" to paymentId, "reason" to "card declined")

    fun paymentVoided(refunded: Boolean) =
        payment("PaymentVoided", "paymentId" to paymentId, "refunded" to refunded)

    fun paymentRefunded() =
        payment("PaymentRefunded", "paymentId" to paymentId, "amount" to 30000, "currency" to "KRW")

    fun engineerAssigned(offer: Offer) =
        engineer(
            "EngineerAssigned",
            "assignmentId" to offer.assignmentId,
            "engineerId" to offer.engineerId,
            "engineerName" to offer.engineerName,
            "expiresAt" to clock.plus(Duration.ofMinutes(5)).toString(),
        )

    fun assignment(type: String, offer: Offer) =
        engineer(type, "assignmentId" to offer.assignmentId, "engineerId" to offer.engineerId)

    fun noEngineerAvailable(offersMade: Int) =
        engineer("NoEngineerAvailable", "offersMade" to offersMade)

    private fun call(type: String, vararg fields: Pair<String, Any?>) =
        event("call-events", "call-service", type, fields)

    private fun payment(type: String, vararg fields: Pair<String, Any?>) =
        event("payment-events", "payment-service", type, fields)

    private fun engineer(type: String, vararg fields: Pair<String, Any?>) =
        event("engineer-events", "engineer-service", type, fields)

    private fun event(
        topic: String,
        source: String,
        type: String,
        fields: Array<out Pair<String, Any?>>,
    ): TestEvent {
        clock = clock.plusSeconds(1)
        val sequence = sequences.merge(source, 1L, Long::plus)!!
        val eventId = UUID.randomUUID()
        val json =
            TestEvent.JSON.writeValueAsString(
                linkedMapOf<String, Any?>(
                    "eventId" to eventId.toString(),
                    "type" to type,
                    "callId" to callId.toString(),
                    "occurredAt" to clock.toString(),
                    "source" to source,
                    "sequence" to sequence,
                ) +
                    fields.map { (name, value) ->
                        name to if (value is UUID) value.toString() else value
                    }
            )
        val violations = EventContract.load().violations(json)
        check(violations.isEmpty()) { "$type breaks docs/asyncapi.yaml: $violations" }
        return TestEvent(topic, callId.toString(), json, type, eventId)
    }
}

private val BASE = Instant.parse("2026-03-01T09:00:00Z")
private val SCRIPTS = java.util.concurrent.atomic.AtomicLong()

/** One offer of a call to an engineer. */
data class Offer(
    val engineerName: String,
    val engineerId: UUID = UUID.randomUUID(),
    val assignmentId: UUID = UUID.randomUUID(),
)
