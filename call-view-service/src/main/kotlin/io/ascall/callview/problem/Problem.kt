package io.ascall.callview.problem

import jakarta.ws.rs.core.HttpHeaders
import jakarta.ws.rs.core.Response
import java.time.Duration

/**
 * An RFC 9457 problem details document. Kept as an ordered map (type, title, status, detail,
 * instance, then extension members) so that it serializes without reflection, also natively.
 */
class Problem private constructor(val type: ProblemType, detail: String) {

    val body: MutableMap<String, Any?> =
        linkedMapOf(
            "type" to type.uri,
            "title" to type.title,
            "status" to type.status,
            "detail" to detail,
        )

    /** Adds an extension member, such as `errors`. */
    fun with(member: String, value: Any?): Problem = apply { body[member] = value }

    private var retryAfter: Duration? = null

    fun at(instance: String?): Problem = apply { body["instance"] = instance }

    /** When to try again, for a 503. */
    fun retryAfter(delay: Duration): Problem = apply { retryAfter = delay }

    fun toResponse(): Response =
        Response.status(type.status)
            .type(MEDIA_TYPE)
            .entity(body)
            .apply { retryAfter?.let { header(HttpHeaders.RETRY_AFTER, maxOf(1, it.toSeconds())) } }
            .build()

    fun toException() = ProblemException(this)

    companion object {
        const val MEDIA_TYPE = "application/problem+json"

        fun of(type: ProblemType, detail: String) = Problem(type, detail)

        /** A 400 naming each field that is wrong and how. */
        fun invalid(errors: List<FieldError>): Problem =
            of(
                    ProblemType.VALIDATION,
                    "Invalid or missing: " + errors.map { it.field }.distinct().joinToString(", "),
                )
                .with("errors", errors.map { mapOf("field" to it.field, "message" to it.message) })
    }
}

/** One wrong field (a query parameter or header) of a request. */
data class FieldError(val field: String, val message: String)

/** Ends a request with the given problem. */
class ProblemException(val problem: Problem) :
    RuntimeException(problem.body["detail"].toString(), null, false, false)
