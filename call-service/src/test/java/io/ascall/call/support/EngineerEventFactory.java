package io.ascall.call.support;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.ascall.local.EventContract;

/**
 * Writes engineer-service's events about one call as engineer-service would (numbered in order),
 * each checked against docs/asyncapi.yaml, so that tests feed call-service only valid events.
 */
public final class EngineerEventFactory {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final UUID callId;
    private final UUID assignmentId = UUID.randomUUID();
    private long sequence;

    public EngineerEventFactory(String callId) {
        this.callId = UUID.fromString(callId);
    }

    public String assigned() {
        return valid(assignment("EngineerAssigned")
                .put("engineerName", "Kim Min-jun")
                .put("expiresAt", Instant.now().plusSeconds(120).toString()));
    }

    public String accepted() {
        return valid(assignment("AssignmentAccepted"));
    }

    public String rejected() {
        return valid(assignment("AssignmentRejected"));
    }

    public String completed() {
        return valid(assignment("ServiceCompleted"));
    }

    public String noEngineerAvailable() {
        return valid(envelope("NoEngineerAvailable").put("offersMade", 2));
    }

    /** An EngineerAssigned that breaks the contract: no engineer. */
    public String assignedWithoutEngineer() {
        ObjectNode event = assignment("EngineerAssigned")
                .put("engineerName", "Nobody")
                .put("expiresAt", Instant.now().plusSeconds(120).toString());
        event.remove("engineerId");
        return event.toString();
    }

    /** An event of a type the contract does not have (from a newer engineer-service, say). */
    public String unknownType() {
        return envelope("EngineerTeleported").toString();
    }

    private ObjectNode assignment(String type) {
        return envelope(type)
                .put("assignmentId", assignmentId.toString())
                .put("engineerId", "7d0c4a55-4b8a-4d2e-9a51-3f0f8f0b8e11");
    }

    private ObjectNode envelope(String type) {
        return JSON.createObjectNode()
                .put("eventId", UUID.randomUUID().toString())
                .put("type", type)
                .put("callId", callId.toString())
                .put("occurredAt", Instant.now().toString())
                .put("source", "engineer-service")
                .put("sequence", ++sequence);
    }

    private static String valid(ObjectNode event) {
        List<String> violations = EventContract.load().violations(event.toString());
        if (!violations.isEmpty()) {
            throw new IllegalStateException("a test event does not match docs/asyncapi.yaml: " + violations);
        }
        return event.toString();
    }
}
