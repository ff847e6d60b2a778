package io.ascall.events;

/** Why a call ended in PAYMENT_FAILED (call-service). */
public enum FailureReason {
    /** The card was declined: the customer may try again with another card. */
    PAYMENT_DECLINED,
    /**
     * payment-service did not answer in time (down, slow, or the circuit breaker was open). The
     * call was closed without a charge; any charge that reached payment-service late is voided.
     */
    PAYMENT_UNAVAILABLE
}
