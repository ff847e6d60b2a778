package io.ascall.payment.gateway;

import io.smallrye.mutiny.Uni;

/**
 * The card gateway: a remote system that takes and gives back money. Both operations are
 * idempotent by {@code reference}: asking again with the same reference returns the first
 * outcome and never moves money twice. That is what makes retrying after a timeout or a crash safe.
 */
public interface CardGateway {

    /** Charges the customer once per reference; a repeated reference returns the recorded outcome. */
    Uni<GatewayResult> charge(ChargeRequest request);

    /**
     * Gives back the approved charge of the reference, if there is one; refunding it again
     * changes nothing. Answers {@link RefundOutcome#NO_CHARGE} when no money was taken.
     */
    Uni<RefundOutcome> refund(RefundRequest request);
}
