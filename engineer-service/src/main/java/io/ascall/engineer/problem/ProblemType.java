package io.ascall.engineer.problem;

/**
 * Every kind of error engineer-service answers with, as RFC 9457 problem types. The type URI,
 * title and status of a kind never change; the {@code detail} tells about the occurrence.
 */
public enum ProblemType {
    VALIDATION(400, "validation", "The request is not valid"),
    MALFORMED_REQUEST(400, "malformed-request", "The request body cannot be read"),
    NOT_FOUND(404, "not-found", "Not found"),
    METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
    NOT_ACCEPTABLE(406, "not-acceptable", "Not acceptable"),
    CONFLICT(409, "conflict", "The assignment is not in a state that allows this"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type"),
    SERVICE_UNAVAILABLE(503, "service-unavailable", "The service cannot reach its database"),
    INTERNAL(500, "internal", "Internal error");

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

    /** The kind that a plain HTTP status stands for, when JAX-RS reports one without saying more. */
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
