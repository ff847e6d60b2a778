package io.ascall.payment.gateway;

/** The gateway's answer to a refund. */
public enum RefundOutcome {
    /** The reference's approved charge is given back (now, or by an earlier refund of it). */
    REFUNDED,
    /** The gateway holds no approved charge under the reference: no money was taken. */
    NO_CHARGE
}
