package io.ascall.callview.messaging

import com.fasterxml.jackson.core.JsonProcessingException
import com.fasterxml.jackson.databind.JsonNode
import com.fasterxml.jackson.databind.ObjectMapper
import com.fasterxml.jackson.databind.node.ObjectNode
import io.ascall.callview.AssignmentChanged
import io.ascall.callview.CallCancelled
import io.ascall.callview.CallPaid
import io.ascall.callview.CallPaymentFailed
import io.ascall.callview.CallRequested
import io.ascall.callview.EngineerAssigned
import io.ascall.callview.Envelope
import io.ascall.callview.NoEngineerAvailable
import io.ascall.callview.OfferStep
import io.ascall.callview.PaymentApproved
import io.ascall.callview.PaymentDeclined
import io.ascall.callview.PaymentRefunded
import io.ascall.callview.PaymentVoided
import io.ascall.callview.SagaEvent
import io.ascall.callview.Source
import jakarta.enterprise.context.ApplicationScoped
import java.time.Instant
import java.time.format.DateTimeParseException
import java.util.UUID

/**
 * A record whose envelope could be read: its place in its source's order is known.
 *
 * @property event the event, or null when the view cannot use it ([problem] says why)
 * @property json the whole event, as it is parked when it arrives early
 */
class ReceivedEvent(val envelope: Envelope, val event: SagaEvent?, val problem: String?, val json: String) {
    override fun toString() = envelope.toString()
}

/** A record the view cannot read at all, or an event it cannot use: it goes to the dead-letter topic with this reason. */
class UnreadableEvent(reason: String) : RuntimeException(reason, null, false, false)

/**
 * Reads records as docs/asyncapi.yaml describes them. The envelope must be right, or the record
 * is [UnreadableEvent] and changes nothing. An event of a type the view does not know, or whose
 * own fields break the contract, is still a [ReceivedEvent]: it takes its place in its source's
 * order (so that the call's later events are not parked forever) without changing the view.
 */
@ApplicationScoped
class EventReader(private val json: ObjectMapper) {

    fun read(topic: Source, payload: String?): ReceivedEvent {
        val node = try {
            payload?.let { json.readTree(it) }
        } catch (e: JsonProcessingException) {
            throw UnreadableEvent("not JSON: ${e.originalMessage}")
        }
        if (node !is ObjectNode) throw UnreadableEvent("not a JSON object")
        val envelope = envelope(Fields(node))
        if (envelope.source != topic) {
            throw UnreadableEvent("an event of ${envelope.source.service} on ${topic.topic}, which only ${topic.service} writes")
        }
        return try {
            ReceivedEvent(envelope, event(envelope, Fields(node)), null, payload!!)
        } catch (unusable: UnreadableEvent) {
            ReceivedEvent(envelope, null, "${envelope.type}: ${unusable.message}", payload!!)
        }
    }

    /** An event parked earlier, read again when its turn comes. */
    fun reread(parked: String): ReceivedEvent {
        val node = json.readTree(parked) as ObjectNode
        return read(envelope(Fields(node)).source, parked)
    }

    private fun envelope(fields: Fields): Envelope = try {
        val source = fields.text("source")
        Envelope(
            eventId = UUID.fromString(fields.text("eventId")),
            type = fields.text("type"),
            callId = UUID.fromString(fields.text("callId")),
            occurredAt = Instant.parse(fields.text("occurredAt")),
            source = Source.ofService(source) ?: throw UnreadableEvent("unknown source '$source'"),
            sequence = fields.sequence(),
        )
    } catch (e: IllegalArgumentException) {
        throw UnreadableEvent("bad envelope: ${e.message}")
    } catch (e: DateTimeParseException) {
        throw UnreadableEvent("bad envelope: ${e.message}")
    } catch (e: UnreadableEvent) {
        throw UnreadableEvent("bad envelope: ${e.message}")
    }

