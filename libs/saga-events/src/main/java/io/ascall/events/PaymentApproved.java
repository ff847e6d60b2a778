package io.ascall.events;

import java.util.UUID;

/** The card gateway took the visit fee. */
public record PaymentApproved(
        @Required UUID paymentId,
        @Required String customerId,
        @Required long amount,
        @Required String currency) implements PaymentEvent {}
