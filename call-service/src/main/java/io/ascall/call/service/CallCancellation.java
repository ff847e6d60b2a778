package io.ascall.call.service;

import java.time.Clock;
import java.util.UUID;

import io.ascall.call.Call;
import io.ascall.call.CallStatus;
import io.ascall.call.messaging.CallEvents;
import io.ascall.call.metrics.CallMetrics;
import io.ascall.events.CallCancelled;
import io.ascall.events.CancellationReason;
import io.ascall.messaging.AfterCommit;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A customer cancels a call before an engineer is dispatched. The compensation follows from the
 * CallCancelled event: payment-service refunds the fee, engineer-service withdraws a standing
 * offer. Cancelling a cancelled call changes nothing; after dispatch it is refused.
 */
@ApplicationScoped
public class CallCancellation {

    private final CallEvents events;
    private final CallMetrics metrics;
    private final Clock clock;

    public CallCancellation(CallEvents events, CallMetrics metrics, Clock clock) {
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
    }

    public Uni<CancelOutcome> cancelByCustomer(UUID callId, String customerId) {
        return AfterCommit.transaction(() -> Call.forChange(callId).chain(call -> {
            if (call == null || !call.customerId.equals(customerId)) {
                // another customer's call is answered as no call at all: its existence is not theirs to learn
                return Uni.createFrom().item(new CancelOutcome.NotFound());
            }
            if (call.status == CallStatus.CANCELLED) {
                return Uni.createFrom().item(new CancelOutcome.Cancelled(call));
            }
            if (!call.status.canMoveTo(CallStatus.CANCELLED)) {
                return Uni.createFrom().item(new CancelOutcome.Refused(call));
            }
            CallStatus from = call.status;
            CallCancelled cancelled = call.cancel(CancellationReason.CUSTOMER, clock.instant());
            metrics.transitioned(call, from);
            return events.record(call, cancelled).replaceWith(new CancelOutcome.Cancelled(call));
        }));
    }
}
