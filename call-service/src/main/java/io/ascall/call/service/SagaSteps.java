package io.ascall.call.service;

import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import org.jboss.logging.Logger;

import io.ascall.call.Call;
import io.ascall.call.CallStatus;
import io.ascall.call.CancellationReason;
import io.ascall.call.messaging.CallEvents;
import io.ascall.call.messaging.EventEnvelope;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * How call-service follows a call through the saga, one step per event of engineer-service and
 * payment-service; each runs in the inbox's transaction (exactly once, in order per source).
 *
 * <pre>
 * EngineerAssigned     PAID -> ENGINEER_ASSIGNED
 * AssignmentAccepted   ENGINEER_ASSIGNED -> DISPATCHED
 * AssignmentRejected,
 * AssignmentExpired    ENGINEER_ASSIGNED -> PAID (the next engineer is offered the call)
 * ServiceCompleted     DISPATCHED -> COMPLETED
 * NoEngineerAvailable  -> CANCELLED, compensated: CallCancelled makes payment-service refund
 * PaymentRefunded,
 * PaymentVoided        the refund is recorded on the call (a void gives money back when a late
 *                      charge of a failed call had gone through)
 * </pre>
 *
 * call-service owns the call's state, so its own decisions win a race: an offer accepted after the
 * customer cancelled does not dispatch the call (engineer-service withdraws it on CallCancelled).
 * An event that no longer fits (about an offer the call no longer follows, say) changes nothing.
 */
@ApplicationScoped
public class SagaSteps {

    public static final Set<String> ENGINEER_EVENTS = Set.of("EngineerAssigned", "AssignmentAccepted",
            "AssignmentRejected", "AssignmentExpired", "AssignmentWithdrawn", "ServiceCompleted", "NoEngineerAvailable");
    public static final Set<String> PAYMENT_EVENTS = Set.of("PaymentApproved", "PaymentDeclined", "PaymentVoided",
            "PaymentRefunded");

    private static final Logger LOG = Logger.getLogger(SagaSteps.class);

    private final CallEvents events;
    private final Clock clock;

    public SagaSteps(CallEvents events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    public Uni<Void> onEngineerEvent(EventEnvelope event) {
        return call(event).chain(call -> {
            if (call == null) {
                return Uni.createFrom().voidItem();
            }
            Instant now = clock.instant();
            UUID assignment = "NoEngineerAvailable".equals(event.type()) ? null : event.requiredUuid("assignmentId");
            switch (event.type()) {
                case "EngineerAssigned" -> {
                    if (call.status == CallStatus.PAID) {
                        call.engineerAssigned(assignment, event.requiredUuid("engineerId"), event.requiredText("engineerName"), now);
                    } else {
                        ignored(event, call);
                    }
                }
                case "AssignmentAccepted" -> {
                    if (call.status == CallStatus.ENGINEER_ASSIGNED && call.followsAssignment(assignment)) {
                        call.dispatched(assignment, now);
                    } else {
                        ignored(event, call);
                    }
                }
                case "AssignmentRejected", "AssignmentExpired" -> {
                    if (call.status == CallStatus.ENGINEER_ASSIGNED && call.followsAssignment(assignment)) {
                        call.offerEnded(assignment, now);
                    } else {
                        ignored(event, call);
                    }
                }
                case "ServiceCompleted" -> {
                    if (call.status == CallStatus.DISPATCHED && call.followsAssignment(assignment)) {
                        call.completed(assignment, now);
                    } else {
                        ignored(event, call);
                    }
                }
                case "NoEngineerAvailable" -> {
                    if (call.status.canMoveTo(CallStatus.CANCELLED)) {
                        call.cancel(CancellationReason.NO_ENGINEER, now);
                        LOG.infof("Call %s: no engineer available, cancelled; its fee is refunded", call.id);
                        return events.cancelled(call);
                    }
                    ignored(event, call);
                }
                default -> {
                    // AssignmentWithdrawn: engineer-service confirms a cancellation call-service made.
                }
            }
            return Uni.createFrom().voidItem();
        });
    }

    public Uni<Void> onPaymentEvent(EventEnvelope event) {
        boolean moneyGivenBack = "PaymentRefunded".equals(event.type())
                || ("PaymentVoided".equals(event.type()) && event.json().path("refunded").asBoolean(false));
        if (!moneyGivenBack) {
            // the payment's approval or decline reached call-service synchronously already
            return Uni.createFrom().voidItem();
        }
        return call(event).invoke(call -> {
            if (call != null) {
                call.refunded(clock.instant());
            }
        }).replaceWithVoid();
    }

    private static Uni<Call> call(EventEnvelope event) {
        return Call.<Call>findById(event.callId()).invoke(call -> {
            if (call == null) {
                LOG.warnf("Ignoring %s: no such call here", event);
            }
        });
    }

    private static void ignored(EventEnvelope event, Call call) {
        LOG.infof("Call %s is %s (offer %s): %s changes nothing", call.id, call.status, call.assignmentId, event);
    }
}
