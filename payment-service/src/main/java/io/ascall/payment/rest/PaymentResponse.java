package io.ascall.payment.rest;

import java.time.Instant;
import java.util.UUID;

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
public record PaymentResponse(
        UUID id,
        UUID callId,
        String customerId,
        long amount,
        String currency,
        PaymentStatus status,
        String declineReason,
        Instant createdAt,
        Instant updatedAt,
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
