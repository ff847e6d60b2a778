package io.ascall.messaging;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

import io.ascall.events.SagaEvent;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Applies received events exactly once and, per call, in the order their source published them,
 * each in the transaction of its effect (one per event, or one for a run: {@link #applyAll}):
 * <ul>
 * <li>an event id seen before (a redelivery, or the relay publishing twice) is skipped;</li>
 * <li>an event that arrives before an earlier one of its source for the same call (its
 * {@code sequence} leaves a gap) is parked, not dropped; once the gap is filled,
 * {@link #nextParked} finds it and {@link #applyParked} applies it with the step of its own
 * type;</li>
 * <li>an event that can never be applied is {@linkplain #passOver passed over}: it takes its place
 * in the order without an effect, so the events after it are not held up.</li>
 * </ul>
 * The id and the position are recorded in the same transaction as the effect, so a failed step
 * records nothing and the event is applied again when it is redelivered or retried. A step's
 * effects outside the database ({@link AfterCommit#run}) happen once its transaction commits.
 */
@ApplicationScoped
public class Inbox {

    private static final Logger LOG = Logger.getLogger(Inbox.class);

    private final Clock clock;

    public Inbox(Clock clock) {
        this.clock = clock;
    }

    /** What became of a received event. */
    public enum Outcome {
        /** Its step ran (or, passed over, it took its place without effect). */
        APPLIED,
        /** Its id was seen before. */
        DUPLICATE,
        /** Its source's events for the call are applied past it already. */
        OUTDATED,
        /** It came before an earlier event of its source for the call, and waits for it. */
        PARKED
    }

    /** An event that came early and waits for the gap before it to be filled. */
    public record Parked(EventEnvelope envelope, String rejection) {

        /** Whether it was set aside when it arrived (it is passed over, never applied). */
        public boolean rejected() {
            return rejection != null;
        }
    }

    /**
     * What became of a received event, and whether its source's next event for the call waits
     * parked (looked up in the transaction that applied it, so only then).
     */
    public record Placement(Outcome outcome, boolean successorParked) {

        /**
         * Whether parked events of the call may have become due. After an event is applied, only
         * if its successor waits; after any other outcome the parked events are looked up, as a
         * consumer that stopped between applying an event and its parked successors leaves them
         * to the redelivery of that event, which is a duplicate then.
         */
        public boolean mayReleaseParked() {
            return outcome != Outcome.APPLIED || successorParked;
        }
    }

    /** Applies the event with its step in one transaction, unless it is a duplicate, outdated or early. */
    public <E extends SagaEvent> Uni<Placement> apply(EventEnvelope envelope, E event, EventSteps<E> steps) {
        return place(envelope, null, session -> steps.apply(event, envelope));
    }

    /** An event read from its record: what {@link #applyAll} applies. */
    public record Arrived<E extends SagaEvent>(EventEnvelope envelope, E event) {}

    /**
     * How {@link #applyAll} fails when one of its events fails (its step or its inbox
     * statements): the whole transaction is rolled back; {@link #index} tells which event it was.
     */
    public static final class EventFailed extends RuntimeException {

        private final int index;

        EventFailed(int index, Throwable cause) {
            super("event " + index + " of the run failed: " + cause, cause, false, false);
            this.index = index;
        }

        public int index() {
            return index;
        }
    }

    /**
     * Applies the events, in their order, as {@link #apply} would, but all in one transaction:
     * one commit (and one wake-up of the relay) for the run instead of one per event. Each event
     * sees the effects of those before it, also of the same call. Fails with {@link EventFailed}
     * when one event fails, and then nothing of the run is recorded.
     */
    public <E extends SagaEvent> Uni<List<Placement>> applyAll(List<Arrived<E>> events, EventSteps<E> steps) {
        return AfterCommit.transaction(() -> applyFrom(events, 0, steps, new ArrayList<>(events.size())));
    }

    private <E extends SagaEvent> Uni<List<Placement>> applyFrom(
            List<Arrived<E>> events, int index, EventSteps<E> steps, List<Placement> placements) {
        if (index == events.size()) {
            return Uni.createFrom().item(placements);
        }
        Arrived<E> next = events.get(index);
        // place() joins this transaction: Panache reuses the session and its transaction
        return apply(next.envelope(), next.event(), steps)
                .onFailure()
                .transform(failure -> new EventFailed(index, failure))
                .chain(placement -> {
                    placements.add(placement);
                    return applyFrom(events, index + 1, steps, placements);
                });
    }

    /**
     * Records the place of an event that can never be applied, without an effect: in order it
     * just moves its source's position on; early, it is parked as rejected and passed over when
     * its turn comes.
     */
    public Uni<Placement> passOver(EventEnvelope envelope, String reason) {
        return place(envelope, reason, session -> Uni.createFrom().voidItem());
    }

    /**
     * One transaction of at least three statements: {@link #arrival} (the id and the source's
     * position, in one round trip), the effect, and {@link #advance} (which also tells whether the
     * successor waits parked, so that the usual case needs no further query).
     */
    private Uni<Placement> place(EventEnvelope event, String rejection, Function<Mutiny.Session, Uni<Void>> effect) {
        return AfterCommit.transaction(() -> Panache.getSession()
                .chain(session -> arrival(session, event).chain(arrival -> {
                    if (!arrival.firstSight()) {
                        LOG.debugf("Skipping %s: already received", event);
                        return Uni.createFrom().item(new Placement(Outcome.DUPLICATE, false));
                    }
                    long last = arrival.lastApplied();
                    if (event.sequence() <= last) {
                        LOG.warnf("Skipping %s: its source's events for this call are applied up to #%d", event, last);
                        return Uni.createFrom().item(new Placement(Outcome.OUTDATED, false));
                    }
                    if (event.sequence() > last + 1) {
                        LOG.infof("Parking %s until #%d arrives", event, last + 1);
                        return park(session, event, rejection).replaceWith(new Placement(Outcome.PARKED, false));
                    }
                    return effect.apply(session)
                            .chain(() -> advance(session, event.source(), event.callId(), event.sequence()))
                            .map(successorParked -> new Placement(Outcome.APPLIED, successorParked));
                })));
    }

    /** The parked event that follows its source's last applied one for the call, or null when none does. */
    public Uni<Parked> nextParked(String source, UUID callId) {
        return Panache.withSession(() -> Panache.getSession()
                .chain(session -> session.createNativeQuery("""
                select d.payload, d.rejection from deferred_event d
                join event_stream s on s.source = d.source and s.call_id = d.call_id
                where d.source = ?1 and d.call_id = ?2 and d.sequence = s.last_sequence + 1""", Object[].class)
                        .setParameter(1, source)
                        .setParameter(2, callId)
                        .getResultList()
                        .map(rows -> rows.isEmpty()
                                ? null
                                : new Parked(EventEnvelope.parse((String) rows.get(0)[0]), (String) rows.get(0)[1]))));
    }

    /** Applies a parked event with its step, if it is still next in its source's order (another round may have been first). */
    public <E extends SagaEvent> Uni<Boolean> applyParked(Parked parked, E event, EventSteps<E> steps) {
        return takeParked(parked, () -> steps.apply(event, parked.envelope()));
    }

    /** Passes over a parked event that can never be applied: it leaves its place without an effect. */
    public Uni<Boolean> passOverParked(Parked parked) {
        return takeParked(parked, () -> Uni.createFrom().voidItem());
    }

    private Uni<Boolean> takeParked(Parked parked, Supplier<Uni<Void>> effect) {
        EventEnvelope event = parked.envelope();
        return AfterCommit.transaction(() -> Panache.getSession()
                .chain(session -> lastApplied(session, event.source(), event.callId())
                        .chain(last -> {
                            if (last + 1 != event.sequence()) {
                                return Uni.createFrom().item(false);
                            }
                            return session.createNativeQuery("""
                            delete from deferred_event where source = ?1 and call_id = ?2 and sequence = ?3""")
                                    .setParameter(1, event.source())
                                    .setParameter(2, event.callId())
                                    .setParameter(3, event.sequence())
                                    .executeUpdate()
                                    .chain(effect::get)
                                    .chain(() -> advance(session, event.source(), event.callId(), event.sequence()))
                                    .replaceWith(true);
                        })));
    }

    /** Whether the event's id is new here, and its source's last applied sequence for the call. */
    private record Arrival(boolean firstSight, long lastApplied) {}

    /**
     * Records the event's id (a duplicate inserts nothing) and reads its source's last applied
     * sequence for the call, locking that row for this transaction, in one statement: both
     * data-modifying parts of the WITH run to completion whatever the select reads.
     */
    private Uni<Arrival> arrival(Mutiny.Session session, EventEnvelope event) {
        return session.createNativeQuery("""
                with seen as (
                  insert into processed_event (event_id, source, type, call_id, received_at)
                  values (?1, ?2, ?3, ?4, ?5) on conflict (event_id) do nothing
                  returning event_id),
                stream as (
                  insert into event_stream (source, call_id, last_sequence) values (?6, ?7, 0)
                  on conflict (source, call_id) do update set last_sequence = event_stream.last_sequence
                  returning last_sequence)
                select exists (select 1 from seen), (select last_sequence from stream)""", Object[].class)
                .setParameter(1, event.eventId())
                .setParameter(2, event.source())
                .setParameter(3, event.type())
                .setParameter(4, event.callId())
                .setParameter(5, clock.instant())
                .setParameter(6, event.source())
                .setParameter(7, event.callId())
                .getSingleResult()
                .map(row -> new Arrival((Boolean) row[0], ((Number) row[1]).longValue()));
    }

    /** The last applied sequence of the source for the call, locking it for this transaction. */
    private Uni<Long> lastApplied(Mutiny.Session session, String source, UUID callId) {
        return session.createNativeQuery("""
                insert into event_stream (source, call_id, last_sequence) values (?1, ?2, 0)
                on conflict (source, call_id) do update set last_sequence = event_stream.last_sequence
                returning last_sequence""", Long.class)
                .setParameter(1, source)
                .setParameter(2, callId)
                .getSingleResult();
    }

    private Uni<Void> park(Mutiny.Session session, EventEnvelope event, String rejection) {
        return session.createNativeQuery("""
                insert into deferred_event (source, call_id, sequence, payload, received_at, rejection)
                values (?1, ?2, ?3, ?4, ?5, ?6) on conflict do nothing""")
                .setParameter(1, event.source())
                .setParameter(2, event.callId())
                .setParameter(3, event.sequence())
                .setParameter(4, event.json().toString())
                .setParameter(5, clock.instant())
                .setParameter(6, rejection)
                .executeUpdate()
                .replaceWithVoid();
    }

    /**
     * Moves the source's position for the call on to the applied event and tells whether the
     * next one waits parked. The row is locked by this transaction since {@link #arrival} or
     * {@link #lastApplied}, and any transaction that parks an event of the call takes that lock
     * first: an event parked before this statement is seen by it, and one parked after this
     * transaction sees the new position (and is applied, not parked).
     */
    private Uni<Boolean> advance(Mutiny.Session session, String source, UUID callId, long sequence) {
        return session.createNativeQuery("""
                update event_stream set last_sequence = ?1 where source = ?2 and call_id = ?3
                returning exists (select 1 from deferred_event where source = ?4 and call_id = ?5 and sequence = ?6)""", Boolean.class)
                .setParameter(1, sequence)
                .setParameter(2, source)
                .setParameter(3, callId)
                .setParameter(4, source)
                .setParameter(5, callId)
                .setParameter(6, sequence + 1)
                .getSingleResult();
    }

    /** Forgets the ids of events received longer ago than the retention. */
    public Uni<Integer> forgetReceivedBefore(Instant before) {
        return Panache.withTransaction(() -> Panache.getSession()
                .chain(session -> session.createNativeQuery("delete from processed_event where received_at < ?1")
                        .setParameter(1, before)
                        .executeUpdate()));
    }

    /** The events of a call that wait parked, every source's (for operators and tests). */
    public Uni<List<Parked>> parked(UUID callId) {
        return Panache.withSession(() -> Panache.getSession()
                .chain(session -> session.createNativeQuery("""
                select payload, rejection from deferred_event where call_id = ?1 order by source, sequence""", Object[].class)
                        .setParameter(1, callId)
                        .getResultList()
                        .map(rows -> rows.stream()
                                .map(row -> new Parked(EventEnvelope.parse((String) row[0]), (String) row[1]))
                                .toList())));
    }
}
