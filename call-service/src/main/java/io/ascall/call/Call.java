package io.ascall.call;

import java.time.Instant;
import java.util.UUID;

import io.ascall.events.ApplianceType;
import io.ascall.events.CallCancelled;
import io.ascall.events.CallPaid;
import io.ascall.events.CallPaymentFailed;
import io.ascall.events.CallRequested;
import io.ascall.events.CancellationReason;
import io.ascall.events.FailureReason;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/**
 * A customer's request for a repair engineer, and the call's progress through its saga.
 * Its status changes only through the methods below, each checked by {@link CallStatus}; a change
 * that call-service tells the saga about returns that event, for the caller to record in the same
 * transaction ({@code CallEvents}). The others follow engineer-service's and payment-service's facts.
 */
@Entity
@Table(name = "repair_call")
public class Call extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "customer_id", nullable = false)
    public String customerId;

    @Enumerated(EnumType.STRING)
    @Column(name = "appliance_type", nullable = false)
    public ApplianceType applianceType;

    @Column(nullable = false)
    public String region;

    @Column(nullable = false)
    public String address;

    public String description;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public CallStatus status;

    @Enumerated(EnumType.STRING)
    @Column(name = "failure_reason")
    public FailureReason failureReason;

    /** The visit fee, in whole units of {@link #currency}. */
    @Column(nullable = false)
    public long fee;

    @Column(nullable = false)
    public String currency;

    @Column(name = "payment_id")
    public UUID paymentId;

    /** The declined card's reason, as payment-service gave it. */
    @Column(name = "payment_decline_reason")
    public String paymentDeclineReason;

    /** The engineer's offer (assignment) the call currently follows, while one stands. */
    @Column(name = "assignment_id")
    public UUID assignmentId;

    @Column(name = "engineer_id")
    public UUID engineerId;

    @Column(name = "engineer_name")
    public String engineerName;

    /** How many engineers have been offered the call so far. */
    @Column(name = "offers_made", nullable = false)
    public int offersMade;

    @Enumerated(EnumType.STRING)
    @Column(name = "cancellation_reason")
    public CancellationReason cancellationReason;

    /** When payment-service confirmed the refund of a cancelled call's fee. */
    @Column(name = "refunded_at")
    public Instant refundedAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** Since when the call has been in its current status: what operators ask of a stuck call. */
    @Column(name = "status_changed_at", nullable = false)
    public Instant statusChangedAt;

    @Version
    public long version;

    /**
     * The call (or null), locked until the current transaction ends ({@code SELECT ... FOR UPDATE}).
     * A customer's cancellation, a saga step and the reconciler may change one call at the same
     * moment: every change loads the call this way, so the later one waits and decides on what the
     * earlier one left, instead of failing on {@link #version}.
     */
    public static Uni<Call> forChange(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    public static Call request(
            String customerId,
            ApplianceType applianceType,
            String region,
            String address,
            String description,
            long fee,
            String currency,
            Instant now) {
        Call call = new Call();
        call.id = UUID.randomUUID();
        call.customerId = customerId;
        call.applianceType = applianceType;
        call.region = region;
        call.address = address;
        call.description = description;
        call.fee = fee;
        call.currency = currency;
        call.status = CallStatus.REQUESTED;
        call.createdAt = now;
        call.updatedAt = now;
        call.statusChangedAt = now;
        return call;
    }

    /** The fact that tells the saga of this new call (its first event). */
    public CallRequested requested() {
        return new CallRequested(customerId, applianceType, region, address, description, fee, currency);
    }

    public CallPaid paymentApproved(UUID paymentId, Instant now) {
        moveTo(CallStatus.PAID, now);
        this.paymentId = paymentId;
        return new CallPaid(paymentId);
    }

    public CallPaymentFailed paymentDeclined(UUID paymentId, String reason, Instant now) {
        moveTo(CallStatus.PAYMENT_FAILED, now);
        this.paymentId = paymentId;
        this.paymentDeclineReason = reason;
        this.failureReason = FailureReason.PAYMENT_DECLINED;
        return paymentFailed();
    }

    /**
     * payment-service could not be reached in time. Whatever it may still do with the request,
     * the customer was told the call failed: the CallPaymentFailed event makes payment-service
     * void any payment for it.
     */
    public CallPaymentFailed paymentUnavailable(Instant now) {
        moveTo(CallStatus.PAYMENT_FAILED, now);
        this.failureReason = FailureReason.PAYMENT_UNAVAILABLE;
        return paymentFailed();
    }

    private CallPaymentFailed paymentFailed() {
        return new CallPaymentFailed(failureReason, paymentId, paymentDeclineReason);
    }

    /** The call was offered to an engineer, who has until the offer expires to accept. */
    public void engineerAssigned(UUID assignmentId, UUID engineerId, String engineerName, Instant now) {
        moveTo(CallStatus.ENGINEER_ASSIGNED, now);
        this.assignmentId = assignmentId;
        this.engineerId = engineerId;
        this.engineerName = engineerName;
        this.offersMade++;
    }

    /** The engineer of the standing offer accepted: dispatched to the customer. */
    public void dispatched(UUID assignmentId, Instant now) {
        requireCurrentAssignment(assignmentId, CallStatus.DISPATCHED);
        moveTo(CallStatus.DISPATCHED, now);
    }

    /** The standing offer was rejected or expired: the call waits for the next engineer. */
    public void offerEnded(UUID assignmentId, Instant now) {
        requireCurrentAssignment(assignmentId, CallStatus.PAID);
        moveTo(CallStatus.PAID, now);
        this.assignmentId = null;
        this.engineerId = null;
        this.engineerName = null;
    }

    public void completed(UUID assignmentId, Instant now) {
        requireCurrentAssignment(assignmentId, CallStatus.COMPLETED);
        moveTo(CallStatus.COMPLETED, now);
    }

    /** Cancelled before an engineer was dispatched; the fee is refunded (CallCancelled). */
    public CallCancelled cancel(CancellationReason reason, Instant now) {
        moveTo(CallStatus.CANCELLED, now);
        this.cancellationReason = reason;
        return new CallCancelled(reason);
    }

    public void refunded(Instant now) {
        this.refundedAt = now;
        this.updatedAt = now;
    }

    /** Whether an event about the given assignment still concerns this call's standing offer. */
    public boolean followsAssignment(UUID assignmentId) {
        return assignmentId != null && assignmentId.equals(this.assignmentId);
    }

    private void requireCurrentAssignment(UUID assignmentId, CallStatus target) {
        if (!followsAssignment(assignmentId)) {
            throw new CallTransitionRefused(id, status, target);
        }
    }

    private void moveTo(CallStatus target, Instant now) {
        if (!status.canMoveTo(target)) {
            throw new CallTransitionRefused(id, status, target);
        }
        status = target;
        statusChangedAt = now;
        updatedAt = now;
    }
}
