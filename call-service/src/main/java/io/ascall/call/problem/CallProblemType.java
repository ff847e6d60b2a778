package io.ascall.call.problem;

import io.ascall.problem.ProblemType;

/**
 * The kinds of error of call-service's own domain; the common ones (validation, not-found,
 * conflict...) are io.ascall.problem's {@code CommonProblemType}.
 */
public enum CallProblemType implements ProblemType {
    REQUEST_IN_PROGRESS(409, "request-in-progress", "A request with this Idempotency-Key is still in progress"),
    IDEMPOTENCY_KEY_REUSED(422, "idempotency-key-reused", "The Idempotency-Key was used for a different request"),
    PAYMENT_DECLINED(422, "payment-declined", "The visit fee payment was declined"),
    PAYMENT_UNAVAILABLE(503, "payment-unavailable", "The payment service is unavailable");

    private final int status;
    private final String slug;
    private final String title;

    CallProblemType(int status, String slug, String title) {
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
