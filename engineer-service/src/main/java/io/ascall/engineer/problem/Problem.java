package io.ascall.engineer.problem;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * An RFC 9457 problem details document. Kept as an ordered map (type, title, status, detail,
 * instance, then extension members) so that it serializes without reflection, also natively.
 */
public final class Problem {

    public static final String MEDIA_TYPE = "application/problem+json";

    private final ProblemType type;
    private final Map<String, Object> body = new LinkedHashMap<>();
    private Duration retryAfter;

    private Problem(ProblemType type, String detail) {
        this.type = type;
        body.put("type", type.uri());
        body.put("title", type.title());
        body.put("status", type.status());
        body.put("detail", detail);
    }

    public static Problem of(ProblemType type, String detail) {
        return new Problem(type, detail);
    }

    /** Adds an extension member, such as {@code errors}. */
    public Problem with(String member, Object value) {
        body.put(member, value);
        return this;
    }

    public Problem retryAfter(Duration delay) {
        this.retryAfter = delay;
        return this;
    }

    public ProblemType type() {
        return type;
    }

    public Problem at(String instance) {
        body.put("instance", instance);
        return this;
    }

    public Map<String, Object> body() {
        return body;
    }

    public Response toResponse() {
        Response.ResponseBuilder response = Response.status(type.status()).type(MEDIA_TYPE).entity(body);
        if (retryAfter != null) {
            response.header(HttpHeaders.RETRY_AFTER, Math.max(1, retryAfter.toSeconds()));
        }
        return response.build();
    }

    public ProblemException toException() {
        return new ProblemException(this);
    }
}
