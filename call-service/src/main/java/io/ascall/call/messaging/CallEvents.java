package io.ascall.call.messaging;

import io.ascall.call.Call;
import io.ascall.events.CallCancelled;
import io.ascall.events.CallPaid;
import io.ascall.events.CallPaymentFailed;
import io.ascall.events.CallRequested;
import io.ascall.messaging.Outbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The facts call-service publishes about its calls (topic {@code call-events}, docs/asyncapi.yaml),
 * each recorded in the outbox inside the transaction that made the change it reports.
 */
@ApplicationScoped
public class CallEvents {

    private final Outbox outbox;

    public CallEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    public Uni<Void> requested(Call call) {
        return outbox.record(
                call.id,
                new CallRequested(
                        call.customerId,
                        call.applianceType,
                        call.region,
                        call.address,
                        call.description,
                        call.fee,
                        call.currency));
    }

    public Uni<Void> paid(Call call) {
        return outbox.record(call.id, new CallPaid(call.paymentId));
    }

    public Uni<Void> paymentFailed(Call call) {
        return outbox.record(
                call.id, new CallPaymentFailed(call.failureReason, call.paymentId, call.paymentDeclineReason));
    }

    public Uni<Void> cancelled(Call call) {
        return outbox.record(call.id, new CallCancelled(call.cancellationReason));
    }
}
