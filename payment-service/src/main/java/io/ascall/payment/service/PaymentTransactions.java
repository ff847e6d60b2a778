package io.ascall.payment.service;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import io.ascall.events.PaymentEvent;
import io.ascall.payment.Payment;
import io.ascall.payment.PaymentStatus;
import io.ascall.payment.PaymentTransitionRefused;
import io.ascall.payment.config.PaymentConfig;
import io.ascall.payment.gateway.GatewayResult;
import io.ascall.payment.messaging.PaymentEvents;
import io.ascall.payment.repository.PaymentRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The short database transactions a payment goes through. Each method is one transaction that
 * locks the payment's row before changing it; {@link PaymentService} calls the card gateway
 * between them, so that no transaction (nor connection) is held across a remote call. Each
 * change that has an event ({@link PaymentEvents}) records it in the same transaction, and only
 * when the change is made, so each change is published exactly once. Called inside a running
 * transaction (the inbox's), a method joins it.
 */
@ApplicationScoped
public class PaymentTransactions {

    private final PaymentRepository payments;
    private final PaymentEvents events;
    private final PaymentConfig config;
    private final Clock clock;

    public PaymentTransactions(PaymentRepository payments, PaymentEvents events, PaymentConfig config, Clock clock) {
        this.payments = payments;
        this.events = events;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Registers a PENDING payment for the order's call, or returns the call's existing payment.
     * Two concurrent registrations for one call both pass the lookup; the unique constraint on
     * {@code call_id} then fails the second one, which reads the winner with {@link #findByCallId}.
     */
    @WithTransaction
    public Uni<PaymentOutcome> register(PaymentOrder order) {
        return payments.findByCallId(order.callId())
                .chain(existing -> existing != null
                        ? Uni.createFrom().item(PaymentOutcome.existing(existing))
                        : payments.persistAndFlush(Payment.pending(
                                        order.callId(),
                                        order.customerId(),
                                        order.amount(),
                                        config.currency(),
                                        order.idempotencyKey(),
                                        clock.instant()))
                                .map(PaymentOutcome::created));
    }

    @WithSession
    public Uni<Payment> findByCallId(UUID callId) {
        return payments.findByCallId(callId);
    }

    @WithSession
    public Uni<Payment> findById(UUID paymentId) {
        return payments.findById(paymentId);
    }

    /** See {@link Payment#claimChargeAttempt}; answers the payment only if this call took the attempt over. */
    @WithTransaction
    public Uni<Claim> claimChargeAttempt(UUID paymentId) {
        return payments.lockById(paymentId)
                .map(payment ->
                        new Claim(payment, payment.claimChargeAttempt(clock.instant(), config.pendingTakeoverAge())));
    }

    /** The result of {@link #claimChargeAttempt}: the payment as it is now, and whether the caller now charges it. */
    public record Claim(Payment payment, boolean claimed) {}

    @WithTransaction
    public Uni<Payment> releaseChargeAttempt(UUID paymentId) {
        return payments.lockById(paymentId).invoke(payment -> payment.releaseChargeAttempt(clock.instant()));
    }

    /**
     * Records the gateway's decision. A payment voided while its charge was in flight stays
     * VOIDED; if the gateway approved, a refund is now owed ({@link Payment#isRefundOwed()}) and
     * due. A payment another attempt already settled is left as it is.
     */
    @WithTransaction
    public Uni<Payment> recordCharge(UUID paymentId, GatewayResult result) {
        return payments.lockById(paymentId).chain(payment -> {
            Instant now = clock.instant();
            if (payment.status() == PaymentStatus.PENDING) {
                PaymentEvent decided =
                        result.approved() ? payment.approve(now) : payment.decline(result.declineReason(), now);
                return events.record(payment, decided).replaceWith(payment);
            }
            if (result.approved() && payment.status() == PaymentStatus.VOIDED && payment.chargedAt() == null) {
                payment.chargeApprovedAfterVoid(now);
            }
            return Uni.createFrom().item(payment);
        });
    }

    /**
     * Records a refund the gateway made, unless another request recorded it already: APPROVED
     * becomes REFUNDED (PaymentRefunded); a VOIDED payment records that its charge was given
     * back (PaymentVoided, refunded).
     */
    @WithTransaction
    public Uni<Payment> recordRefund(UUID paymentId) {
        return payments.lockById(paymentId).chain(payment -> {
            if (!payment.isRefundDueOnVoid()) {
                return Uni.createFrom().item(payment);
            }
            return events.record(payment, payment.refund(clock.instant())).replaceWith(payment);
        });
    }

    /** The gateway holds no charge for the payment: see {@link Payment#noChargeToRefund}. */
    @WithTransaction
    public Uni<Payment> recordNoCharge(UUID paymentId) {
        return payments.lockById(paymentId)
                .invoke(payment -> payment.noChargeToRefund(
                        clock.instant(), config.gateway().chargeDeadline()));
    }

    /**
     * The call was cancelled: its fee is due back if it was taken (APPROVED). Any other payment
     * is left as it is: a declined or voided one holds no money for the call, a refunded one was
     * given back already. Only records that the refund is due; {@link RefundWorker} asks the gateway.
     */
    @WithTransaction
    public Uni<Payment> requestRefundOfCancelledCall(UUID callId) {
        return payments.lockByCallId(callId).invoke(payment -> {
            if (payment != null && payment.status() == PaymentStatus.APPROVED) {
                payment.requestRefund(clock.instant());
            }
        });
    }

    /**
     * Voids the call's payment if it is PENDING, or leaves a VOIDED tombstone when the call has
     * none, so that a late payment request is refused; both publish PaymentVoided. Settled
     * payments are left as they are. When money may have to be given back
     * ({@link Payment#isRefundDueOnVoid()}), the refund is recorded as due in this transaction:
     * the caller asks the gateway at once, and {@link RefundWorker} again until it is settled.
     * A concurrent registration of the same call can make the tombstone's insert fail on the
     * unique constraint; the caller then simply voids again.
     */
    @WithTransaction
    public Uni<Payment> voidCall(UUID callId, String reason) {
        return payments.lockByCallId(callId).chain(payment -> voidLocked(payment, callId, reason));
    }

    /**
     * A void asked for by a client (POST /payments/voids), not by the saga: it follows the call's
     * saga, so it may void a charge that is pending or abandoned, confirm a payment that failed or
     * was voided, and refund only a payment whose refund the saga has made due (the call was
     * cancelled before dispatch, or call-service gave its payment up). An APPROVED payment whose call
     * goes on is refused (409): its fee is given back by cancelling the call, which is refused once
     * an engineer is dispatched.
     */
    @WithTransaction
    public Uni<Payment> voidRequested(UUID callId, String reason) {
        return payments.lockByCallId(callId).chain(payment -> {
            if (payment != null && payment.status() == PaymentStatus.APPROVED && payment.refundDueAt() == null) {
                return Uni.createFrom()
                        .failure(new PaymentTransitionRefused(
                                payment,
                                "be voided while its call goes on (a paid call's fee is refunded by cancelling"
                                        + " the call, until an engineer is dispatched)"));
            }
            return voidLocked(payment, callId, reason);
        });
    }

    private Uni<Payment> voidLocked(Payment payment, UUID callId, String reason) {
        {
            Instant now = clock.instant();
            if (payment == null) {
                Payment tombstone = Payment.voidedTombstone(callId, config.currency(), reason, now);
                return payments.persistAndFlush(tombstone)
                        .chain(() -> events.record(tombstone, tombstone.voided()))
                        .replaceWith(tombstone);
            }
            Uni<Void> published = Uni.createFrom().voidItem();
            if (payment.status() == PaymentStatus.PENDING) {
                published = events.record(payment, payment.voidPayment(reason, now));
            }
            if (payment.isRefundDueOnVoid()) {
                payment.requestRefund(now);
            }
            return published.replaceWith(payment);
        }
    }
}
