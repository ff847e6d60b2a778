package io.ascall.call.service;

import java.time.Clock;
import java.util.UUID;

import io.ascall.call.Call;
import io.ascall.call.CallStatus;
import io.ascall.call.messaging.CallEvents;
import io.ascall.events.CancellationReason;
import io.ascall.problem.CommonProblemType;
import io.ascall.problem.Problem;
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

    public Uni<Call> cancelByCustomer(UUID callId) {
        return Panache.withTransaction(() -> Call.<Call>findById(callId)
                .onItem().ifNull().failWith(() -> Problem.of(CommonProblemType.NOT_FOUND, "No call " + callId).toException())
                .chain(call -> {
                    if (call.status == CallStatus.CANCELLED) {
                        return Uni.createFrom().item(call);
                    }
                    if (!call.status.canMoveTo(CallStatus.CANCELLED)) {
                        return Uni.createFrom().failure(Problem.of(CommonProblemType.CONFLICT, "Call " + callId + " is "
                                + call.status + ": only a paid call not yet dispatched to an engineer can be cancelled")
                                .with("callStatus", call.status).toException());
                    }
                    call.cancel(CancellationReason.CUSTOMER, clock.instant());
                    return events.cancelled(call).replaceWith(call);
                }));
    }
}
