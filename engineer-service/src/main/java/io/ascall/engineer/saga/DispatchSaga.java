package io.ascall.engineer.saga;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jboss.logging.Logger;

import io.ascall.engineer.Assignment;
import io.ascall.engineer.AssignmentStatus;
import io.ascall.engineer.Dispatch;
import io.ascall.engineer.DispatchState;
import io.ascall.engineer.Engineer;
import io.ascall.engineer.config.EngineerConfig;
import io.ascall.engineer.messaging.EngineerEvents;
import io.ascall.events.CallRequested;
import io.ascall.events.NoEngineerAvailable;
import io.ascall.messaging.InapplicableEvent;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

/**
 * engineer-service's part of the call saga, step by step: what each of call-service's events,
 * each engineer's answer and each missed deadline does to the call's {@link Dispatch} and its
 * {@link Assignment}s, and which events it publishes.
 *
 * <p>Every step runs inside its caller's transaction (the inbox's for an event, the request's for
 * an engineer's answer, the expiry job's for a deadline) and records its events in the outbox in
 * that same transaction: the change and its events commit together or not at all. Every step
 * locks the call's dispatch row first, so that the steps of one call never interleave (an accept
 * racing the expiry job or a cancellation waits for it, then sees what it did).
 */
@ApplicationScoped
public class DispatchSaga {

    private static final Logger LOG = Logger.getLogger(DispatchSaga.class);
    private static final List<AssignmentStatus> OPEN = List.of(AssignmentStatus.OFFERED, AssignmentStatus.ACCEPTED);

    private final EngineerMatcher matcher;
    private final EngineerEvents events;
    private final EngineerConfig.Offer offers;
    private final Clock clock;

    public DispatchSaga(EngineerMatcher matcher, EngineerEvents events, EngineerConfig config, Clock clock) {
        this.matcher = matcher;
        this.events = events;
        this.offers = config.offer();
        this.clock = clock;
    }

    // --- call-service's facts (call-events) ---

    /** CallRequested: remember the call, to offer it once it is paid. */
    public Uni<Void> callRequested(UUID callId, CallRequested call) {
        return Dispatch.<Dispatch>findById(callId).chain(known -> {
            if (known != null) {
                // call-service requests a call once; a second CallRequested (another event id) changes nothing
                LOG.warnf("Call %s: CallRequested again, ignored", callId);
                return Uni.createFrom().voidItem();
            }
            return Dispatch.requested(
                            callId,
                            call.customerId(),
                            call.applianceType(),
                            call.region(),
                            call.address(),
                            call.description(),
                            clock.instant())
                    .persist()
                    .replaceWithVoid();
        });
    }

    /** CallPaid: offer the call to the best available engineer, or tell that nobody can come. */
    public Uni<Void> callPaid(UUID callId) {
        return lockedCall(callId).chain(call -> {
            if (call.state != DispatchState.AWAITING_PAYMENT) {
                LOG.warnf("Call %s: CallPaid while %s, ignored", callId, call.state);
                return Uni.createFrom().voidItem();
            }
            return offerNext(call, clock.instant());
        });
    }

    /** CallPaymentFailed: the call is closed and never offered. */
    public Uni<Void> callPaymentFailed(UUID callId) {
        return lockedCall(callId)
                .invoke(call -> {
                    if (call.state == DispatchState.AWAITING_PAYMENT) {
                        call.paymentFailed(clock.instant());
                    } else {
                        LOG.warnf("Call %s: CallPaymentFailed while %s, ignored", callId, call.state);
                    }
                })
                .replaceWithVoid();
    }

    /**
     * CallCancelled (by the customer, or by call-service's compensation after NoEngineerAvailable):
     * the engineer's offer or dispatch is withdrawn, and the call is not offered again.
     */
    public Uni<Void> callCancelled(UUID callId) {
        return lockedCall(callId).chain(call -> {
            if (!call.state.canMoveTo(DispatchState.CANCELLED)) {
                LOG.infof("Call %s: CallCancelled while %s, nothing to withdraw", callId, call.state);
                return Uni.createFrom().voidItem();
            }
            return openAssignment(callId).chain(open -> {
                call.cancelled(clock.instant());
                if (open == null) {
                    return Uni.createFrom().voidItem();
                }
                return events.changed(open, open.withdraw());
            });
        });
    }

    // --- the engineer's answers ---

    /**
     * The engineer takes the call and is dispatched. Null when the engineer was offered no such
     * assignment.
     */
    public Uni<Assignment> accept(UUID assignmentId, UUID engineerId) {
        return act(
                assignmentId,
                engineerId,
                (call, assignment, now) -> assignment
                        .accept(engineerId, now)
                        .map(accepted -> {
                            call.dispatched(now);
                            return events.changed(assignment, accepted);
                        })
                        .orElseGet(() -> Uni.createFrom().voidItem()));
    }

