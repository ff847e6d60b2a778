package io.ascall.call.rest;

import java.time.Instant;
import java.util.UUID;

import io.ascall.call.Call;
import io.ascall.call.CallStatus;
import io.ascall.events.ApplianceType;
import io.ascall.events.CancellationReason;
import io.ascall.events.FailureReason;

/**
 * A call as the API shows it: where it is in its saga ({@code status}) and since when
 * ({@code statusChangedAt}), its payment, and the engineer currently offered or dispatched.
 */
public record CallResponse(
        UUID id,
        String customerId,
        ApplianceType applianceType,
        String region,
        String address,
        String description,
        CallStatus status,
        Instant statusChangedAt,
        FailureReason failureReason,
        CancellationReason cancellationReason,
        long fee,
        String currency,
        UUID paymentId,
        String paymentDeclineReason,
        Instant refundedAt,
        UUID assignmentId,
        UUID engineerId,
        String engineerName,
        int offersMade,
        Instant createdAt,
        Instant updatedAt) {

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
