package io.ascall.call.messaging;

import java.util.UUID;

import io.ascall.call.ApplianceType;
import io.ascall.call.Call;
import io.ascall.call.CancellationReason;
import io.ascall.call.FailureReason;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** The facts call-service publishes about its calls (topic {@code call-events}, docs/asyncapi.yaml). */
@ApplicationScoped
public class CallEvents {

    private final Outbox outbox;

    public CallEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    public Uni<Void> requested(Call call) {
        return outbox.record(call.id, "CallRequested", new CallRequested(call.customerId, call.applianceType,
                call.region, call.address, call.description, call.fee, call.currency));
    }

    public Uni<Void> paid(Call call) {
        return outbox.record(call.id, "CallPaid", new CallPaid(call.paymentId));
    }

    public Uni<Void> paymentFailed(Call call) {
        return outbox.record(call.id, "CallPaymentFailed",
                new CallPaymentFailed(call.failureReason, call.paymentId, call.paymentDeclineReason));
    }

    public Uni<Void> cancelled(Call call) {
        return outbox.record(call.id, "CallCancelled", new CallCancelled(call.cancellationReason));
    }

    @RegisterForReflection
    record CallRequested(String customerId, ApplianceType applianceType, String region, String address,
            String description, long fee, String currency) {
    }

    @RegisterForReflection
    record CallPaid(UUID paymentId) {
    }

    @RegisterForReflection
    record CallPaymentFailed(FailureReason failureReason, UUID paymentId, String declineReason) {
    }

    @RegisterForReflection
    record CallCancelled(CancellationReason reason) {
    }
}
