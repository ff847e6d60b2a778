package io.ascall.payment.rest;

import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /payments}: take the visit fee of a call.
 *
 * @param callId the call the fee is for; at most one payment per call
 * @param customerId who pays: 1 to 64 characters
 * @param amount in KRW (no minor unit): 1 to 10,000,000
 */
@Schema(description = "Take the visit fee of a call")
public record PaymentRequest(
        @Schema(description = "The call the fee is for; at most one payment per call") @NotNull
        UUID callId,

        @Schema(description = "Who pays: 1 to 64 characters, not all blank") @NotBlank @Size(max = 64)
        String customerId,

        @Schema(description = "In KRW (no minor unit): 1 to 10,000,000") @NotNull @Min(1) @Max(10_000_000)
        Long amount) {}
