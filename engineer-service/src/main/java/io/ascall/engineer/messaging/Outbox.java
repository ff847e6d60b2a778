package io.ascall.engineer.messaging;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Records the events of a state change in the same transaction as the change (a transactional
 * outbox): both commit, or neither. {@link OutboxRelay} publishes them afterwards.
 */
@ApplicationScoped
public class Outbox {

    static final String SOURCE = "engineer-service";
    /** PostgreSQL channel on which a commit wakes the relays of every replica at once. */
    static final String WAKE_UP_CHANNEL = "engineer_service_outbox";

    private final ObjectMapper json;
    private final Clock clock;

    public Outbox(ObjectMapper json, Clock clock) {
        this.json = json;
        this.clock = clock;
    }

    /**
     * Adds an event about a call to the current transaction (call it inside one). The event gets
     * the next number of this service's events for the call: the row lock taken for it makes
     * concurrent transactions on one call number their events in commit order.
     *
     * @param data the event's own fields (a record or map), beside the envelope
     */
    public Uni<Void> record(UUID callId, String type, Object data) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                insert into outbox_sequence (call_id, last_sequence) values (?1, 1)
                on conflict (call_id) do update set last_sequence = outbox_sequence.last_sequence + 1
                returning last_sequence""", Long.class)
                .setParameter(1, callId)
                .getSingleResult()
                .chain(sequence -> {
                    OutboxEvent event = new OutboxEvent();
                    event.eventId = UUID.randomUUID();
                    event.callId = callId;
                    event.type = type;
                    event.occurredAt = clock.instant();
                    event.payload = payload(event.eventId, type, callId, event.occurredAt, sequence, data);
                    return session.persist(event);
                })
                // delivered to the listening relays when (and only if) the transaction commits
                .chain(() -> session.createNativeQuery("notify " + WAKE_UP_CHANNEL).executeUpdate())
                .replaceWithVoid());
    }

    private String payload(UUID eventId, String type, UUID callId, Instant occurredAt, long sequence, Object data) {
        ObjectNode event = json.createObjectNode()
                .put("eventId", eventId.toString())
                .put("type", type)
                .put("callId", callId.toString())
                .put("occurredAt", occurredAt.toString())
                .put("source", SOURCE)
                .put("sequence", sequence);
        event.setAll((ObjectNode) json.valueToTree(data));
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write event " + type, e);
        }
    }
}
