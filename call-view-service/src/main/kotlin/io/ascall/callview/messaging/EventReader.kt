package io.ascall.callview.messaging

import com.fasterxml.jackson.core.JsonProcessingException
import com.fasterxml.jackson.databind.JsonNode
import com.fasterxml.jackson.databind.ObjectMapper
import com.fasterxml.jackson.databind.node.ObjectNode
import io.ascall.callview.Envelope
import io.ascall.callview.Source
import io.ascall.events.CallRequested
import io.ascall.events.EventCodec
import io.ascall.events.NoEngineerAvailable
import io.ascall.events.SagaEvent
import io.ascall.events.UnreadableEvent
import jakarta.enterprise.context.ApplicationScoped
import java.time.Instant
import java.time.format.DateTimeParseException
import java.util.UUID

/**
 * A record whose envelope could be read: its place in its source's order is known.
 *
 * @property event the event's own fields, or null when the view cannot use it ([problem] says why)
 * @property json the whole event, as it is parked when it arrives early
 */
class ReceivedEvent(
    val envelope: Envelope,
    val event: SagaEvent?,
    val problem: String?,
    val json: String,
) {
    override fun toString() = envelope.toString()
}

/**
 * Reads records as docs/asyncapi.yaml describes them: the envelope itself, the event's own fields
 * with the saga's shared [EventCodec], into the records of io.ascall.events. The envelope must be
 * right, or the record is an [UnreadableEvent] and changes nothing. An event of a type its topic
 * does not carry, or whose own fields break the contract, is still a [ReceivedEvent]: it takes its
 * place in its source's order (so that the call's later events are not parked forever) without
 * changing the view.
 */
@ApplicationScoped
class EventReader(private val json: ObjectMapper) {

    private val codec = EventCodec.instance()

    fun read(topic: Source, payload: String?): ReceivedEvent {
        val node =
            try {
                payload?.let { json.readTree(it) }
            } catch (e: JsonProcessingException) {
                throw UnreadableEvent("not JSON: ${e.originalMessage}")
            }
        if (node !is ObjectNode) throw UnreadableEvent("not a JSON object")
        val envelope = envelope(node)
        if (envelope.source != topic) {
            throw UnreadableEvent(
                "an event of ${envelope.source.service} on ${topic.topic}, which only ${topic.service} writes"
            )
        }
        return try {
            val event: SagaEvent = codec.read(topic.events, envelope.type, node)
            checkBounds(event)
            ReceivedEvent(envelope, event, null, payload!!)
        } catch (unusable: UnreadableEvent) {
            ReceivedEvent(envelope, null, unusable.message, payload!!)
        }
    }

    /** An event parked earlier, read again when its turn comes. */
    fun reread(parked: String): ReceivedEvent {
        val node = json.readTree(parked) as ObjectNode
        return read(envelope(node).source, parked)
    }

    private fun envelope(node: ObjectNode): Envelope =
        try {
            val source = text(node, "source")
            Envelope(
                eventId = UUID.fromString(text(node, "eventId")),
                type = text(node, "type"),
                callId = UUID.fromString(text(node, "callId")),
                occurredAt = Instant.parse(text(node, "occurredAt")),
                source =
                    Source.ofService(source) ?: throw UnreadableEvent("unknown source '$source'"),
                sequence =
                    node["sequence"]
                        ?.takeIf {
                            it.isIntegralNumber && it.canConvertToLong() && it.asLong() >= 1
                        }
                        ?.asLong() ?: throw missing("sequence", "a whole number, 1 or more"),
            )
        } catch (e: IllegalArgumentException) {
            throw UnreadableEvent("bad envelope: ${e.message}")
        } catch (e: DateTimeParseException) {
            throw UnreadableEvent("bad envelope: ${e.message}")
        } catch (e: UnreadableEvent) {
            throw UnreadableEvent("bad envelope: ${e.message}")
        }

    private fun text(node: ObjectNode, name: String): String {
        val value: JsonNode? = node[name]
        return value?.takeIf { it.isTextual && it.asText().isNotBlank() }?.asText()
            ?: throw missing(name, "a non-blank string")
    }

    private fun missing(name: String, what: String) =
        UnreadableEvent("field '$name' is missing or not $what")

    /**
     * The contract's bounds on the fields the view keeps, which [EventCodec] does not check (it
     * checks presence and JSON types): its columns hold no more, and a value they refuse would fail
     * every retry and hold up the call's topic partition, where the dead-letter topic is the place
     * for an event that breaks the contract.
     */
    private fun checkBounds(event: SagaEvent) {
        val breaches =
            when (event) {
                is CallRequested ->
                    listOfNotNull(
                        longer("customerId", event.customerId, 64),
                        longer("region", event.region, 64),
                        longer("address", event.address, 200),
                        longer("description", event.description, 1000),
                        "'fee' less than 1".takeIf { event.fee < 1 },
                        "'currency' not three capital letters"
                            .takeUnless { CURRENCY.matches(event.currency) },
                    )
                is NoEngineerAvailable ->
                    listOfNotNull("'offersMade' negative".takeIf { event.offersMade < 0 })
                else -> emptyList()
            }
        if (breaches.isNotEmpty())
            throw UnreadableEvent("${event.type()} with ${breaches.joinToString()}")
    }

    private fun longer(field: String, value: String?, maxLength: Int): String? =
        "'$field' longer than $maxLength characters"
            .takeIf { value != null && value.length > maxLength }

    companion object {
        private val CURRENCY = Regex("^[A-Z]{3}$")
    }
}
