package io.ascall.engineer;

import java.time.Instant;
import java.util.UUID;

import io.ascall.events.ApplianceType;
import io.ascall.events.NoEngineerAvailable;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/**
 * engineer-service's view of one call: what call-service told about it (CallRequested) and where
 * its dispatch to an engineer stands. Its state changes only through the methods below, each
 * checked by {@link DispatchState}. Every saga step locks this row first, so the steps of one
 * call (an engineer's answer, the expiry job, a cancellation) never interleave.
 */
@Entity
@Table(name = "dispatch")
public class Dispatch extends PanacheEntityBase {

    /**
     * Every column, for native queries that read the entity: named, not {@code *}, so that a
     * migration adding a column does not change the result of statements the connections keep
     * prepared (PostgreSQL refuses those: "cached plan must not change result type").
     */
    public static final String COLUMNS = "call_id, customer_id, appliance_type, region, address, description, state,"
            + " offers_made, created_at, updated_at, state_changed_at, version";

    @Id
    @Column(name = "call_id")
    public UUID callId;

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
    public DispatchState state;

    /** How many engineers have been offered the call so far. */
    @Column(name = "offers_made", nullable = false)
    public int offersMade;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** Since when the call has been in its current state: what operators ask of a stuck call. */
    @Column(name = "state_changed_at", nullable = false)
    public Instant stateChangedAt;

    @Version
    public long version;

    public static Dispatch requested(
            UUID callId,
            String customerId,
            ApplianceType applianceType,
            String region,
            String address,
            String description,
            Instant now) {
        Dispatch dispatch = new Dispatch();
        dispatch.callId = callId;
        dispatch.customerId = customerId;
        dispatch.applianceType = applianceType;
        dispatch.region = region;
        dispatch.address = address;
        dispatch.description = description;
        dispatch.state = DispatchState.AWAITING_PAYMENT;
        dispatch.createdAt = now;
        dispatch.updatedAt = now;
        dispatch.stateChangedAt = now;
        return dispatch;
    }

    public void offered(Instant now) {
        moveTo(DispatchState.OFFERED, now);
        offersMade++;
    }

    /** Every suitable engineer was offered the call and none took it. */
    public NoEngineerAvailable noEngineerLeft(Instant now) {
        moveTo(DispatchState.NO_ENGINEER, now);
        return new NoEngineerAvailable(offersMade);
    }

    public void dispatched(Instant now) {
        moveTo(DispatchState.DISPATCHED, now);
    }

    public void completed(Instant now) {
        moveTo(DispatchState.COMPLETED, now);
    }

    public void cancelled(Instant now) {
        moveTo(DispatchState.CANCELLED, now);
    }

    public void paymentFailed(Instant now) {
        moveTo(DispatchState.PAYMENT_FAILED, now);
    }

    private void moveTo(DispatchState target, Instant now) {
        if (!state.canMoveTo(target)) {
            throw new DispatchTransitionRefused(callId, state, target);
        }
        if (state != target) {
            stateChangedAt = now;
        }
        state = target;
        updatedAt = now;
    }
}
