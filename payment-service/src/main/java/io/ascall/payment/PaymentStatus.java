package io.ascall.payment;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a payment stands, and the one place that says which status may follow which. Only
 * {@link #PENDING} moves on by charging; the others are settled, except that an
 * {@link #APPROVED} payment can still be refunded.
 *
 * <pre>
 * PENDING --approve--> APPROVED --refund--> REFUNDED
 *    |-----decline--> DECLINED
 *    '-----void-----> VOIDED   (a charge approved after the void is refunded; the payment stays VOIDED)
 * (none) --void-----> VOIDED   (a tombstone: the call was voided before any payment was asked for)
 * </pre>
 *
 * What may happen to a payment without changing its status (a refund owed by a VOIDED payment,
 * a charge attempt taken over) is for {@link Payment} to decide.
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
    REFUNDED;

    private Set<PaymentStatus> next() {
        return switch (this) {
            case PENDING -> EnumSet.of(APPROVED, DECLINED, VOIDED);
            case APPROVED -> EnumSet.of(REFUNDED);
            case DECLINED, VOIDED, REFUNDED -> EnumSet.noneOf(PaymentStatus.class);
        };
    }

    public boolean canMoveTo(PaymentStatus target) {
        return next().contains(target);
    }
}
