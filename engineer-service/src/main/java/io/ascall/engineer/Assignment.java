package io.ascall.engineer;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import io.ascall.events.ApplianceType;
import io.ascall.events.AssignmentAccepted;
import io.ascall.events.AssignmentExpired;
import io.ascall.events.AssignmentRejected;
import io.ascall.events.AssignmentWithdrawn;
import io.ascall.events.EngineerAssigned;
import io.ascall.events.ServiceCompleted;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/**
 * One offer of a call to one engineer, and what became of it. Its status changes only through
 * the methods below, each checked by {@link AssignmentStatus}; an engineer's action that does not
 * fit is refused with {@link AssignmentRefused}, and repeating one that succeeded changes nothing.
 *
 * <p>The call's appliance, region and address are copied in, so that an engineer's list of
 * assignments reads without asking anyone else.
 */
@Entity
@Table(name = "assignment")
public class Assignment extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "call_id", nullable = false)
    public UUID callId;

    @Column(name = "engineer_id", nullable = false)
    public UUID engineerId;

    /** The engineer's name when offered, as the EngineerAssigned event told it. */
    @Column(name = "engineer_name", nullable = false)
    public String engineerName;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public AssignmentStatus status;

    @Enumerated(EnumType.STRING)
    @Column(name = "appliance_type", nullable = false)
    public ApplianceType applianceType;

    @Column(nullable = false)
    public String region;

    @Column(nullable = false)
    public String address;

    @Column(name = "offered_at", nullable = false)
    public Instant offeredAt;

    /** The engineer must accept before this instant; after it the offer goes to the next engineer. */
    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    /** When the engineer accepted or rejected. */
    @Column(name = "responded_at")
    public Instant respondedAt;

    @Column(name = "completed_at")
    public Instant completedAt;

    @Version
    public long version;

    public static Assignment offer(Dispatch call, Engineer engineer, Instant now, Duration timeout) {
        Assignment assignment = new Assignment();
        assignment.id = UUID.randomUUID();
        assignment.callId = call.callId;
        assignment.engineerId = engineer.id;
        assignment.engineerName = engineer.name;
        assignment.status = AssignmentStatus.OFFERED;
        assignment.applianceType = call.applianceType;
        assignment.region = call.region;
        assignment.address = call.address;
        assignment.offeredAt = now;
        assignment.expiresAt = now.plus(timeout);
        return assignment;
    }

    /** The event of the offer just made. */
    public EngineerAssigned offered() {
        return new EngineerAssigned(id, engineerId, engineerName, expiresAt);
    }

    /** @return empty when this engineer had already accepted: nothing changed */
    public Optional<AssignmentAccepted> accept(UUID by, Instant now) {
        actingEngineerMustBe(by);
        if (status == AssignmentStatus.ACCEPTED) {
            return Optional.empty();
        }
        offerMustStand("accepted", now);
        moveTo(AssignmentStatus.ACCEPTED);
        respondedAt = now;
        return Optional.of(new AssignmentAccepted(id, engineerId));
    }

    /** @return empty when this engineer had already rejected: nothing changed */
    public Optional<AssignmentRejected> reject(UUID by, Instant now) {
        actingEngineerMustBe(by);
        if (status == AssignmentStatus.REJECTED) {
            return Optional.empty();
        }
        offerMustStand("rejected", now);
        moveTo(AssignmentStatus.REJECTED);
        respondedAt = now;
        return Optional.of(new AssignmentRejected(id, engineerId));
    }

    /** @return empty when this engineer had already completed it: nothing changed */
    public Optional<ServiceCompleted> complete(UUID by, Instant now) {
        actingEngineerMustBe(by);
        if (status == AssignmentStatus.COMPLETED) {
            return Optional.empty();
        }
        if (status != AssignmentStatus.ACCEPTED) {
            throw new AssignmentRefused(id, "it is " + status + "; only an accepted assignment can be completed");
        }
        moveTo(AssignmentStatus.COMPLETED);
        completedAt = now;
        return Optional.of(new ServiceCompleted(id, engineerId));
    }

    /** Nobody answered in time. */
    public AssignmentExpired expire(Instant now) {
        if (!isPastDeadline(now)) {
            throw new AssignmentRefused(id, "the offer stands until " + expiresAt);
        }
        moveTo(AssignmentStatus.EXPIRED);
        return new AssignmentExpired(id, engineerId);
    }

    /** The call was cancelled: the offer or the dispatch no longer stands. */
    public AssignmentWithdrawn withdraw() {
        moveTo(AssignmentStatus.WITHDRAWN);
        return new AssignmentWithdrawn(id, engineerId);
    }

    /** An offer whose deadline passed: nobody may take it any more, even before the expiry job records it. */
    public boolean isPastDeadline(Instant now) {
        return status == AssignmentStatus.OFFERED && !now.isBefore(expiresAt);
    }

    private void actingEngineerMustBe(UUID by) {
        if (!engineerId.equals(by)) {
            throw new AssignmentRefused(id, "it belongs to another engineer");
        }
    }

    private void offerMustStand(String action, Instant now) {
        if (status != AssignmentStatus.OFFERED) {
            throw new AssignmentRefused(id, "it is " + status + " and cannot be " + action);
        }
        if (isPastDeadline(now)) {
            throw new AssignmentRefused(id, "the offer expired at " + expiresAt + " and cannot be " + action);
        }
    }

    private void moveTo(AssignmentStatus target) {
        if (!status.canMoveTo(target)) {
            throw new AssignmentRefused(id, "it is " + status + " and cannot become " + target);
        }
        status = target;
    }
}
