package io.ascall.callview

import io.ascall.events.EventTopic
import java.time.Instant
import java.util.UUID

/**
 * Who publishes what, on which topic: the saga's own catalogue ([EventTopic], libs/saga-events,
 * checked against docs/asyncapi.yaml) names the topic, its service and its event types. Each source
 * numbers its events per call (`sequence`): the view applies a source's events of a call in that
 * order.
 */
enum class Source(val events: EventTopic<*>) {
    CALL(EventTopic.CALL_EVENTS),
    PAYMENT(EventTopic.PAYMENT_EVENTS),
    ENGINEER(EventTopic.ENGINEER_EVENTS);

    /** The Kafka topic. */
    val topic: String
        get() = events.name()

    /** The service that publishes on it, the `source` of its events. */
    val service: String
        get() = events.source()

    companion object {
        fun ofTopic(topic: String): Source = entries.first { it.topic == topic }

        fun ofService(service: String): Source? = entries.firstOrNull { it.service == service }
    }
}

/**
 * What every event carries beside its own fields (which are the records of io.ascall.events): the
 * view reads it itself, since its inbox orders and deduplicates by it before any event's fields
 * matter, and must place even an event whose fields it cannot read.
 */
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
