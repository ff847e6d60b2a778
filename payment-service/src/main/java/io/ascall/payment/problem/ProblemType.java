package io.ascall.payment.problem;

/**
 * Every kind of error payment-service answers with, as RFC 9457 problem types. A kind's type
 * URI ({@code urn:ascall:problem:<slug>}), title and status never change; the {@code detail} of
 * a problem tells about the occurrence.
 */
public enum ProblemType {
    VALIDATION(400, "validation", "The request is not valid"),
    MALFORMED_REQUEST(400, "malformed-request", "The request body cannot be read"),
    NOT_FOUND(404, "not-found", "Not found"),
    METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
    NOT_ACCEPTABLE(406, "not-acceptable", "Not acceptable"),
    CONFLICT(409, "conflict", "The payment is not in a state that allows this"),
    REQUEST_IN_PROGRESS(409, "request-in-progress", "The call's payment is still being charged"),
    PAYMENT_VOIDED(409, "payment-voided", "The call's payment was voided"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type"),
    PAYMENT_MISMATCH(422, "payment-mismatch", "Payment does not match the call's existing payment"),
    INTERNAL(500, "internal", "Internal error"),
    PAYMENT_UNAVAILABLE(503, "payment-unavailable", "The card gateway is unavailable"),
    SERVICE_UNAVAILABLE(503, "service-unavailable", "The service cannot reach its database");

    private final int status;
    private final String slug;
    private final String title;

    ProblemType(int status, String slug, String title) {
        this.status = status;
        this.slug = slug;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String uri() {
        return "urn:ascall:problem:" + slug;
    }

    public String title() {
        return title;
    }

    /** The kind a bare HTTP status of JAX-RS stands for (unknown path, wrong method or media type...). */
    static ProblemType forStatus(int status) {
        return switch (status) {
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 409 -> CONFLICT;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            default -> status >= 400 && status < 500 ? MALFORMED_REQUEST : INTERNAL;
        };
    }
}
