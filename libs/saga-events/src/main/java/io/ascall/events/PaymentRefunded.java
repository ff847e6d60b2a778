package io.ascall.events;

import java.util.UUID;

/** The visit fee was given back: the call was cancelled, or its payment voided after the charge went through. */
public record PaymentRefunded(
        @Required UUID paymentId,
        @Required long amount,
        @Required String currency) implements PaymentEvent {}
