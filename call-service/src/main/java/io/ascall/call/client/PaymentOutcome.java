package io.ascall.call.client;

import java.util.UUID;

/** What came of asking payment-service for a call's fee. */
public sealed interface PaymentOutcome {

    record Approved(UUID paymentId) implements PaymentOutcome {}

    record Declined(UUID paymentId, String reason) implements PaymentOutcome {}

    /** No answer in time, an error, or the circuit breaker open: the fee may or may not have been taken. */
    record Unavailable(String reason) implements PaymentOutcome {}
}
