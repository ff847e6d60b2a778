package io.ascall.call.problem;

import io.ascall.problem.ProblemType;

/**
 * The kinds of error of call-service's own domain; the common ones (validation, not-found,
 * conflict...) are io.ascall.problem's {@code CommonProblemType}.
 */
public final class CallProblemType {

    public static final ProblemType REQUEST_IN_PROGRESS =
            new ProblemType(409, "request-in-progress", "A request with this Idempotency-Key is still in progress");
    public static final ProblemType IDEMPOTENCY_KEY_REUSED =
            new ProblemType(422, "idempotency-key-reused", "The Idempotency-Key was used for a different request");
    public static final ProblemType PAYMENT_DECLINED =
            new ProblemType(422, "payment-declined", "The visit fee payment was declined");
    public static final ProblemType PAYMENT_UNAVAILABLE =
            new ProblemType(503, "payment-unavailable", "The payment service is unavailable");

    private CallProblemType() {}
}
