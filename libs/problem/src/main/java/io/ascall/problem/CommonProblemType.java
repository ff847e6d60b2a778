package io.ascall.problem;

/** The kinds of error every A/S call service answers with, whatever its domain. */
public final class CommonProblemType {

    public static final ProblemType VALIDATION = new ProblemType(400, "validation", "The request is not valid");
    public static final ProblemType MALFORMED_REQUEST =
            new ProblemType(400, "malformed-request", "The request body cannot be read");
    public static final ProblemType MALFORMED_URI =
            new ProblemType(400, "malformed-uri", "The request's URI is not a valid URI");
    /** No credentials, or a token that is not valid (expired, wrongly signed, for another audience). */
    public static final ProblemType UNAUTHORIZED =
            new ProblemType(401, "unauthorized", "A valid bearer token is required");
    /** A valid token whose holder may not do this (a role it lacks, someone else's resource). */
    public static final ProblemType FORBIDDEN = new ProblemType(403, "forbidden", "Not allowed");

    public static final ProblemType NOT_FOUND = new ProblemType(404, "not-found", "Not found");
    public static final ProblemType METHOD_NOT_ALLOWED =
            new ProblemType(405, "method-not-allowed", "Method not allowed");
    public static final ProblemType NOT_ACCEPTABLE = new ProblemType(406, "not-acceptable", "Not acceptable");
    public static final ProblemType CONFLICT =
            new ProblemType(409, "conflict", "The resource is not in a state that allows this");
    public static final ProblemType CONCURRENT_CHANGE =
            new ProblemType(409, "concurrent-change", "The resource changed while the request was handled");
    public static final ProblemType UNSUPPORTED_MEDIA_TYPE =
            new ProblemType(415, "unsupported-media-type", "Unsupported media type");
    public static final ProblemType CONTENT_TOO_LARGE =
            new ProblemType(413, "content-too-large", "The request body is larger than this service reads");
    public static final ProblemType URI_TOO_LONG =
            new ProblemType(414, "uri-too-long", "The request's URI is longer than this service reads");
    public static final ProblemType HEADERS_TOO_LARGE =
            new ProblemType(431, "headers-too-large", "The request's header fields are larger than this service reads");
    public static final ProblemType INTERNAL = new ProblemType(500, "internal", "Internal error");
    public static final ProblemType SERVICE_UNAVAILABLE =
            new ProblemType(503, "service-unavailable", "The service cannot reach its database");
    /** The identity provider could not be reached to learn its signing keys: no token can be checked yet. */
    public static final ProblemType IDENTITY_PROVIDER_UNAVAILABLE = new ProblemType(
            503, "identity-provider-unavailable", "The service cannot reach the identity provider to check tokens");

    private CommonProblemType() {}

    /**
     * The kind a bare status of JAX-RS stands for (unknown path, wrong method or media type...).
     * Another 4xx, such as 413 for an oversized form, is the client's malformed request, answered
     * with the status JAX-RS chose ({@link Problem#status(int)}).
     */
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
