package io.ascall.payment.problem;

import io.ascall.problem.ProblemType;

/**
 * The kinds of error of payment-service's own domain; the common ones (validation, not-found,
 * conflict...) are io.ascall.problem's {@code CommonProblemType}.
 */
public enum PaymentProblemType implements ProblemType {
    REQUEST_IN_PROGRESS(409, "request-in-progress", "The call's payment is still being charged"),
    PAYMENT_VOIDED(409, "payment-voided", "The call's payment was voided"),
    PAYMENT_MISMATCH(422, "payment-mismatch", "Payment does not match the call's existing payment"),
    PAYMENT_UNAVAILABLE(503, "payment-unavailable", "The card gateway is unavailable");

    private final int status;
    private final String slug;
    private final String title;

    PaymentProblemType(int status, String slug, String title) {
        this.status = status;
        this.slug = slug;
        this.title = title;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public String slug() {
        return slug;
    }

    @Override
    public String title() {
        return title;
    }
}
