package io.ascall.payment.messaging;

import java.util.Objects;

import io.ascall.events.PaymentApproved;
import io.ascall.events.PaymentDeclined;
import io.ascall.events.PaymentRefunded;
import io.ascall.events.PaymentVoided;
import io.ascall.messaging.Outbox;
import io.ascall.payment.Payment;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The facts payment-service publishes about its payments (topic {@code payment-events},
 * docs/asyncapi.yaml), keyed by call id. Each is recorded through the {@link Outbox} in the
 * transaction that makes the change it reports, so the type of a payment's latest event is
 * always its status:
 *
 * <pre>
 * PENDING -> APPROVED                          PaymentApproved
 * PENDING -> DECLINED                          PaymentDeclined
 * PENDING -> VOIDED, or a void tombstone       PaymentVoided (refunded: false)
 * VOIDED, its charge given back                PaymentVoided (refunded: true)
 * APPROVED -> REFUNDED                         PaymentRefunded
 * </pre>
 */
@ApplicationScoped
public class PaymentEvents {

    /** Said when the gateway declined without a reason: the contract requires one. */
    private static final String UNKNOWN_DECLINE_REASON = "declined by the card gateway";

    private final Outbox outbox;

    public PaymentEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    public Uni<Void> approved(Payment payment) {
        return outbox.record(
                payment.callId(),
                new PaymentApproved(payment.id(), payment.customerId(), payment.amount(), payment.currency()));
    }

    public Uni<Void> declined(Payment payment) {
        return outbox.record(
                payment.callId(),
                new PaymentDeclined(
                        payment.id(), Objects.requireNonNullElse(payment.declineReason(), UNKNOWN_DECLINE_REASON)));
    }

    /** The payment is VOIDED: just now, or (refunded) the money its charge took is now given back. */
    public Uni<Void> voided(Payment payment) {
        return outbox.record(payment.callId(), new PaymentVoided(payment.id(), payment.refundedAt() != null));
    }

    public Uni<Void> refunded(Payment payment) {
        return outbox.record(payment.callId(), new PaymentRefunded(payment.id(), payment.amount(), payment.currency()));
    }
}
