package io.ascall.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.ascall.events.EventCodec;
import io.ascall.events.EventTopic;
import io.ascall.events.SagaEvent;
import io.ascall.events.UnreadableEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * What every incoming channel does with the records of a poll: read each, apply it through the
 * {@link Inbox} with the step of its type, apply the parked events it lets through, and decide what
 * a failure means.
 * <ul>
 * <li>Readable events that come together are applied in one transaction, in their order: under
 * load a poll brings many, and one commit for them all is what lets the consumer keep up. When
 * one of them fails, it is the only one that pays: the others are applied again without it, and
 * it goes on alone as below, its failed attempt counted.</li>
 * <li>A record that is not a readable event of the topic fails at once: the channel's dead-letter
 * strategy sends it to the dead-letter topic with the reason, and the channel goes on.</li>
 * <li>An event of a type the topic does not carry, with fields that do not make its type, or that
 * its step refuses ({@link InapplicableEvent}) still takes its place in its source's order (so
 * the call's later events are not parked forever), and then goes to the dead-letter topic too.
 * A parked event that turns out so when its turn comes goes there through {@link DeadLetters}.</li>
 * <li>An outage (the database out of reach) is retried, with growing pauses, for as long as it
 * lasts: the event must not be lost, and the call's later events must not overtake it. Any other
 * failure is tried {@code messaging.inbox.max-attempts} times, then set aside like a refused one,
 * so that one event cannot stop its partition for good.</li>
 * <li>The poll's records are acknowledged together, once each is settled. When the service stops,
 * a record still being retried is left unfinished, and with it its poll: their offsets are not
 * committed, and the next consumer of the partitions reads them again (the events applied
 * already are duplicates then). Only an event that can never be applied goes to the dead-letter
 * topic.</li>
 * </ul>
 * Retries run on the Vert.x context the record arrived on, where Hibernate Reactive opens its
 * sessions: each pause is a Vert.x timer that resumes on that context, so this does not depend on
 * which executor Mutiny's own back-off would resume on.
 */
@ApplicationScoped
public class EventReceiver {

    private static final Logger LOG = Logger.getLogger(EventReceiver.class);

    private final Inbox inbox;
    private final DeadLetters deadLetters;
    private final MessagingMetrics metrics;
    private final Vertx vertx;
    private final MessagingConfig.Inbox config;
    private final EventCodec codec = EventCodec.instance();
    private volatile boolean stopping;

    public EventReceiver(
            Inbox inbox, DeadLetters deadLetters, MessagingMetrics metrics, Vertx vertx, MessagingConfig config) {
        this.inbox = inbox;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.vertx = vertx;
        this.config = config.inbox();
    }

