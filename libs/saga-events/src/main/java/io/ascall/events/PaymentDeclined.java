package io.ascall.events;

import java.util.UUID;

/** The card gateway declined the visit fee. */
public record PaymentDeclined(
        @Required UUID paymentId, @Required String reason) implements PaymentEvent {}
