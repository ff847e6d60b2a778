package io.ascall.call.rest;

import java.time.Instant;
import java.util.UUID;

import io.ascall.call.ApplianceType;
import io.ascall.call.Call;
import io.ascall.call.CallStatus;
import io.ascall.call.FailureReason;

/** A call as the API shows it. */
public record CallResponse(
        UUID id,
        String customerId,
        ApplianceType applianceType,
        String region,
        String address,
        String description,
        CallStatus status,
        FailureReason failureReason,
        long fee,
        String currency,
        UUID paymentId,
        String paymentDeclineReason,
        Instant createdAt,
        Instant updatedAt,
        Instant statusChangedAt) {

    public static CallResponse of(Call call) {
        return new CallResponse(call.id, call.customerId, call.applianceType, call.region, call.address,
                call.description, call.status, call.failureReason, call.fee, call.currency, call.paymentId,
                call.paymentDeclineReason, call.createdAt, call.updatedAt, call.statusChangedAt);
    }
}
