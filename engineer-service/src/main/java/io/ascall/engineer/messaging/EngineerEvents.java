package io.ascall.engineer.messaging;

import java.time.Instant;
import java.util.UUID;

import io.ascall.engineer.Assignment;
import io.ascall.engineer.Dispatch;
import io.ascall.engineer.stream.AssignmentFeed;
import io.quarkus.runtime.annotations.RegisterForReflection;
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
        return changed(offer, "EngineerAssigned",
                new EngineerAssigned(offer.id, offer.engineerId, offer.engineerName, offer.expiresAt));
    }

    /** The engineer accepted and is dispatched to the customer. */
    public Uni<Void> accepted(Assignment assignment) {
        return changed(assignment, "AssignmentAccepted", facts(assignment));
    }

    public Uni<Void> rejected(Assignment assignment) {
        return changed(assignment, "AssignmentRejected", facts(assignment));
    }

    public Uni<Void> expired(Assignment assignment) {
        return changed(assignment, "AssignmentExpired", facts(assignment));
    }

    /** The call was cancelled; the engineer's offer or dispatch no longer stands. */
    public Uni<Void> withdrawn(Assignment assignment) {
        return changed(assignment, "AssignmentWithdrawn", facts(assignment));
    }

    public Uni<Void> completed(Assignment assignment) {
        return changed(assignment, "ServiceCompleted", facts(assignment));
    }

    /** Every suitable engineer was offered the call and none took it. */
    public Uni<Void> noEngineerAvailable(Dispatch call) {
        return outbox.record(call.callId, "NoEngineerAvailable", new NoEngineerAvailable(call.offersMade));
    }

    /** An assignment changed (it is passed as it now is): its event for the saga, and its entry in the engineer's feed. */
    private Uni<Void> changed(Assignment assignment, String type, Object data) {
        return outbox.record(assignment.callId, type, data).chain(() -> feed.append(assignment));
    }

    private static AssignmentFacts facts(Assignment assignment) {
        return new AssignmentFacts(assignment.id, assignment.engineerId);
    }

    @RegisterForReflection
    record EngineerAssigned(UUID assignmentId, UUID engineerId, String engineerName, Instant expiresAt) {
    }

    /** The fields of every event about one assignment. */
    @RegisterForReflection
    record AssignmentFacts(UUID assignmentId, UUID engineerId) {
    }

    @RegisterForReflection
    record NoEngineerAvailable(int offersMade) {
    }
}
