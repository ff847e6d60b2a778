package io.ascall.events;

import java.util.UUID;

/** The payment was voided; {@code refunded} when money had been taken and was given back. */
public record PaymentVoided(@Required UUID paymentId, boolean refunded) implements PaymentEvent {}
