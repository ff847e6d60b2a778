package io.ascall.messaging;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.ascall.events.UnreadableEvent;

/**
 * An event as it travels on Kafka (docs/asyncapi.yaml): the envelope every event has, and the
 * whole JSON object, which holds the fields of its type beside the envelope's.
 *
 * @param sequence the position of this event among its source's events for the call
 */
public record EventEnvelope(
        UUID eventId, String type, UUID callId, Instant occurredAt, String source, long sequence, ObjectNode json) {

    /** Reading a tree needs no configuration: one plain mapper serves every service. */
    private static final ObjectMapper TREES = new ObjectMapper();

    /** Reads an event's envelope, or fails with {@link UnreadableEvent} saying what is wrong with it. */
    public static EventEnvelope parse(String payload) {
        JsonNode node;
        try {
            node = payload == null ? null : TREES.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new UnreadableEvent("not JSON: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode json)) {
            throw new UnreadableEvent("not a JSON object");
        }
        try {
            return new EventEnvelope(
                    UUID.fromString(text(json, "eventId")),
                    text(json, "type"),
                    UUID.fromString(text(json, "callId")),
                    Instant.parse(text(json, "occurredAt")),
                    text(json, "source"),
                    sequence(json),
                    json);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new UnreadableEvent("bad envelope: " + e.getMessage());
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
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 1) {
            throw new UnreadableEvent("envelope field 'sequence' is missing or not a positive integer");
        }
        return value.asLong();
    }

    @Override
    public String toString() {
        return type + " #" + sequence + " of call " + callId + " from " + source + " (" + eventId + ")";
    }
}
