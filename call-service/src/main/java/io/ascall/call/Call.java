package io.ascall.call;

import java.time.Instant;
import java.util.UUID;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/**
 * A customer's request for a repair engineer, and the call's progress through its saga.
 * Its status changes only through the methods below, each checked by {@link CallStatus}.
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

    /** True until payment-service has confirmed that nothing stays charged for a failed call. */
    @Column(name = "payment_void_pending", nullable = false)
    public boolean paymentVoidPending;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** Since when the call has been in its current status: what operators ask of a stuck call. */
    @Column(name = "status_changed_at", nullable = false)
    public Instant statusChangedAt;

    @Version
    public long version;

    public static Call request(String customerId, ApplianceType applianceType, String region, String address,
            String description, long fee, String currency, Instant now) {
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

    public void paymentApproved(UUID paymentId, Instant now) {
        moveTo(CallStatus.PAID, now);
        this.paymentId = paymentId;
    }

    public void paymentDeclined(UUID paymentId, String reason, Instant now) {
        moveTo(CallStatus.PAYMENT_FAILED, now);
        this.paymentId = paymentId;
        this.paymentDeclineReason = reason;
        this.failureReason = FailureReason.PAYMENT_DECLINED;
    }

    /**
     * payment-service could not be reached in time. Whatever it may still do with the request,
     * the customer was told the call failed, so any payment for it must be voided.
     */
    public void paymentUnavailable(Instant now) {
        moveTo(CallStatus.PAYMENT_FAILED, now);
        this.failureReason = FailureReason.PAYMENT_UNAVAILABLE;
        this.paymentVoidPending = true;
    }

    public void paymentVoided(Instant now) {
        this.paymentVoidPending = false;
        this.updatedAt = now;
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
