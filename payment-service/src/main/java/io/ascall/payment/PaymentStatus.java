package io.ascall.payment;

/**
 * Where a payment stands. Only {@link #PENDING} moves on by charging; the others are settled,
 * except that an {@link #APPROVED} payment can still be refunded.
 *
 * <pre>
 * PENDING --approve--> APPROVED --refund--> REFUNDED
 *    |-----decline--> DECLINED
 *    '-----void-----> VOIDED   (a charge approved after the void is refunded; the payment stays VOIDED)
 * (none) --void-----> VOIDED   (a tombstone: the call was voided before any payment was asked for)
 * </pre>
 */
public enum PaymentStatus {
    /** Registered; the card gateway is being (or was being, before a crash) asked to charge. */
    PENDING,
    /** The gateway took the money. */
    APPROVED,
    /** The gateway refused the charge; nothing was taken. */
    DECLINED,
    /** The call was abandoned: no money is kept, and no later charge for the call is accepted. */
    VOIDED,
    /** The money was taken and given back. */
    REFUNDED
}
