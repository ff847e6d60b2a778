package io.ascall.call.service;

import java.time.Clock;
import java.util.UUID;

import io.ascall.call.Call;
import io.ascall.call.CallStatus;
import io.ascall.call.messaging.CallEvents;
import io.ascall.events.CancellationReason;
import io.quarkus.hibernate.reactive.panache.Panache;
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
    private final Clock clock;

    public CallCancellation(CallEvents events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    public Uni<CancelOutcome> cancelByCustomer(UUID callId, String customerId) {
        return Panache.withTransaction(() -> Call.forChange(callId).chain(call -> {
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
            return events.record(call, call.cancel(CancellationReason.CUSTOMER, clock.instant()))
                    .replaceWith(new CancelOutcome.Cancelled(call));
        }));
    }
}