    /**
     * The engineer declines; the call is offered to the next engineer. Null when the engineer was
     * offered no such assignment.
     */
    public Uni<Assignment> reject(UUID assignmentId, UUID engineerId) {
        return act(
                assignmentId,
                engineerId,
                (call, assignment, now) -> assignment
                        .reject(engineerId, now)
                        .map(rejected -> events.changed(assignment, rejected).chain(() -> offerNext(call, now)))
                        .orElseGet(() -> Uni.createFrom().voidItem()));
    }

    /** The engineer has done the repair. Null when the engineer was offered no such assignment. */
    public Uni<Assignment> complete(UUID assignmentId, UUID engineerId) {
        return act(
                assignmentId,
                engineerId,
                (call, assignment, now) -> assignment
                        .complete(engineerId, now)
                        .map(completed -> {
                            call.completed(now);
                            return events.changed(assignment, completed);
                        })
                        .orElseGet(() -> Uni.createFrom().voidItem()));
    }

    // --- deadlines ---

    /**
     * Expires the call's open offer if its deadline has passed, and offers the call to the next
     * engineer. A call whose row another transaction holds (an answer being given, or another
     * replica expiring it) is skipped, not waited for: the next round sees what that did.
     */
    public Uni<Void> expireOffer(UUID callId) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "select " + Dispatch.COLUMNS
                                        + " from dispatch where call_id = ?1 for update skip locked",
                                Dispatch.class)
                        .setParameter(1, callId)
                        .getSingleResultOrNull())
                .chain(call -> call == null
                        ? Uni.createFrom().voidItem()
                        : openAssignment(callId).chain(offer -> {
                            Instant now = clock.instant();
                            if (offer == null || !offer.isPastDeadline(now)) {
                                return Uni.createFrom().voidItem();
                            }
                            return events.changed(offer, offer.expire(now)).chain(() -> offerNext(call, now));
                        }));
    }

    // --- shared ---

    /** Offers the call to the best engineer left, or gives up when nobody is. */
    private Uni<Void> offerNext(Dispatch call, Instant now) {
        // the matching query must see this step's changes (the offer just rejected or expired is no longer open)
        return Panache.flush().chain(() -> matcher.bestFor(call)).chain(engineer -> {
            if (engineer == null) {
                NoEngineerAvailable nobody = call.noEngineerLeft(now);
                LOG.infof("Call %s: no engineer left after %d offers", call.callId, call.offersMade);
                return events.noEngineerAvailable(call, nobody);
            }
            return offer(call, engineer, now);
        });
    }

    private Uni<Void> offer(Dispatch call, Engineer engineer, Instant now) {
        Assignment assignment = Assignment.offer(call, engineer, now, offers.timeout());
        call.offered(now);
        LOG.infof("Call %s: offered to engineer %s until %s", call.callId, engineer.id, assignment.expiresAt);
        return assignment.persist().chain(() -> events.changed(assignment, assignment.offered()));
    }

    private interface Action {
        Uni<Void> apply(Dispatch call, Assignment assignment, Instant now);
    }

    /**
     * Runs an engineer's action with the call's dispatch, then the assignment, locked (in that
     * order, as every step). The assignment is loaded only once its call is locked, so that the
     * action sees what a step that held the lock before did to it.
     *
     * <p>An assignment offered to another engineer is, to this engineer, no assignment (null, a
     * 404): its call is not even locked. Whom an assignment was offered to never changes, so this
     * needs no lock.
     */
    private Uni<Assignment> act(UUID assignmentId, UUID engineerId, Action action) {
        return Panache.getSession()
                .chain(session -> session.createSelectionQuery(
                                "select a.callId from Assignment a where a.id = ?1 and a.engineerId = ?2", UUID.class)
                        .setParameter(1, assignmentId)
                        .setParameter(2, engineerId)
                        .getSingleResultOrNull())
                .chain(callId -> callId == null
                        ? Uni.createFrom().nullItem()
                        : lockedCall(callId)
                                .chain(call -> Assignment.<Assignment>findById(
                                                assignmentId, LockModeType.PESSIMISTIC_WRITE)
                                        .call(assignment -> action.apply(call, assignment, clock.instant()))));
    }

    private Uni<Dispatch> lockedCall(UUID callId) {
        return Dispatch.<Dispatch>findById(callId, LockModeType.PESSIMISTIC_WRITE)
                // only an event can name a call engineer-service does not know (an engineer's
                // answer names an assignment, which has its call): the call's CallRequested was
                // never applied, it was set aside as unreadable, so this event can never be either
                .onItem()
                .ifNull()
                .failWith(() -> new InapplicableEvent(
                        "call " + callId + " is unknown here: its CallRequested was never applied"));
    }

    private Uni<Assignment> openAssignment(UUID callId) {
        return Assignment.<Assignment>find("callId = ?1 and status in ?2", callId, OPEN)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResult();
    }
}
