package io.ascall.call.rest;

import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.ascall.call.Call;
import io.ascall.call.CallStatus;
import io.ascall.events.ApplianceType;
import io.ascall.events.CancellationReason;
import io.ascall.events.FailureReason;

/**
 * A call as the API shows it (every member is written; those of later steps are null until then): where it is in its saga ({@code status}) and since when
 * ({@code statusChangedAt}), its payment, and the engineer currently offered or dispatched.
 */
public record CallResponse(
        @Schema(required = true) UUID id,
        @Schema(required = true) String customerId,
        @Schema(required = true) ApplianceType applianceType,
        @Schema(required = true) String region,
        @Schema(required = true) String address,
        @Schema(nullable = true) String description,
        @Schema(required = true) CallStatus status,
        @Schema(required = true) Instant statusChangedAt,
        @Schema(nullable = true) FailureReason failureReason,
        @Schema(nullable = true) CancellationReason cancellationReason,
        @Schema(required = true) long fee,
        @Schema(required = true) String currency,
        @Schema(nullable = true) UUID paymentId,
        @Schema(nullable = true) String paymentDeclineReason,
        @Schema(nullable = true) Instant refundedAt,
        @Schema(nullable = true) UUID assignmentId,
        @Schema(nullable = true) UUID engineerId,
        @Schema(nullable = true) String engineerName,
        @Schema(required = true) int offersMade,
        @Schema(required = true) Instant createdAt,
        @Schema(required = true) Instant updatedAt) {

    public static CallResponse of(Call call) {
        return new CallResponse(
                call.id,
                call.customerId,
                call.applianceType,
                call.region,
                call.address,
                call.description,
                call.status,
                call.statusChangedAt,
                call.failureReason,
                call.cancellationReason,
                call.fee,
                call.currency,
                call.paymentId,
                call.paymentDeclineReason,
                call.refundedAt,
                call.assignmentId,
                call.engineerId,
                call.engineerName,
                call.offersMade,
                call.createdAt,
                call.updatedAt);
    }
}
