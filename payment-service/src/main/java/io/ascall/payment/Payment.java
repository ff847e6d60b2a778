package io.ascall.payment;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;

import io.ascall.events.PaymentApproved;
import io.ascall.events.PaymentDeclined;
import io.ascall.events.PaymentEvent;
import io.ascall.events.PaymentRefunded;
import io.ascall.events.PaymentVoided;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The visit fee of one call. Its status changes only through the methods below, each of which
 * refuses a transition the current status does not allow ({@link PaymentTransitionRefused}): the
 * status steps of {@link PaymentStatus#canMoveTo}, and the conditions on the rest of the payment.
 * Callers load the row with a write lock first, so a check and its transition are atomic, as an
 * {@code UPDATE ... WHERE status = 'PENDING'} would be. A transition payment-service tells the
 * saga about returns its event, for the caller to record in the same transaction
 * ({@code PaymentEvents}), so the type of a payment's latest event is always its status.
 */
@Entity
@Table(name = "payment")
public class Payment {

    /** Said when the gateway declined without a reason: the contract requires one. */
    private static final String UNKNOWN_DECLINE_REASON = "declined by the card gateway";

    /** Also the gateway's idempotency reference: a resumed charge reuses it and is never taken twice. */
    @Id
    private UUID id;

    @Column(name = "call_id", nullable = false, updatable = false)
    private UUID callId;

    /** Null only on a void tombstone, which no customer asked for. */
    @Column(name = "customer_id", updatable = false)
    private String customerId;

    /** In the currency's smallest unit; KRW has no minor unit. Zero only on a void tombstone. */
    @Column(nullable = false, updatable = false)
    private long amount;

    @Column(nullable = false, updatable = false)
    private String currency;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private PaymentStatus status;

    @Column(name = "decline_reason")
    private String declineReason;

    @Column(name = "void_reason")
    private String voidReason;

    @Column(name = "idempotency_key", updatable = false)
    private String idempotencyKey;

    @Column(name = "charge_attempt_started_at")
    private Instant chargeAttemptStartedAt;

    @Column(name = "charged_at")
    private Instant chargedAt;

    /**
     * When the gateway was last asked to charge this payment. A charge can land at the gateway
     * after payment-service stopped waiting for it, until the gateway's charge deadline: before
     * then a refund's "no charge" answer is provisional ({@link #noChargeToRefund}).
     */
    @Column(name = "last_charge_requested_at")
    private Instant lastChargeRequestedAt;

    @Column(name = "refunded_at")
    private Instant refundedAt;

    /**
     * When the next attempt to give this payment's money back is due; null when no refund is
     * outstanding. Set in the transaction that asks for the refund (a void, a cancelled call, a
     * charge approved after its void), cleared in the one that records the gateway's answer, so a
     * refund asked for is made even if every process dies before the gateway is reached.
     */
    @Column(name = "refund_due_at")
    private Instant refundDueAt;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected Payment() {
        // for Hibernate
    }

    private Payment(
            UUID callId,
            String customerId,
            long amount,
            String currency,
            PaymentStatus status,
            String idempotencyKey,
            Instant now) {
        this.id = UUID.randomUUID();
        this.callId = Objects.requireNonNull(callId);
        this.customerId = customerId;
        this.amount = amount;
        this.currency = Objects.requireNonNull(currency);
        this.status = status;
        this.idempotencyKey = idempotencyKey;
        this.createdAt = stamp(now);
        this.updatedAt = this.createdAt;
    }

    /** A new payment whose charge attempt starts now. */
    public static Payment pending(
            UUID callId, String customerId, long amount, String currency, String idempotencyKey, Instant now) {
        Payment payment = new Payment(
                callId,
                Objects.requireNonNull(customerId),
                amount,
                currency,
                PaymentStatus.PENDING,
                idempotencyKey,
                now);
        payment.chargeAttemptStartedAt = payment.createdAt;
        payment.lastChargeRequestedAt = payment.createdAt;
        return payment;
    }

    /**
     * Marks a call that was voided before any payment was asked for, so that a late payment
     * request for it is refused instead of charging a customer for an abandoned call.
     */
    public static Payment voidedTombstone(UUID callId, String currency, String reason, Instant now) {
        Payment payment = new Payment(callId, null, 0, currency, PaymentStatus.VOIDED, null, now);
        payment.voidReason = reason;
        return payment;
    }

    /** Whether a repeated request for this call asks for the same payment. */
    public boolean matches(String customerId, long amount) {
        return Objects.equals(this.customerId, customerId) && this.amount == amount;
    }

    /**
     * Takes over the charge attempt of a PENDING payment when none runs or the running one is
     * older than {@code takeoverAge} (its process presumably died). Returns whether it did.
     */
    public boolean claimChargeAttempt(Instant now, Duration takeoverAge) {
        if (status != PaymentStatus.PENDING) {
            return false;
        }
        if (chargeAttemptStartedAt != null
                && chargeAttemptStartedAt.plus(takeoverAge).isAfter(now)) {
            return false;
        }
        chargeAttemptStartedAt = stamp(now);
        lastChargeRequestedAt = chargeAttemptStartedAt;
        updatedAt = chargeAttemptStartedAt;
        return true;
    }

    /** Ends a failed charge attempt so that the next retry resumes at once. */
    public void releaseChargeAttempt(Instant now) {
        if (status == PaymentStatus.PENDING && chargeAttemptStartedAt != null) {
            chargeAttemptStartedAt = null;
            updatedAt = stamp(now);
        }
    }

    public PaymentApproved approve(Instant now) {
        moveTo(PaymentStatus.APPROVED, "be approved");
        chargedAt = stamp(now);
        endChargeAttempt(now);
        return new PaymentApproved(id, customerId, amount, currency);
    }

    /** Declined by the gateway; without a reason of its own, the event says a generic one (the contract requires one). */
    public PaymentDeclined decline(String reason, Instant now) {
        moveTo(PaymentStatus.DECLINED, "be declined");
        declineReason = reason;
        endChargeAttempt(now);
        return new PaymentDeclined(id, Objects.requireNonNullElse(reason, UNKNOWN_DECLINE_REASON));
    }

    public PaymentVoided voidPayment(String reason, Instant now) {
        moveTo(PaymentStatus.VOIDED, "be voided");
        voidReason = reason;
        endChargeAttempt(now);
        return voided();
    }

    /** The fact of a VOIDED payment (a tombstone's too): refunded once the money its charge took is given back. */
    public PaymentVoided voided() {
        if (status != PaymentStatus.VOIDED) {
            throw new PaymentTransitionRefused(this, "be reported voided");
        }
        return new PaymentVoided(id, refundedAt != null);
    }

    /**
     * The gateway approved a charge that was still in flight when the payment was voided: the
     * money was taken and is now owed back. The payment stays VOIDED.
     */
    public void chargeApprovedAfterVoid(Instant now) {
        if (status != PaymentStatus.VOIDED || chargedAt != null) {
            throw new PaymentTransitionRefused(this, "take a charge approved after its void");
        }
        chargedAt = stamp(now);
        updatedAt = chargedAt;
        requestRefund(now);
    }

    /** A VOIDED payment whose in-flight charge was approved and not yet refunded. */
    public boolean isRefundOwed() {
        return status == PaymentStatus.VOIDED && chargedAt != null && refundedAt == null;
    }

    /**
     * Whether voiding must ask the gateway to give money back: the payment is APPROVED, or it is
     * VOIDED (not a tombstone) and not refunded, so the gateway may hold a charge for it: one
     * approved after the void, or one whose attempt died before its answer was recorded.
     */
    public boolean isRefundDueOnVoid() {
        return status == PaymentStatus.APPROVED
                || status == PaymentStatus.VOIDED && customerId != null && refundedAt == null;
    }

    /**
     * Records that the money must be given back (see {@link #isRefundDueOnVoid()}): due from
     * {@code now} until the gateway's answer is recorded. Asking again keeps the first due time.
     */
    public void requestRefund(Instant now) {
        if (!isRefundDueOnVoid()) {
            throw new PaymentTransitionRefused(this, "be refunded");
        }
        if (refundDueAt == null) {
            refundDueAt = stamp(now);
        }
    }

    /**
     * The gateway answered that it holds no charge for a VOIDED payment whose charge was never
     * recorded. Once the gateway's charge deadline has passed since the last charge request,
     * nothing can land any more: there is nothing to give back, and the requested refund is
     * settled. Before that, a charge still in flight at the gateway may land later (payment-service
     * stopped waiting for it): the refund stays due and is asked for again. A charge recorded
     * meanwhile (approved after the void) keeps its refund due.
     */
    public void noChargeToRefund(Instant now, Duration chargeDeadline) {
        if (status != PaymentStatus.VOIDED || chargedAt != null) {
            return;
        }
        if (lastChargeRequestedAt == null || !now.isBefore(lastChargeRequestedAt.plus(chargeDeadline))) {
            refundDueAt = null;
        }
    }

    /**
     * Records that the gateway gave the money back. APPROVED becomes REFUNDED; a VOIDED payment
     * stays VOIDED, and if its charge had not been recorded (its attempt died), it is recorded now.
     */
    public PaymentEvent refund(Instant now) {
        if (!isRefundDueOnVoid()) {
            throw new PaymentTransitionRefused(this, "be refunded");
        }
        boolean wasApproved = status == PaymentStatus.APPROVED;
        if (wasApproved) {
            moveTo(PaymentStatus.REFUNDED, "be refunded");
        }
        refundedAt = stamp(now);
        if (chargedAt == null) {
            chargedAt = refundedAt;
        }
        updatedAt = refundedAt;
        refundDueAt = null;
        return wasApproved ? new PaymentRefunded(id, amount, currency) : voided();
    }

    private void moveTo(PaymentStatus target, String transition) {
        if (!status.canMoveTo(target)) {
            throw new PaymentTransitionRefused(this, transition);
        }
        status = target;
    }

    private void endChargeAttempt(Instant now) {
        chargeAttemptStartedAt = null;
        updatedAt = stamp(now);
    }

    /** PostgreSQL keeps microseconds: a payment answered before and after a reload must look the same. */
    private static Instant stamp(Instant now) {
        return now.truncatedTo(ChronoUnit.MICROS);
    }

    public UUID id() {
        return id;
    }

    public UUID callId() {
        return callId;
    }

    public String customerId() {
        return customerId;
    }

    public long amount() {
        return amount;
    }

    public String currency() {
        return currency;
    }

    public PaymentStatus status() {
        return status;
    }

    public String declineReason() {
        return declineReason;
    }

    public String voidReason() {
        return voidReason;
    }

    public String idempotencyKey() {
        return idempotencyKey;
    }

    public Instant chargeAttemptStartedAt() {
        return chargeAttemptStartedAt;
    }

    public Instant chargedAt() {
        return chargedAt;
    }

    public Instant refundedAt() {
        return refundedAt;
    }

    public Instant refundDueAt() {
        return refundDueAt;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }
}
