package io.ascall.payment.service;

import org.jboss.logging.Logger;

import io.ascall.events.CallCancelled;
import io.ascall.events.CallEvent;
import io.ascall.events.CallPaymentFailed;
import io.ascall.events.FailureReason;
import io.ascall.messaging.EventEnvelope;
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

    /** Recorded as the void's reason, like the one POST /payments/voids takes. */
    static final String UNAVAILABLE_VOID_REASON = "call-service: payment unavailable (CallPaymentFailed)";

    private static final Logger LOG = Logger.getLogger(SagaSteps.class);

    private final PaymentTransactions transactions;

    public SagaSteps(PaymentTransactions transactions) {
        this.transactions = transactions;
    }

    public Uni<Void> onCallEvent(CallEvent event, EventEnvelope envelope) {
        if (event instanceof CallCancelled cancelled) {
            return transactions
                    .requestRefundOfCancelledCall(envelope.callId())
                    .invoke(payment -> LOG.infof(
                            "Call %s cancelled (%s): %s",
                            envelope.callId(),
                            cancelled.reason(),
                            payment == null
                                    ? "it has no payment"
                                    : payment.refundDueAt() != null
                                            ? "refund of payment " + payment.id() + " due"
                                            : "payment " + payment.id() + " is " + payment.status()
                                                    + ", nothing to refund"))
                    .replaceWithVoid();
        }
        if (event instanceof CallPaymentFailed failed && failed.failureReason() == FailureReason.PAYMENT_UNAVAILABLE) {
            // a tombstone racing a late POST /payments fails on call_id's unique constraint: the
            // receiver applies the event again, and the void then finds the payment
            return transactions
                    .voidCall(envelope.callId(), UNAVAILABLE_VOID_REASON)
                    .invoke(payment -> LOG.infof(
                            "Call %s: payment unavailable at call-service, payment %s now %s%s",
                            envelope.callId(),
                            payment.id(),
                            payment.status(),
                            payment.refundDueAt() != null ? ", refund due" : ""))
                    .replaceWithVoid();
        }
        // CallRequested, CallPaid, a declined CallPaymentFailed: the payment already says so
        return Uni.createFrom().voidItem();
    }
}
