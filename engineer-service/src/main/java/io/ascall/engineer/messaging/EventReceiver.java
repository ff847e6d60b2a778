package io.ascall.engineer.messaging;

import java.util.Set;
import java.util.function.Function;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What every incoming channel does with a record: read it, apply it through the {@link Inbox},
 * and decide what a failure means.
 * <ul>
 * <li>A record that is not a readable event fails at once: the channel's dead-letter strategy
 * sends it to the dead-letter topic with the reason, and the channel goes on.</li>
 * <li>An event of a type this service does not know, or whose own fields the step cannot read
 * (it throws {@link UnreadableEvent}), still takes its place in its source's order (so later
 * events of the call are not parked forever), and then goes to the dead-letter topic too.</li>
 * <li>Any other failure (the database is down, say) is retried, with growing pauses, until it
 * succeeds: the event must not be lost, and the call's later events must not overtake it.</li>
 * </ul>
 */
@ApplicationScoped
public class EventReceiver {

    private static final Logger LOG = Logger.getLogger(EventReceiver.class);

    private final Inbox inbox;
    private final ObjectMapper json;
    private final MessagingConfig.Inbox config;

    public EventReceiver(Inbox inbox, ObjectMapper json, MessagingConfig config) {
        this.inbox = inbox;
        this.json = json;
        this.config = config.inbox();
    }

    public Uni<Void> receive(String payload, Set<String> knownTypes, Function<EventEnvelope, Uni<Void>> step) {
        EventEnvelope event;
        try {
            event = EventEnvelope.parse(json, payload);
        } catch (UnreadableEvent unreadable) {
            LOG.warnf("Dead-lettering an unreadable record: %s", unreadable.getMessage());
            return Uni.createFrom().failure(unreadable);
        }
        if (!knownTypes.contains(event.type())) {
            return deadLetter(event, new UnreadableEvent("unknown event type '" + event.type() + "'"));
        }
        return untilApplied(event, step)
                .onFailure(UnreadableEvent.class).recoverWithUni(unreadable -> deadLetter(event, (UnreadableEvent) unreadable));
    }

    /** Records the event's place without effect, then fails it towards the dead-letter topic. */
    private Uni<Void> deadLetter(EventEnvelope event, UnreadableEvent reason) {
        LOG.warnf("Dead-lettering %s: %s", event, reason.getMessage());
        return untilApplied(event, skipped -> Uni.createFrom().voidItem())
                .chain(() -> Uni.createFrom().failure(reason));
    }

    private Uni<Void> untilApplied(EventEnvelope event, Function<EventEnvelope, Uni<Void>> step) {
        return inbox.receive(event, step)
                .onFailure(failure -> !(failure instanceof UnreadableEvent))
                .invoke(failure -> LOG.warnf("Applying %s failed, retrying: %s", event, failure.toString()))
                .onFailure(failure -> !(failure instanceof UnreadableEvent))
                .retry().withBackOff(config.retryInitialBackoff(), config.retryMaxBackoff()).indefinitely();
    }
}