    void stopping(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /**
     * Receives the records of one poll of the channel (a {@code batch=true} channel), in order,
     * and acknowledges them together once each has been applied, set aside or dead-lettered. Runs
     * of readable events are applied in one transaction ({@link Inbox#applyAll}); when one event
     * of a run fails, the events before it are applied again without it, it goes the way of a
     * single event from its second attempt on, and the rest of the run follows, so that a failure
     * costs a transaction, never an extra attempt of a step or a lost event. The returned Uni never
     * fails: a record that cannot even be dead-lettered leaves the batch unacknowledged (the
     * channel's health check then sees it stuck), and the next consumer reads it all again.
     */
    public <E extends SagaEvent> Uni<Void> receive(
            KafkaRecordBatch<String, String> batch, EventTopic<E> topic, EventSteps<E> steps) {
        Context context = context();
        List<Delivery<E>> deliveries = new ArrayList<>(batch.getRecords().size());
        for (KafkaRecord<String, String> record : batch.getRecords()) {
            deliveries.add(read(record, topic));
        }
        return settleFrom(context, topic, steps, deliveries, 0)
                .chain(() -> Uni.createFrom().completionStage(batch::ack))
                .onFailure()
                .recoverWithUni(failure -> {
                    LOG.errorf(
                            failure,
                            "Leaving %d records of %s unacknowledged, to the next consumer",
                            deliveries.size(),
                            topic.name());
                    return Uni.createFrom().nothing();
                });
    }

    /**
     * A record and what could be read of it: the event (null if it is not one of the topic's),
     * its envelope (null if not even that could be read), and why not.
     */
    private record Delivery<E extends SagaEvent>(
            Message<String> record, EventEnvelope envelope, E event, UnreadableEvent unreadable) {

        Inbox.Arrived<E> arrived() {
            return new Inbox.Arrived<>(envelope, event);
        }
    }

    private <E extends SagaEvent> Delivery<E> read(Message<String> record, EventTopic<E> topic) {
        EventEnvelope envelope;
        try {
            envelope = EventEnvelope.parse(record.getPayload());
            if (!topic.source().equals(envelope.source())) {
                throw new UnreadableEvent("an event from " + envelope.source() + " on " + topic.name() + ", where only "
                        + topic.source() + " publishes");
            }
        } catch (UnreadableEvent unreadable) {
            return new Delivery<>(record, null, null, unreadable);
        }
        try {
            return new Delivery<>(record, envelope, codec.read(topic, envelope.type(), envelope.json()), null);
        } catch (UnreadableEvent unreadable) {
            return new Delivery<>(record, envelope, null, unreadable);
        }
    }

    /** Settles the deliveries from the index on, one run of readable events at a time. */
    private <E extends SagaEvent> Uni<Void> settleFrom(
            Context context, EventTopic<E> topic, EventSteps<E> steps, List<Delivery<E>> deliveries, int from) {
        if (from == deliveries.size()) {
            return Uni.createFrom().voidItem();
        }
        Delivery<E> first = deliveries.get(from);
        if (first.envelope() == null) {
            LOG.warnf(
                    "Dead-lettering an unreadable record of %s: %s",
                    topic.name(), first.unreadable().getMessage());
            return deadLetter(topic, first, first.unreadable())
                    .chain(() -> settleFrom(context, topic, steps, deliveries, from + 1));
        }
        if (first.event() == null) {
            return settle(topic, first, setAside(context, topic, steps, first.envelope(), first.unreadable()))
                    .chain(() -> settleFrom(context, topic, steps, deliveries, from + 1));
        }
        int end = from + 1;
        while (end < deliveries.size() && deliveries.get(end).event() != null) {
            end++;
        }
        int next = end;
        return applyRun(context, topic, steps, deliveries, from, end)
                .chain(() -> settleFrom(context, topic, steps, deliveries, next));
    }

    /** Applies the readable events from {@code from} to {@code to} (exclusive), together where they can be. */
    private <E extends SagaEvent> Uni<Void> applyRun(
            Context context, EventTopic<E> topic, EventSteps<E> steps, List<Delivery<E>> deliveries, int from, int to) {
        if (from >= to) {
            return Uni.createFrom().voidItem();
        }
        if (to - from == 1) {
            Delivery<E> only = deliveries.get(from);
            return settle(topic, only, apply(context, topic, steps, only, null));
        }
        List<Delivery<E>> run = deliveries.subList(from, to);
        return Uni.createFrom()
                .deferred(
                        () -> inbox.applyAll(run.stream().map(Delivery::arrived).toList(), steps))
                .onItemOrFailure()
                .transformToUni((placements, failure) -> {
                    if (failure == null) {
                        return releaseParked(context, topic, steps, run, placements, 0);
                    }
                    if (failure instanceof Inbox.EventFailed failed) {
                        int failing = from + failed.index();
                        LOG.debugf(
                                "A run of %d events of %s rolled back at %s: %s",
                                run.size(),
                                topic.name(),
                                deliveries.get(failing).envelope(),
                                failed.getCause().toString());
                        return applyRun(context, topic, steps, deliveries, from, failing)
                                .chain(() -> settle(
                                        topic,
                                        deliveries.get(failing),
                                        apply(context, topic, steps, deliveries.get(failing), failed.getCause())))
                                .chain(() -> applyRun(context, topic, steps, deliveries, failing + 1, to));
                    }
                    // the transaction failed as a whole (its commit, say): each event on its own
                    LOG.debugf(
                            "A run of %d events of %s failed, applying them one by one: %s",
                            run.size(), topic.name(), failure.toString());
                    return eachAlone(context, topic, steps, run, 0);
                });
    }

    private <E extends SagaEvent> Uni<Void> eachAlone(
            Context context, EventTopic<E> topic, EventSteps<E> steps, List<Delivery<E>> run, int index) {
        if (index == run.size()) {
            return Uni.createFrom().voidItem();
        }
        return settle(topic, run.get(index), apply(context, topic, steps, run.get(index), null))
                .chain(() -> eachAlone(context, topic, steps, run, index + 1));
    }

    /** After a run committed: lets through, event by event, the parked ones each may have released. */
    private <E extends SagaEvent> Uni<Void> releaseParked(
            Context context,
            EventTopic<E> topic,
            EventSteps<E> steps,
            List<Delivery<E>> run,
            List<Inbox.Placement> placements,
            int index) {
        if (index == run.size()) {
            return Uni.createFrom().voidItem();
        }
        Delivery<E> delivery = run.get(index);
        Uni<Void> released = placements.get(index).mayReleaseParked()
                ? settle(
                        topic,
                        delivery,
                        applyParked(
                                context,
                                topic,
                                steps,
                                delivery.envelope().source(),
                                delivery.envelope().callId()))
                : Uni.createFrom().voidItem();
        return released.chain(() -> releaseParked(context, topic, steps, run, placements, index + 1));
    }

    /**
     * Applies one event in its own transaction, with retries; {@code firstFailure} is how its
     * first attempt (in a run that rolled back) failed, or null if none was made.
     */
    private <E extends SagaEvent> Uni<Void> apply(
            Context context, EventTopic<E> topic, EventSteps<E> steps, Delivery<E> delivery, Throwable firstFailure) {
        EventEnvelope envelope = delivery.envelope();
        Supplier<Uni<Inbox.Placement>> attempt = () -> inbox.apply(envelope, delivery.event(), steps);
        Uni<Inbox.Placement> applied = firstFailure == null
                ? retried(context, envelope, attempt)
                : afterFailure(context, envelope, attempt, 1, firstFailure);
        return applied.onFailure(EventReceiver::neverApplicable)
                .recoverWithUni(refused -> setAside(context, topic, steps, envelope, refused))
                .chain(placement -> placement.mayReleaseParked()
                        ? applyParked(context, topic, steps, envelope.source(), envelope.callId())
                        : Uni.createFrom().voidItem());
    }

    /**
     * Ends a record's part: done, or, when its outcome failed, to the dead-letter topic by the
     * channel's strategy. An outcome that never completes (the service stopping) holds the batch.
     */
    private Uni<Void> settle(EventTopic<?> topic, Delivery<?> delivery, Uni<Void> outcome) {
        return outcome.onFailure().recoverWithUni(failure -> deadLetter(topic, delivery, failure));
    }

    private Uni<Void> deadLetter(EventTopic<?> topic, Delivery<?> delivery, Throwable reason) {
        return Uni.createFrom()
                .completionStage(() -> delivery.record().nack(reason))
                .invoke(() -> metrics.deadLettered(topic.name(), reason));
    }

    /**
     * Passes the event over (it keeps its place), lets parked successors through, then fails it
     * towards the dead-letter topic (the returned Uni always fails).
     */
    private <E extends SagaEvent, T> Uni<T> setAside(
            Context context, EventTopic<E> topic, EventSteps<E> steps, EventEnvelope event, Throwable reason) {
        LOG.warnf("Dead-lettering %s: %s", event, reason.getMessage());
        return retried(context, event, () -> inbox.passOver(event, reason.getMessage()))
                .chain(() -> applyParked(context, topic, steps, event.source(), event.callId()))
                .chain(() -> Uni.createFrom().failure(reason));
    }

    /** Applies, one transaction each, the parked events of the call that now follow without a gap. */
    private <E extends SagaEvent> Uni<Void> applyParked(
            Context context, EventTopic<E> topic, EventSteps<E> steps, String source, UUID callId) {
        return retried(context, "the parked events of call " + callId, () -> inbox.nextParked(source, callId))
                .chain(parked -> parked == null
                        ? Uni.createFrom().voidItem()
                        : applyOne(context, topic, steps, parked)
                                .chain(() -> applyParked(context, topic, steps, source, callId)));
    }

    private <E extends SagaEvent> Uni<Void> applyOne(
            Context context, EventTopic<E> topic, EventSteps<E> steps, Inbox.Parked parked) {
        EventEnvelope envelope = parked.envelope();
        if (parked.rejected()) {
            LOG.infof("Passing over parked %s, dead-lettered when it arrived: %s", envelope, parked.rejection());
            return retried(context, envelope, () -> inbox.passOverParked(parked))
                    .replaceWithVoid();
        }
        E event;
        try {
            event = codec.read(topic, envelope.type(), envelope.json());
        } catch (UnreadableEvent unreadable) {
            return setAsideParked(context, topic, parked, unreadable);
        }
        LOG.debugf("Applying parked %s", envelope);
        return retried(context, envelope, () -> inbox.applyParked(parked, event, steps))
                .replaceWithVoid()
                .onFailure(EventReceiver::neverApplicable)
                .recoverWithUni(refused -> setAsideParked(context, topic, parked, refused));
    }

    /** A parked event was acknowledged when it arrived: it reaches the dead-letter topic through {@link DeadLetters}. */
    private Uni<Void> setAsideParked(Context context, EventTopic<?> topic, Inbox.Parked parked, Throwable reason) {
        EventEnvelope envelope = parked.envelope();
        LOG.warnf("Dead-lettering parked %s: %s", envelope, reason.getMessage());
        // dead-lettered first: a crash in between sends it there twice rather than not at all
        return retried(context, envelope, () -> deadLetters.send(envelope, topic.name(), reason.getMessage()))
                .invoke(() -> metrics.deadLettered(topic.name(), reason))
                .chain(() -> retried(context, envelope, () -> inbox.passOverParked(parked)))
                .replaceWithVoid();
    }

    private static boolean neverApplicable(Throwable failure) {
        return failure instanceof UnreadableEvent || failure instanceof InapplicableEvent;
    }

    private <T> Uni<T> retried(Context context, Object what, Supplier<Uni<T>> attempt) {
        return attempt(context, what, attempt, 1);
    }

    private <T> Uni<T> attempt(Context context, Object what, Supplier<Uni<T>> attempt, int number) {
        return Uni.createFrom()
                .<T>deferred(attempt::get)
                .onFailure()
                .recoverWithUni(failure -> afterFailure(context, what, attempt, number, failure));
    }

    /** What follows the failed attempt {@code number}: a pause and the next one, or the failure it ends in. */
    private <T> Uni<T> afterFailure(
            Context context, Object what, Supplier<Uni<T>> attempt, int number, Throwable failure) {
        if (neverApplicable(failure)) {
            return Uni.createFrom().failure(failure);
        }
        if (stopping) {
            LOG.infof("Stopping: leaving %s to the next consumer (%s)", what, failure.toString());
            return Uni.createFrom().nothing();
        }
        boolean outage = Failures.isOutage(failure);
        if (!outage && number >= config.maxAttempts()) {
            return Uni.createFrom().failure(new GaveUp(number, failure));
        }
        Duration pause = backoff(number);
        LOG.warnf(
                "Applying %s failed (attempt %d%s), retrying in %d ms: %s",
                what,
                number,
                outage ? ", an outage" : " of " + config.maxAttempts(),
                pause.toMillis(),
                failure.toString());
        return pause(context, pause).chain(() -> attempt(context, what, attempt, number + 1));
    }

    private Duration backoff(int attempt) {
        Duration pause = config.retryInitialBackoff().multipliedBy(1L << Math.min(attempt - 1, 20));
        return pause.compareTo(config.retryMaxBackoff()) > 0 ? config.retryMaxBackoff() : pause;
    }

    /** Completes on the given context after the pause, so that the next attempt runs where the first did. */
    private static Uni<Void> pause(Context context, Duration pause) {
        return Uni.createFrom()
                .emitter(emitter -> context.owner()
                        .setTimer(
                                Math.max(1, pause.toMillis()),
                                timer -> context.runOnContext(ignored -> emitter.complete(null))));
    }

    private Context context() {
        Context current = Vertx.currentContext();
        return current != null ? current : vertx.getOrCreateContext();
    }
}
