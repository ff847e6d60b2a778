package io.ascall.payment.problem;

import io.ascall.problem.ProblemType;

/**
 * The kinds of error of payment-service's own domain; the common ones (validation, not-found,
 * conflict...) are io.ascall.problem's {@code CommonProblemType}.
 */
public final class PaymentProblemType {

    public static final ProblemType REQUEST_IN_PROGRESS =
            new ProblemType(409, "request-in-progress", "The call's payment is still being charged");
    public static final ProblemType PAYMENT_VOIDED =
            new ProblemType(409, "payment-voided", "The call's payment was voided");
    public static final ProblemType PAYMENT_MISMATCH =
            new ProblemType(422, "payment-mismatch", "Payment does not match the call's existing payment");
    public static final ProblemType PAYMENT_UNAVAILABLE =
            new ProblemType(503, "payment-unavailable", "The card gateway is unavailable");

    private PaymentProblemType() {}
}
