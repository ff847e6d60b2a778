package io.ascall.payment.rest;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One page of a customer's payments, newest first; {@code total} counts all of them. */
@RegisterForReflection
public record PaymentPage(List<PaymentResponse> items, int page, int size, long total) {}
