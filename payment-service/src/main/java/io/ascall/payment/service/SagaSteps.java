package io.ascall.payment.service;

import java.util.Set;

import org.jboss.logging.Logger;

import io.ascall.payment.messaging.EventEnvelope;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What payment-service does on call-service's events; each step runs in the inbox's transaction
 * (exactly once, in call-service's order per call):
 *
 * <pre>
 * CallCancelled                          an APPROVED payment's refund becomes due (then REFUNDED, PaymentRefunded)
 * CallPaymentFailed PAYMENT_UNAVAILABLE  the call is voided as POST /payments/voids voids it
 * CallPaymentFailed PAYMENT_DECLINED,
 * CallRequested, CallPaid                nothing: the payment already says so
 * </pre>
 *
 * An event without a field its step needs is dead-lettered (after taking its place in the
 * call's order). A step only records its change and, when money must go back, that the refund is due: the
 * gateway is a remote call, never made inside the inbox's transaction (a slow or failing gateway
 * would hold the transaction and stop the channel). {@link RefundWorker} makes the due refunds
 * right after, and again until the gateway has answered.
 */
@ApplicationScoped
public class SagaSteps {

    public static final Set<String> CALL_EVENTS = Set.of("CallRequested", "CallPaid", "CallPaymentFailed",
            "CallCancelled");

    /** Recorded as the void's reason, like the one POST /payments/voids takes. */
    static final String UNAVAILABLE_VOID_REASON = "call-service: payment unavailable (CallPaymentFailed)";

    private static final Logger LOG = Logger.getLogger(SagaSteps.class);

    private final PaymentTransactions transactions;

    public SagaSteps(PaymentTransactions transactions) {
        this.transactions = transactions;
    }

    public Uni<Void> onCallEvent(EventEnvelope event) {
        return switch (event.type()) {
            case "CallCancelled" -> transactions.requestRefundOfCancelledCall(event.callId())
                    .invoke(payment -> LOG.infof("Call %s cancelled (%s): %s", event.callId(), event.text("reason"),
                            payment == null ? "it has no payment"
                                    : payment.refundDueAt() != null ? "refund of payment " + payment.id() + " due"
                                    : "payment " + payment.id() + " is " + payment.status() + ", nothing to refund"))
                    .replaceWithVoid();
            case "CallPaymentFailed" -> "PAYMENT_UNAVAILABLE".equals(event.requiredText("failureReason"))
                    // a tombstone racing a late POST /payments fails on call_id's unique constraint:
                    // the receiver applies the event again, and the void then finds the payment
                    ? transactions.voidCall(event.callId(), UNAVAILABLE_VOID_REASON)
                            .invoke(payment -> LOG.infof("Call %s: payment unavailable at call-service, payment %s now %s%s",
                                    event.callId(), payment.id(), payment.status(),
                                    payment.refundDueAt() != null ? ", refund due" : ""))
                            .replaceWithVoid()
                    : Uni.createFrom().voidItem();
            default -> Uni.createFrom().voidItem();
        };
    }
}
