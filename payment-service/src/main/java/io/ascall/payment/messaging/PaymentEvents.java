package io.ascall.payment.messaging;

import io.ascall.events.PaymentEvent;
import io.ascall.messaging.Outbox;
import io.ascall.payment.Payment;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The facts payment-service publishes about its payments (topic {@code payment-events},
 * docs/asyncapi.yaml), keyed by call id: the events {@link Payment}'s transitions return, each
 * recorded through the {@link Outbox} in the transaction that makes the change it reports, so
 * the type of a payment's latest event is always its status:
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

    private final Outbox outbox;

    public PaymentEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    public Uni<Void> record(Payment payment, PaymentEvent event) {
        return outbox.record(payment.callId(), event);
    }
}
