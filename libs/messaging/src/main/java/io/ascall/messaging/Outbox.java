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
     *
     * <p>One statement: the number, the row (its payload completed with the number by
     * PostgreSQL, so Java need not wait for it) and the wake-up of the listening relays, which
     * PostgreSQL delivers when (and only if) the transaction commits, once per transaction. The
     * payload goes in as text and is cast to jsonb in SQL: bound where jsonb is expected, the
     * client would send the string as one JSON string value.
     */
    public Uni<Void> record(UUID callId, SagaEvent event) {
        UUID eventId = UUID.randomUUID();
        Instant occurredAt = clock.instant();
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("""
                with numbered as (
                  insert into outbox_sequence (call_id, last_sequence) values (?1, 1)
                  on conflict (call_id) do update set last_sequence = outbox_sequence.last_sequence + 1
                  returning last_sequence)
                insert into outbox_event (event_id, call_id, type, payload, occurred_at)
                select ?2, ?3, ?4, cast(cast(cast(?5 as text) as jsonb) || jsonb_build_object('sequence', last_sequence) as text), ?6
                from numbered
                returning pg_notify(?7, '')""")
                        .setParameter(1, callId)
                        .setParameter(2, eventId)
                        .setParameter(3, callId)
                        .setParameter(4, event.type())
                        .setParameter(5, payload(eventId, callId, occurredAt, event))
                        .setParameter(6, occurredAt)
                        .setParameter(7, wakeUpChannel)
                        .executeUpdate()
                        .replaceWithVoid());
    }

    /** The event's JSON without its sequence, which {@link #record} adds. */
    private String payload(UUID eventId, UUID callId, Instant occurredAt, SagaEvent data) {
        ObjectNode event = TREES.createObjectNode()
                .put("eventId", eventId.toString())
                .put("type", data.type())
                .put("callId", callId.toString())
                .put("occurredAt", occurredAt.toString())
                .put("source", source);
        event.setAll(codec.write(data));
        try {
            return TREES.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write event " + data.type(), e);
        }
    }
}
