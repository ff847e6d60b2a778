package io.ascall.engineer.messaging;

import io.ascall.engineer.Assignment;
import io.ascall.engineer.Dispatch;
import io.ascall.engineer.stream.AssignmentFeed;
import io.ascall.events.AssignmentEvent;
import io.ascall.events.NoEngineerAvailable;
import io.ascall.messaging.Outbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The facts engineer-service publishes about offers and repairs (topic {@code engineer-events},
 * docs/asyncapi.yaml), each recorded in the outbox inside the caller's transaction.
 *
 * <p>Every change of an assignment goes through here, so this is also where it enters its
 * engineer's own feed ({@link AssignmentFeed}, what the engineer's live stream sends), in the
 * same transaction: the change, its event and its feed entry commit together or not at all.
 */
@ApplicationScoped
public class EngineerEvents {

    private final Outbox outbox;
    private final AssignmentFeed feed;

    public EngineerEvents(Outbox outbox, AssignmentFeed feed) {
        this.outbox = outbox;
        this.feed = feed;
    }

    /** Every suitable engineer was offered the call and none took it. */
    public Uni<Void> noEngineerAvailable(Dispatch call, NoEngineerAvailable event) {
        return outbox.record(call.callId, event);
    }

    /**
     * An assignment changed (it is passed as it now is, with the event its change caused): the
     * event for the saga, and the assignment's entry in the engineer's feed.
     */
    public Uni<Void> changed(Assignment assignment, AssignmentEvent event) {
        return outbox.record(assignment.callId, event).chain(() -> feed.append(assignment));
    }
}
