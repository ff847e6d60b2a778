package io.ascall.payment.gateway;

/** @param reference the reference of the charge to give back (the payment id) */
public record RefundRequest(String reference) {}