    private fun event(envelope: Envelope, fields: Fields): SagaEvent {
        if (envelope.type !in envelope.source.types) {
            throw UnreadableEvent("unknown event type '${envelope.type}' on ${envelope.source.topic}")
        }
        return when (envelope.type) {
            "CallRequested" -> CallRequested(
                envelope,
                customerId = fields.text("customerId", 64),
                applianceType = fields.text("applianceType", 32),
                region = fields.text("region", 64),
                address = fields.text("address", 200),
                description = fields.textOrNull("description", 1000),
                fee = fields.positiveLong("fee"),
                currency = fields.currency("currency"),
            )
            "CallPaid" -> CallPaid(envelope, fields.uuid("paymentId"))
            "CallPaymentFailed" -> CallPaymentFailed(envelope, fields.text("failureReason"), fields.uuidOrNull("paymentId"))
            "CallCancelled" -> CallCancelled(envelope, fields.text("reason"))
            "PaymentApproved" -> PaymentApproved(envelope, fields.uuid("paymentId"))
            "PaymentDeclined" -> PaymentDeclined(envelope, fields.uuid("paymentId"))
            "PaymentVoided" -> PaymentVoided(envelope, fields.uuid("paymentId"), fields.flag("refunded"))
            "PaymentRefunded" -> PaymentRefunded(envelope, fields.uuid("paymentId"))
            "EngineerAssigned" -> EngineerAssigned(
                envelope, fields.uuid("assignmentId"), fields.uuid("engineerId"), fields.text("engineerName"),
            )
            "AssignmentAccepted" -> AssignmentChanged(envelope, fields.uuid("assignmentId"), OfferStep.ACCEPTED)
            "AssignmentRejected" -> AssignmentChanged(envelope, fields.uuid("assignmentId"), OfferStep.REJECTED)
            "AssignmentExpired" -> AssignmentChanged(envelope, fields.uuid("assignmentId"), OfferStep.EXPIRED)
            "AssignmentWithdrawn" -> AssignmentChanged(envelope, fields.uuid("assignmentId"), OfferStep.WITHDRAWN)
            "ServiceCompleted" -> AssignmentChanged(envelope, fields.uuid("assignmentId"), OfferStep.COMPLETED)
            "NoEngineerAvailable" -> NoEngineerAvailable(envelope, fields.count("offersMade"))
            else -> error("${envelope.type} is listed for ${envelope.source} but not read")
        }
    }

    /** The fields of one event, each checked as the contract says; a breach is an [UnreadableEvent] naming the field. */
    private class Fields(private val node: ObjectNode) {

        fun text(name: String, maxLength: Int = Int.MAX_VALUE): String =
            textOrNull(name, maxLength)?.takeIf { it.isNotBlank() } ?: throw missing(name, "a non-blank string")

        fun textOrNull(name: String, maxLength: Int): String? {
            val value = node[name]
            if (value == null || value.isNull) return null
            if (!value.isTextual) throw missing(name, "a string")
            if (value.asText().length > maxLength) throw UnreadableEvent("field '$name' is longer than $maxLength characters")
            return value.asText()
        }

        fun uuid(name: String): UUID = uuidOrNull(name) ?: throw missing(name, "a UUID")

        fun uuidOrNull(name: String): UUID? = textOrNull(name, 36)?.let {
            try {
                UUID.fromString(it)
            } catch (e: IllegalArgumentException) {
                throw missing(name, "a UUID")
            }
        }

        fun positiveLong(name: String): Long = integral(name)?.takeIf { it >= 1 } ?: throw missing(name, "a whole number, 1 or more")

        fun count(name: String): Int = integral(name)?.takeIf { it in 0..Int.MAX_VALUE }?.toInt()
            ?: throw missing(name, "a whole number, 0 or more")

        fun currency(name: String): String = text(name).takeIf { CURRENCY.matches(it) } ?: throw missing(name, "three capital letters")

        fun flag(name: String): Boolean {
            val value = node[name]
            if (value == null || value.isNull) return false
            if (!value.isBoolean) throw missing(name, "true or false")
            return value.asBoolean()
        }

        fun sequence(): Long = integral("sequence")?.takeIf { it >= 1 } ?: throw missing("sequence", "a whole number, 1 or more")

        private fun integral(name: String): Long? {
            val value: JsonNode? = node[name]
            return if (value != null && value.isIntegralNumber && value.canConvertToLong()) value.asLong() else null
        }

        private fun missing(name: String, what: String) = UnreadableEvent("field '$name' is missing or not $what")

        companion object {
            private val CURRENCY = Regex("^[A-Z]{3}$")
        }
    }
}
