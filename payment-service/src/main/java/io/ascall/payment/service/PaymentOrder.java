package io.ascall.payment.service;

import java.util.UUID;

/**
 * A request to take a call's visit fee.
 *
 * @param idempotencyKey the client's Idempotency-Key, kept with the payment for tracing; may be null
 */
public record PaymentOrder(UUID callId, String customerId, long amount, String idempotencyKey) {}
