package io.ascall.engineer.messaging;

import io.ascall.engineer.Assignment;
import io.ascall.engineer.Dispatch;
import io.ascall.engineer.stream.AssignmentFeed;
import io.ascall.events.AssignmentAccepted;
import io.ascall.events.AssignmentEvent;
import io.ascall.events.AssignmentExpired;
import io.ascall.events.AssignmentRejected;
import io.ascall.events.AssignmentWithdrawn;
import io.ascall.events.EngineerAssigned;
import io.ascall.events.NoEngineerAvailable;
import io.ascall.events.ServiceCompleted;
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

    /** The call was offered to the engineer, who must accept before the offer's {@code expiresAt}. */
    public Uni<Void> assigned(Assignment offer) {
        return changed(offer, new EngineerAssigned(offer.id, offer.engineerId, offer.engineerName, offer.expiresAt));
    }

    /** The engineer accepted and is dispatched to the customer. */
    public Uni<Void> accepted(Assignment assignment) {
        return changed(assignment, new AssignmentAccepted(assignment.id, assignment.engineerId));
    }

    public Uni<Void> rejected(Assignment assignment) {
        return changed(assignment, new AssignmentRejected(assignment.id, assignment.engineerId));
    }

    public Uni<Void> expired(Assignment assignment) {
        return changed(assignment, new AssignmentExpired(assignment.id, assignment.engineerId));
    }

    /** The call was cancelled; the engineer's offer or dispatch no longer stands. */
    public Uni<Void> withdrawn(Assignment assignment) {
        return changed(assignment, new AssignmentWithdrawn(assignment.id, assignment.engineerId));
    }

    public Uni<Void> completed(Assignment assignment) {
        return changed(assignment, new ServiceCompleted(assignment.id, assignment.engineerId));
    }

    /** Every suitable engineer was offered the call and none took it. */
    public Uni<Void> noEngineerAvailable(Dispatch call) {
        return outbox.record(call.callId, new NoEngineerAvailable(call.offersMade));
    }

    /** An assignment changed (it is passed as it now is): its event for the saga, and its entry in the engineer's feed. */
    private Uni<Void> changed(Assignment assignment, AssignmentEvent event) {
        return outbox.record(assignment.callId, event).chain(() -> feed.append(assignment));
    }
}
