package io.ascall.engineer.rest;

import java.time.Instant;
import java.util.UUID;

import io.ascall.engineer.Assignment;
import io.ascall.engineer.AssignmentStatus;
import io.ascall.events.ApplianceType;

/** An offer of a call to an engineer, as the API shows it. */
public record AssignmentResponse(
        UUID id,
        UUID callId,
        UUID engineerId,
        String engineerName,
        AssignmentStatus status,
        ApplianceType applianceType,
        String region,
        String address,
        Instant offeredAt,
        Instant expiresAt,
        Instant respondedAt,
        Instant completedAt) {

    public static AssignmentResponse of(Assignment assignment) {
        return new AssignmentResponse(
                assignment.id,
                assignment.callId,
                assignment.engineerId,
                assignment.engineerName,
                assignment.status,
                assignment.applianceType,
                assignment.region,
                assignment.address,
                assignment.offeredAt,
                assignment.expiresAt,
                assignment.respondedAt,
                assignment.completedAt);
    }
}
