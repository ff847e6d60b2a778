package io.ascall.call.service;

import java.time.Clock;
import java.time.Instant;

import org.jboss.logging.Logger;

import io.ascall.call.Call;
import io.ascall.call.CallStatus;
import io.ascall.call.messaging.CallEvents;
import io.ascall.call.metrics.CallMetrics;
import io.ascall.events.AssignmentAccepted;
import io.ascall.events.AssignmentEvent;
import io.ascall.events.AssignmentExpired;
import io.ascall.events.AssignmentRejected;
import io.ascall.events.AssignmentWithdrawn;
import io.ascall.events.CallCancelled;
import io.ascall.events.CancellationReason;
import io.ascall.events.EngineerAssigned;
import io.ascall.events.EngineerEvent;
import io.ascall.events.NoEngineerAvailable;
import io.ascall.events.PaymentEvent;
import io.ascall.events.PaymentRefunded;
import io.ascall.events.PaymentVoided;
import io.ascall.events.ServiceCompleted;
import io.ascall.messaging.EventEnvelope;
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

    private static final Logger LOG = Logger.getLogger(SagaSteps.class);

    private final CallEvents events;
    private final CallMetrics metrics;
    private final Clock clock;

    public SagaSteps(CallEvents events, CallMetrics metrics, Clock clock) {
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
    }

    public Uni<Void> onEngineerEvent(EngineerEvent event, EventEnvelope envelope) {
        return call(envelope).chain(call -> {
            if (call == null) {
                return Uni.createFrom().voidItem();
            }
            Instant now = clock.instant();
            CallStatus from = call.status;
            if (event instanceof NoEngineerAvailable) {
                if (call.status.canMoveTo(CallStatus.CANCELLED)) {
                    CallCancelled cancelled = call.cancel(CancellationReason.NO_ENGINEER, now);
                    metrics.transitioned(call, from);
                    LOG.infof("Call %s: no engineer available, cancelled; its fee is refunded", call.id);
                    return events.record(call, cancelled);
                }
                ignored(envelope, call);
                return Uni.createFrom().voidItem();
            }
            AssignmentEvent about = (AssignmentEvent) event;
            boolean current = call.followsAssignment(about.assignmentId());
            if (about instanceof EngineerAssigned assigned && call.status == CallStatus.PAID) {
                call.engineerAssigned(assigned.assignmentId(), assigned.engineerId(), assigned.engineerName(), now);
            } else if (about instanceof AssignmentAccepted && call.status == CallStatus.ENGINEER_ASSIGNED && current) {
                call.dispatched(about.assignmentId(), now);
            } else if ((about instanceof AssignmentRejected || about instanceof AssignmentExpired)
                    && call.status == CallStatus.ENGINEER_ASSIGNED
                    && current) {
                call.offerEnded(about.assignmentId(), now);
            } else if (about instanceof ServiceCompleted && call.status == CallStatus.DISPATCHED && current) {
                call.completed(about.assignmentId(), now);
            } else if (!(about instanceof AssignmentWithdrawn)) {
                // AssignmentWithdrawn: engineer-service confirms a cancellation call-service made
                ignored(envelope, call);
            }
            if (call.status != from) {
                metrics.transitioned(call, from);
            }
            return Uni.createFrom().voidItem();
        });
    }

    public Uni<Void> onPaymentEvent(PaymentEvent event, EventEnvelope envelope) {
        boolean moneyGivenBack =
                event instanceof PaymentRefunded || (event instanceof PaymentVoided voided && voided.refunded());
        if (!moneyGivenBack) {
            // the payment's approval or decline reached call-service synchronously already
            return Uni.createFrom().voidItem();
        }
        return call(envelope)
                .invoke(call -> {
                    if (call != null) {
                        call.refunded(clock.instant());
                    }
                })
                .replaceWithVoid();
    }

    private static Uni<Call> call(EventEnvelope envelope) {
        return Call.forChange(envelope.callId()).invoke(call -> {
            if (call == null) {
                LOG.warnf("Ignoring %s: no such call here", envelope);
            }
        });
    }

    private static void ignored(EventEnvelope event, Call call) {
        LOG.infof("Call %s is %s (offer %s): %s changes nothing", call.id, call.status, call.assignmentId, event);
    }
}
