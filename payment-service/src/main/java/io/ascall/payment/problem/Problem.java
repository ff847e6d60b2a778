package io.ascall.payment.problem;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * An RFC 9457 problem details document: {@code type, title, status, detail, instance}, then
 * extension members such as {@code errors}. Every A/S call service has its own documented copy of
 * this shape (services share no runtime code). Held as an ordered map so that it serializes in
 * that order and without reflection, natively too.
 */
public final class Problem {

    public static final String MEDIA_TYPE = "application/problem+json";

    private final ProblemType type;
    private final Map<String, Object> body = new LinkedHashMap<>();
    private int status;
    private Duration retryAfter;

    private Problem(ProblemType type, String detail) {
        this.type = type;
        this.status = type.status();
        body.put("type", type.uri());
        body.put("title", type.title());
        body.put("status", type.status());
        body.put("detail", detail);
    }

    public static Problem of(ProblemType type, String detail) {
        return new Problem(type, detail);
    }

    /** Adds an extension member. */
    public Problem with(String member, Object value) {
        body.put(member, value);
        return this;
    }

    /** Answers another status than the type's own, for a status JAX-RS chose that has no type of its own (e.g. 413). */
    public Problem status(int status) {
        this.status = status;
        body.put("status", status);
        return this;
    }

    /** Sends a {@code Retry-After} header: the condition is expected to clear by then. */
    public Problem retryAfter(Duration delay) {
        this.retryAfter = delay;
        return this;
    }

    /** The request path the problem occurred at. */
    public Problem at(String instance) {
        body.put("instance", instance);
        return this;
    }

    public ProblemType type() {
        return type;
    }

    public Response toResponse() {
        Response.ResponseBuilder response = Response.status(status).type(MEDIA_TYPE).entity(body);
        if (retryAfter != null) {
            response.header(HttpHeaders.RETRY_AFTER, Math.max(1, retryAfter.toSeconds()));
        }
        return response.build();
    }

    public ProblemException toException() {
        return new ProblemException(this);
    }
}
