package io.ascall.callview.problem

import jakarta.ws.rs.Priorities
import jakarta.ws.rs.WebApplicationException
import jakarta.ws.rs.core.Response
import jakarta.ws.rs.core.UriInfo
import org.jboss.logging.Logger
import org.jboss.resteasy.reactive.server.ServerExceptionMapper

/**
 * Turns every failure of a request into an RFC 9457 problem; nothing leaves as a bare status or
 * stack trace. The API takes no request body (only path and query parameters, checked by the
 * resources), so there is no bean validation or JSON parsing failure to map here.
 */
class ProblemMappers {

    @ServerExceptionMapper
    fun problem(e: ProblemException, uri: UriInfo?): Response = e.problem.at(path(uri)).toResponse()

    @ServerExceptionMapper
    fun web(e: WebApplicationException, uri: UriInfo?): Response {
        val status = e.response.status
        val type = ProblemType.forStatus(status)
        if (type == ProblemType.INTERNAL) {
            return internal(e, uri)
        }
        return Problem.of(type, e.message ?: type.title)
            .with("status", status)
            .at(path(uri))
            .toResponse()
    }

    @ServerExceptionMapper(priority = Priorities.USER + 1000)
    fun internal(e: Throwable, uri: UriInfo?): Response {
        if (DatabaseOutage.causedBy(e)) {
            LOG.warnf("%s failed: the database is unreachable (%s)", path(uri), e.toString())
            return Problem.of(
                    ProblemType.SERVICE_UNAVAILABLE,
                    "The database is unreachable. Retry shortly.",
                )
                .retryAfter(DatabaseOutage.RETRY_AFTER)
                .at(path(uri))
                .toResponse()
        }
        LOG.errorf(e, "Unexpected failure of %s", path(uri))
        return Problem.of(
                ProblemType.INTERNAL,
                "The request failed unexpectedly; it has been logged.",
            )
            .at(path(uri))
            .toResponse()
    }

    private fun path(uri: UriInfo?): String? = uri?.let { "/" + it.path.removePrefix("/") }

    companion object {
        private val LOG: Logger = Logger.getLogger(ProblemMappers::class.java)
    }
}
