package io.ascall.messaging;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.ascall.events.EventCodec;
import io.ascall.events.SagaEvent;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Records the events of a state change in the same transaction as the change (a transactional
 * outbox): both commit, or neither. {@link OutboxRelay} publishes them afterwards.
 */
@ApplicationScoped
public class Outbox {

    private static final ObjectMapper TREES = new ObjectMapper();

    private final EventCodec codec = EventCodec.instance();
    private final Clock clock;
    private final String source;
    private final String wakeUpChannel;

    public Outbox(Clock clock, MessagingConfig config) {
        this.clock = clock;
        this.source = config.source();
        this.wakeUpChannel = config.wakeUpChannel();
    }

    /**
     * Adds an event about a call to the current transaction (call it inside one). The event gets
     * the next number of this service's events for the call: the row lock taken for it makes
     * concurrent transactions on one call number their events in commit order.
     */
    public Uni<Void> record(UUID callId, SagaEvent event) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("""
                insert into outbox_sequence (call_id, last_sequence) values (?1, 1)
                on conflict (call_id) do update set last_sequence = outbox_sequence.last_sequence + 1
                returning last_sequence""", Long.class)
                        .setParameter(1, callId)
                        .getSingleResult()
                        .chain(sequence -> {
                            UUID eventId = UUID.randomUUID();
                            Instant occurredAt = clock.instant();
                            return session.createNativeQuery("""
                            insert into outbox_event (event_id, call_id, type, payload, occurred_at)
                            values (?1, ?2, ?3, ?4, ?5)""")
                                    .setParameter(1, eventId)
                                    .setParameter(2, callId)
                                    .setParameter(3, event.type())
                                    .setParameter(4, payload(eventId, callId, occurredAt, sequence, event))
                                    .setParameter(5, occurredAt)
                                    .executeUpdate();
                        })
                        // delivered to the listening relays when (and only if) the transaction commits
                        .chain(() -> session.createNativeQuery("notify " + wakeUpChannel)
                                .executeUpdate())
                        .replaceWithVoid());
    }

    private String payload(UUID eventId, UUID callId, Instant occurredAt, long sequence, SagaEvent data) {
        ObjectNode event = TREES.createObjectNode()
                .put("eventId", eventId.toString())
                .put("type", data.type())
                .put("callId", callId.toString())
                .put("occurredAt", occurredAt.toString())
                .put("source", source)
                .put("sequence", sequence);
        event.setAll(codec.write(data));
        try {
            return TREES.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write event " + data.type(), e);
        }
    }
}
