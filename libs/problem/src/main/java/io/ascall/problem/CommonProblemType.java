package io.ascall.problem;

/** The kinds of error every A/S call service answers with, whatever its domain. */
public enum CommonProblemType implements ProblemType {
    VALIDATION(400, "validation", "The request is not valid"),
    MALFORMED_REQUEST(400, "malformed-request", "The request body cannot be read"),
    NOT_FOUND(404, "not-found", "Not found"),
    METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
    NOT_ACCEPTABLE(406, "not-acceptable", "Not acceptable"),
    CONFLICT(409, "conflict", "The resource is not in a state that allows this"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type"),
    INTERNAL(500, "internal", "Internal error"),
    SERVICE_UNAVAILABLE(503, "service-unavailable", "The service cannot reach its database");

    private final int status;
    private final String slug;
    private final String title;

    CommonProblemType(int status, String slug, String title) {
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

    /**
     * The kind a bare status of JAX-RS stands for (unknown path, wrong method or media type...).
     * Another 4xx, such as 413 for an oversized form, is the client's malformed request, answered
     * with the status JAX-RS chose ({@link Problem#status(int)}).
     */
    static CommonProblemType forStatus(int status) {
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
