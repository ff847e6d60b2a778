package io.ascall.messaging;

import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.ascall.events.EventCodec;
import io.ascall.events.EventTopic;
import io.ascall.events.SagaEvent;
import io.ascall.events.UnreadableEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * What every incoming channel does with a record: read it, apply it through the {@link Inbox}
 * with the step of its type, apply the parked events it lets through, and decide what a failure
 * means.
 * <ul>
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
 * <li>When the service stops, a record still being retried is left unfinished, neither
 * acknowledged nor failed: its offset is not committed, and the next consumer of the partition
 * reads it again. Only an event that can never be applied goes to the dead-letter topic.</li>
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
    private final Vertx vertx;
    private final MessagingConfig.Inbox config;
    private final EventCodec codec = EventCodec.instance();
    private volatile boolean stopping;

    public EventReceiver(Inbox inbox, DeadLetters deadLetters, Vertx vertx, MessagingConfig config) {
        this.inbox = inbox;
        this.deadLetters = deadLetters;
        this.vertx = vertx;
        this.config = config.inbox();
    }

    void stopping(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /** Receives one record of the topic; the returned Uni completes when the record may be acknowledged. */
    public <E extends SagaEvent> Uni<Void> receive(String payload, EventTopic<E> topic, EventSteps<E> steps) {
        EventEnvelope envelope;
        try {
            envelope = EventEnvelope.parse(payload);
            if (!topic.source().equals(envelope.source())) {
                throw new UnreadableEvent("an event from " + envelope.source() + " on " + topic.name() + ", where only "
                        + topic.source() + " publishes");
            }
        } catch (UnreadableEvent unreadable) {
            LOG.warnf("Dead-lettering an unreadable record of %s: %s", topic.name(), unreadable.getMessage());
            return Uni.createFrom().failure(unreadable);
        }
        Context context = context();
        E event;
        try {
            event = codec.read(topic, envelope.type(), envelope.json());
        } catch (UnreadableEvent unreadable) {
            return setAside(context, topic, steps, envelope, unreadable);
        }
        return retried(context, envelope, () -> inbox.apply(envelope, event, steps))
                .onFailure(EventReceiver::neverApplicable)
                .recoverWithUni(refused -> setAside(context, topic, steps, envelope, refused))
                .chain(placement -> placement.mayReleaseParked()
                        ? applyParked(context, topic, steps, envelope.source(), envelope.callId())
                        : Uni.createFrom().voidItem());
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
                .onFailure(failure -> !neverApplicable(failure))
                .recoverWithUni(failure -> {
                    if (stopping) {
                        LOG.infof("Stopping: leaving %s to the next consumer (%s)", what, failure.toString());
                        return Uni.createFrom().nothing();
                    }
                    boolean outage = Failures.isOutage(failure);
                    if (!outage && number >= config.maxAttempts()) {
                        return Uni.createFrom()
                                .failure(new InapplicableEvent("failed " + number + " times, last with " + failure));
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
                });
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
