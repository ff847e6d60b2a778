package io.ascall.engineer.messaging;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An event as it travels on Kafka (docs/asyncapi.yaml): the envelope every event has, and the
 * whole JSON object for the fields of its type.
 *
 * @param sequence the position of this event among its source's events for the call
 */
public record EventEnvelope(UUID eventId, String type, UUID callId, Instant occurredAt, String source,
        long sequence, ObjectNode json) {

    /** Reads an event, or fails with {@link UnreadableEvent} saying what is wrong with it. */
    public static EventEnvelope parse(ObjectMapper mapper, String payload) {
        JsonNode node;
        try {
            node = payload == null ? null : mapper.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new UnreadableEvent("not JSON: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode json)) {
            throw new UnreadableEvent("not a JSON object");
        }
        try {
            return new EventEnvelope(UUID.fromString(text(json, "eventId")), text(json, "type"),
                    UUID.fromString(text(json, "callId")), Instant.parse(text(json, "occurredAt")),
                    text(json, "source"), sequence(json), json);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new UnreadableEvent("bad envelope: " + e.getMessage());
        }
    }

    /** A field of the event's own, or null when absent. */
    public String text(String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** A field the event's type requires: its absence makes the event {@link UnreadableEvent unreadable}. */
    public String requiredText(String field) {
        String value = text(field);
        if (value == null || value.isBlank()) {
            throw new UnreadableEvent(type + " without '" + field + "'");
        }
        return value;
    }

    /** A required id field. */
    public UUID requiredUuid(String field) {
        try {
            return UUID.fromString(requiredText(field));
        } catch (IllegalArgumentException e) {
            throw new UnreadableEvent(type + " with a malformed '" + field + "'");
        }
    }

    private static String text(ObjectNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new UnreadableEvent("envelope field '" + field + "' is missing or not a string");
        }
        return value.asText();
    }

    private static long sequence(ObjectNode json) {
        JsonNode value = json.get("sequence");
        if (value == null || !value.canConvertToLong() || !value.isIntegralNumber() || value.asLong() < 1) {
            throw new UnreadableEvent("envelope field 'sequence' is missing or not a positive integer");
        }
        return value.asLong();
    }

    @Override
    public String toString() {
        return type + " #" + sequence + " of call " + callId + " from " + source + " (" + eventId + ")";
    }
}
