package io.ascall.events;

import java.util.UUID;

/** The visit fee of a cancelled call was given back. */
public record PaymentRefunded(@Required UUID paymentId, @Required long amount, @Required String currency) implements PaymentEvent {
}
