package io.ascall.engineer.rest;

import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.ascall.engineer.Assignment;
import io.ascall.engineer.AssignmentStatus;
import io.ascall.events.ApplianceType;

/**
 * An offer of a call to an engineer, as the API shows it (and as each event of the engineer's
 * stream carries it). Every member is written; {@code respondedAt} and {@code completedAt} are
 * null until the engineer answered or completed.
 */
@Schema(description = "An offer of a call to an engineer, and what became of it")
public record AssignmentResponse(
        @Schema(required = true) UUID id,

        @Schema(required = true, description = "The call offered")
        UUID callId,

        @Schema(required = true, description = "The engineer it was offered to")
        UUID engineerId,

        @Schema(required = true, description = "The engineer's name when offered")
        String engineerName,

        @Schema(required = true) AssignmentStatus status,
        @Schema(required = true) ApplianceType applianceType,
        @Schema(required = true) String region,

        @Schema(required = true, description = "Where the repair is")
        String address,

        @Schema(required = true) Instant offeredAt,

        @Schema(
                required = true,
                description = "The engineer must accept before this instant; after it the offer expires"
                        + " and goes to the next engineer")
        Instant expiresAt,

        @Schema(
                required = true,
                nullable = true,
                implementation = String.class,
                format = "date-time",
                description = "When the engineer accepted or rejected; null while OFFERED, and for an"
                        + " offer that EXPIRED or was WITHDRAWN unanswered")
        Instant respondedAt,

        @Schema(
                required = true,
                nullable = true,
                implementation = String.class,
                format = "date-time",
                description = "When the engineer completed the repair; null unless COMPLETED")
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
