package io.ascall.payment.gateway;

/**
 * @param reference the idempotency reference (the payment id): one charge per reference
 * @param amount in the currency's smallest unit
 */
public record ChargeRequest(String reference, String customerId, long amount, String currency) {}
