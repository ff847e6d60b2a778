package io.ascall.callview.problem

/**
 * Every kind of error call-view-service answers with, as RFC 9457 problem types: the same types,
 * titles and statuses as the Java services (a documented copy, since the services share no code).
 * The type URI, title and status of a kind never change; the `detail` tells about the occurrence.
 */
enum class ProblemType(val status: Int, private val slug: String, val title: String) {
    VALIDATION(400, "validation", "The request is not valid"),
    MALFORMED_REQUEST(400, "malformed-request", "The request body cannot be read"),
    NOT_FOUND(404, "not-found", "Not found"),
    METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
    NOT_ACCEPTABLE(406, "not-acceptable", "Not acceptable"),
    CONFLICT(409, "conflict", "The view is not in a state that allows this"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type"),
    INTERNAL(500, "internal", "Internal error"),
    SERVICE_UNAVAILABLE(503, "service-unavailable", "The service cannot reach its database");

    val uri: String
        get() = "urn:ascall:problem:$slug"

    companion object {
        /**
         * The kind that a plain HTTP status stands for, when JAX-RS reports one without saying
         * more.
         */
        fun forStatus(status: Int): ProblemType =
            when (status) {
                404 -> NOT_FOUND
                405 -> METHOD_NOT_ALLOWED
                406 -> NOT_ACCEPTABLE
                409 -> CONFLICT
                415 -> UNSUPPORTED_MEDIA_TYPE
                in 400..499 -> MALFORMED_REQUEST
                else -> INTERNAL
            }
    }
}
