package io.ascall.payment.rest;

import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.ascall.payment.Payment;
import io.ascall.payment.PaymentStatus;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A payment as the API shows it.
 *
 * @param customerId null only on a void tombstone (a call voided before any payment was asked for)
 * @param amount in {@code currency}'s smallest unit; 0 only on a void tombstone
 * @param declineReason why the gateway declined; null unless DECLINED
 * @param refundedAt when money taken for the payment was given back (REFUNDED, or VOIDED after a late approval)
 */
@RegisterForReflection // also serialized inside lists and pages, which REST signatures do not reveal
@Schema(description = "A payment: the visit fee of one call. Every member is written, null where it has no value.")
public record PaymentResponse(
        @Schema(required = true, description = "The payment's id")
        UUID id,

        @Schema(required = true, description = "The call the fee is for; a call has at most one payment")
        UUID callId,

        @Schema(
                required = true,
                nullable = true,
                description =
                        "Who pays; null only on a void tombstone (a call voided before any payment was asked for)")
        String customerId,

        @Schema(
                required = true,
                description = "In the currency's smallest unit (KRW has none); 0 only on a void tombstone")
        long amount,

        @Schema(required = true, description = "ISO 4217 code, such as KRW")
        String currency,

        @Schema(required = true) PaymentStatus status,

        @Schema(
                required = true,
                nullable = true,
                description = "Why the card gateway declined: null unless DECLINED, and null on a DECLINED"
                        + " payment when the gateway gave no reason")
        String declineReason,

        @Schema(required = true) Instant createdAt,
        @Schema(required = true) Instant updatedAt,

        @Schema(
                required = true,
                nullable = true,
                description = "When money taken for the payment was given back (REFUNDED, or VOIDED after a"
                        + " late approval); null otherwise")
        Instant refundedAt) {

    public static PaymentResponse from(Payment payment) {
        return new PaymentResponse(
                payment.id(),
                payment.callId(),
                payment.customerId(),
                payment.amount(),
                payment.currency(),
                payment.status(),
                payment.declineReason(),
                payment.createdAt(),
                payment.updatedAt(),
                payment.refundedAt());
    }
}
