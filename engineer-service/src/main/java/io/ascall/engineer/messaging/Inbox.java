package io.ascall.engineer.messaging;

import java.time.Clock;
import java.util.function.Function;

import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Applies received events exactly once and, per call, in the order their source published them,
 * each in one transaction with its effect:
 * <ul>
 * <li>an event id seen before (a redelivery, or the relay publishing twice) is skipped;</li>
 * <li>an event that arrives before an earlier one of its source for the same call (its
 * {@code sequence} leaves a gap) is parked, not dropped, and applied as soon as the gap is
 * filled.</li>
 * </ul>
 * The id is recorded in the same transaction as the effect, so a failed handler records nothing
 * and the event is applied again when it is redelivered.
 */
@ApplicationScoped
public class Inbox {

    private static final Logger LOG = Logger.getLogger(Inbox.class);

    private final ObjectMapper json;
    private final Clock clock;

    public Inbox(ObjectMapper json, Clock clock) {
        this.json = json;
        this.clock = clock;
    }

    /** @param handler the effect of an event, run inside the inbox's transaction */
    public Uni<Void> receive(EventEnvelope event, Function<EventEnvelope, Uni<Void>> handler) {
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> firstSight(session, event)
                .chain(first -> {
                    if (!first) {
                        LOG.debugf("Skipping %s: already received", event);
                        return Uni.createFrom().voidItem();
                    }
                    return lastApplied(session, event).chain(last -> {
                        if (event.sequence() <= last) {
                            LOG.warnf("Skipping %s: its source's events for this call are applied up to #%d", event, last);
                            return Uni.createFrom().voidItem();
                        }
                        if (event.sequence() > last + 1) {
                            LOG.infof("Parking %s until #%d arrives", event, last + 1);
                            return park(session, event);
                        }
                        return handler.apply(event).chain(() -> applied(session, event, handler));
                    });
                })));
    }

    private Uni<Boolean> firstSight(Mutiny.Session session, EventEnvelope event) {
        return session.createNativeQuery("""
                insert into processed_event (event_id, source, type, call_id, received_at)
                values (?1, ?2, ?3, ?4, ?5) on conflict (event_id) do nothing""")
                .setParameter(1, event.eventId())
                .setParameter(2, event.source())
                .setParameter(3, event.type())
                .setParameter(4, event.callId())
                .setParameter(5, clock.instant())
                .executeUpdate()
                .map(inserted -> inserted == 1);
    }

    /** The last applied sequence of the event's source for its call, locking it for this transaction. */
    private Uni<Long> lastApplied(Mutiny.Session session, EventEnvelope event) {
        return session.createNativeQuery("""
                insert into event_stream (source, call_id, last_sequence) values (?1, ?2, 0)
                on conflict (source, call_id) do update set last_sequence = event_stream.last_sequence
                returning last_sequence""", Long.class)
                .setParameter(1, event.source())
                .setParameter(2, event.callId())
                .getSingleResult();
    }

    private Uni<Void> park(Mutiny.Session session, EventEnvelope event) {
        return session.createNativeQuery("""
                insert into deferred_event (source, call_id, sequence, payload, received_at)
                values (?1, ?2, ?3, ?4, ?5) on conflict do nothing""")
                .setParameter(1, event.source())
                .setParameter(2, event.callId())
                .setParameter(3, event.sequence())
                .setParameter(4, event.json().toString())
                .setParameter(5, clock.instant())
                .executeUpdate()
                .replaceWithVoid();
    }

    /** Records the event as applied, then applies every parked one that now follows without a gap. */
    private Uni<Void> applied(Mutiny.Session session, EventEnvelope event, Function<EventEnvelope, Uni<Void>> handler) {
        return session.createNativeQuery("update event_stream set last_sequence = ?1 where source = ?2 and call_id = ?3")
                .setParameter(1, event.sequence())
                .setParameter(2, event.source())
                .setParameter(3, event.callId())
                .executeUpdate()
                .chain(() -> session.createNativeQuery("""
                        delete from deferred_event where source = ?1 and call_id = ?2 and sequence = ?3
                        returning payload""", String.class)
                        .setParameter(1, event.source())
                        .setParameter(2, event.callId())
                        .setParameter(3, event.sequence() + 1)
                        .getResultList())
                .chain(parked -> parked.isEmpty()
                        ? Uni.createFrom().voidItem()
                        : applyParked(session, EventEnvelope.parse(json, parked.get(0)), handler));
    }

    /**
     * A parked event was acknowledged when it arrived, so it can no longer be dead-lettered: one
     * whose fields cannot be read is logged with its content and passed over, so that the events
     * after it are not held up.
     */
    private Uni<Void> applyParked(Mutiny.Session session, EventEnvelope event, Function<EventEnvelope, Uni<Void>> handler) {
        return handler.apply(event)
                .onFailure(UnreadableEvent.class).recoverWithUni(unreadable -> {
                    LOG.errorf("Passing over parked %s, which cannot be applied (%s): %s", event,
                            unreadable.getMessage(), event.json());
                    return Uni.createFrom().voidItem();
                })
                .chain(() -> applied(session, event, handler));
    }

    /** Forgets the ids of events received longer ago than the retention. */
    public Uni<Integer> forgetReceivedBefore(java.time.Instant before) {
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session
                .createNativeQuery("delete from processed_event where received_at < ?1")
                .setParameter(1, before)
                .executeUpdate()));
    }
}
